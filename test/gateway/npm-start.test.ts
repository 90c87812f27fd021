import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';

// `npm start` as an operator runs it: compose if stale, start, answer, stop on one SIGTERM
// with exit code 0.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const startupTimeoutMs = 90_000;
const exitTimeoutMs = 20_000;

let child: ChildProcess | undefined;
let port: number;
let stdout = '';
let stderr = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

/** The environment of an operator's shell: no test-runner or loopgate overrides leak in. */
function operatorEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_ENV' || key.startsWith('VITEST') || key.startsWith('LOOPGATE_')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function waitFor<T>(what: string, ms: number, check: (resolve: (value: T) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, ms);
    const stop = check((value) => {
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}

function mintToken(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'token', '--', '--sub', 't', '--scope', 'pet:read'],
      { cwd: repo, env: operatorEnv({}), timeout: 60_000 },
      (error, out) => resolve(error ? undefined : out.trim() || undefined),
    );
  });
}

function portAcceptsConnections(target: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(target, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  port = await freePort();
  // Its own process group, so afterAll can end npm and everything it started if a test fails.
  child = spawn('npm', ['start'], { cwd: repo, env: operatorEnv({ PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  exited = new Promise((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
}, 10_000);

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // Orphans (a gateway left behind by a shell that died) still sit in our process group.
  if (child?.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Nothing left in the group.
    }
  }
});

describe('npm start', () => {
  let endpoint: string;

  it('prints the GraphQL endpoint on stdout', async () => {
    endpoint = await waitFor<string>('the start-up line', startupTimeoutMs, (resolve) => {
      const pattern = /loopgate: GraphQL endpoint (http:\/\/127\.0\.0\.1:(\d+)\/graphql)/;
      const look = () => {
        const match = pattern.exec(stdout);
        if (match) resolve(match[1]!);
      };
      child!.stdout!.on('data', look);
      void exited.then(() => look());
      look();
      return () => child!.stdout!.off('data', look);
    });
    expect(endpoint).toBe(`http://127.0.0.1:${port}/graphql`);
  }, startupTimeoutMs + 5_000);

  it('answers a cross-source query (with a dev token when the dev key works)', async () => {
    expect(endpoint).toBeDefined();
    const token = await mintToken();
    const query = token ? '{ getPetById(petId: 1) { name reviews { text } } }' : '{ __typename }';
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(
      token
        ? { getPetById: { name: 'Rex', reviews: [{ text: 'Rex is a good boy' }, { text: 'Barks a bit' }] } }
        : { __typename: 'Query' },
    );
  }, 70_000);

  it('exits with code 0 after one SIGTERM, and the port is released', async () => {
    expect(endpoint).toBeDefined();
    child!.kill('SIGTERM');
    const result = await waitFor<{ code: number | null; signal: NodeJS.Signals | null }>('exit after SIGTERM', exitTimeoutMs, (resolve) => {
      void exited.then(resolve);
      return () => {};
    });
    expect(result).toEqual({ code: 0, signal: null });
    expect(await portAcceptsConnections(port)).toBe(false);
  }, exitTimeoutMs + 5_000);
});

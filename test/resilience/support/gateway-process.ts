import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../support/free-port';

export interface GatewayProcess {
  url: string;
  graphqlUrl: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote to stderr, for the failure message. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * Runs `src/main.ts` (what `npm start` runs after composing) as a child process on a free
 * loopback port, with `env` on top of this process's environment, and waits for its banner.
 */
export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let signal: string | null = null;
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code, sig) => {
      signal = sig;
      r(code);
    }),
  );
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`gateway process did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const check = () => {
      if (!stdout.includes('loopgate: GraphQL endpoint')) return;
      clearTimeout(timer);
      ok();
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`gateway process exited (code ${code}, signal ${signal}) before it listened: ${stderr}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    port,
    process: child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
}

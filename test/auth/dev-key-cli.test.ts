import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/create-authenticator';
import { normalizeAuthOptions } from '../../src/auth/options';
import { HMAC_SECRET } from './helpers';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const tokenScript = fileURLToPath(new URL('../../src/cli/token.ts', import.meta.url));

/** Runs the token CLI as a real child process in `cwd`. */
function runTokenCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsxCli, tokenScript, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const authenticateWith = async (cwd: string, token: string, options: unknown = {}) => {
  const auth = await createAuthenticator(normalizeAuthOptions(options, {}), { cwd });
  return auth.authenticate({ headers: new Headers({ authorization: `Bearer ${token}` }), remoteAddress: '127.0.0.1' });
};

describe('src/cli/token.ts and the dev key', () => {
  it('prints only a token that the default config accepts', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'loopgate-cli-'));
    const run = await runTokenCli(['--sub', 'client-1', '--scope', 'pet:read', '--tier', 'free', '--ttl', '600', '--client-id', 'app-1'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const result = await authenticateWith(cwd, run.stdout.trim());
    expect(result).toMatchObject({ ok: true, principal: { clientId: 'app-1', subject: 'client-1', tier: 'free' } });
    expect(result.ok && [...result.principal.scopes]).toEqual(['pet:read']);
    expect(result.ok && result.principal.claims.iss).toBe('loopgate-dev');
    const file = join(cwd, '.loopgate', 'dev-key.json');
    expect((await stat(file)).mode & 0o077).toBe(0); // private key readable by the owner only
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ alg: 'ES256', issuer: 'loopgate-dev' });
  });

  it('reuses the persisted key: a second token verifies with the same key', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'loopgate-cli-'));
    const first = await runTokenCli(['--sub', 'a'], cwd);
    const before = await readFile(join(cwd, '.loopgate', 'dev-key.json'), 'utf8');
    const second = await runTokenCli(['--sub', 'b'], cwd);
    expect(await readFile(join(cwd, '.loopgate', 'dev-key.json'), 'utf8')).toBe(before);
    expect((await authenticateWith(cwd, first.stdout.trim())).ok).toBe(true);
    expect((await authenticateWith(cwd, second.stdout.trim())).ok).toBe(true);
  });

  it('a dev token is refused once a real key source is configured', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'loopgate-cli-'));
    const run = await runTokenCli(['--sub', 'client-1'], cwd);
    const options = { keySources: [{ kind: 'hmac', issuer: 'https://idp.test', secret: HMAC_SECRET }] };
    expect(await authenticateWith(cwd, run.stdout.trim(), options)).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
  });

  for (const args of [[], ['--sub'], ['--sub', 'x', '--ttl', '0'], ['--sub', 'x', '--ttl', 'soon'], ['--sub', 'x', '--bogus', '1']]) {
    it(`bad arguments ${JSON.stringify(args)}: exit 2, nothing on stdout`, async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'loopgate-cli-'));
      const run = await runTokenCli(args, cwd);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toBe('');
    });
  }
});

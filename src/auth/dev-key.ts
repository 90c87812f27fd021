import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { devKeyIssuer } from './options';

/**
 * The dev key: an ES256 pair made on first use and kept in `<cwd>/.loopgate/dev-key.json`
 * (gitignored), so `src/cli/token.ts` and a gateway started with the default config agree
 * without any setup. Never used when a real key source is configured.
 */
export interface DevKeyFile {
  alg: 'ES256';
  kid: string;
  issuer: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export const devKeyAlgorithm = 'ES256';

/** Reads the dev key at `path` (relative to `cwd`), creating it if it does not exist. */
export async function loadOrCreateDevKey(path: string, cwd: string = process.cwd()): Promise<DevKeyFile> {
  const file = resolve(cwd, path);
  const existing = await readDevKey(file);
  if (existing) return existing;
  const { privateKey, publicKey } = await generateKeyPair(devKeyAlgorithm, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const key: DevKeyFile = {
    alg: devKeyAlgorithm,
    kid,
    issuer: devKeyIssuer,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: devKeyAlgorithm, use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: devKeyAlgorithm, use: 'sig' },
  };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Written aside, then hard-linked into place: link is atomic and fails if the file exists,
  // so a racing process (the CLI, a second gateway) never reads half a key; the loser uses theirs.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(key, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readDevKey(file);
    if (!raced) throw new Error(`dev key file ${file} is unreadable`);
    return raced;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readDevKey(file: string): Promise<DevKeyFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<DevKeyFile>;
  try {
    parsed = JSON.parse(text) as Partial<DevKeyFile>;
  } catch {
    throw new Error(`dev key file ${file} is not valid JSON; delete it to make a new one`);
  }
  if (parsed.alg !== devKeyAlgorithm || typeof parsed.kid !== 'string' || !parsed.privateJwk || !parsed.publicJwk) {
    throw new Error(`dev key file ${file} is not a loopgate dev key; delete it to make a new one`);
  }
  return { ...(parsed as DevKeyFile), issuer: devKeyIssuer };
}

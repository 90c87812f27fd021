/**
 * Prints a token signed with the dev key (made on first use in `<cwd>/.loopgate/dev-key.json`),
 * accepted by a gateway running the default auth config from the same folder:
 *
 *   npx tsx src/cli/token.ts --sub client-1 --scope "pet:read" [--tier free] [--ttl 3600] [--client-id x]
 *
 * stdout carries the token and nothing else, so `TOKEN=$(npx tsx src/cli/token.ts ...)` works.
 * Bad arguments: usage on stderr, exit code 2. Other failures: exit code 1.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { importJWK, SignJWT } from 'jose';
import { devKeyAlgorithm, loadOrCreateDevKey } from '../auth/dev-key';
import { defaultAuthOptions } from '../auth/options';

const usage =
  'usage: token --sub <subject> [--scope "a b"] [--tier <tier>] [--ttl <seconds>] [--client-id <id>]\n';

interface TokenArgs {
  sub: string;
  scope: string | undefined;
  tier: string | undefined;
  ttlSeconds: number;
  clientId: string | undefined;
}

/** Parses argv; returns a message instead when the arguments are wrong. */
export function parseTokenArgs(argv: string[]): TokenArgs | string {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        scope: { type: 'string' },
        tier: { type: 'string' },
        ttl: { type: 'string' },
        'client-id': { type: 'string' },
      },
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    return (error as Error).message;
  }
  if (!values.sub) return '--sub is required';
  const ttl = values.ttl ?? '3600';
  if (!/^\d+$/.test(ttl) || Number(ttl) <= 0) return '--ttl must be a positive whole number of seconds';
  if (values['client-id'] === '') return '--client-id must not be empty';
  return { sub: values.sub, scope: values.scope, tier: values.tier, ttlSeconds: Number(ttl), clientId: values['client-id'] };
}

export async function mintDevToken(args: TokenArgs, cwd = process.cwd(), nowMs = Date.now()): Promise<string> {
  const key = await loadOrCreateDevKey(defaultAuthOptions.devKey.path, cwd);
  const claims: Record<string, unknown> = {};
  if (args.scope !== undefined) claims.scope = args.scope;
  if (args.tier !== undefined) claims.tier = args.tier;
  if (args.clientId !== undefined) claims.client_id = args.clientId;
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: devKeyAlgorithm, kid: key.kid, typ: 'JWT' })
    .setIssuer(key.issuer)
    .setSubject(args.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + args.ttlSeconds)
    .sign(await importJWK(key.privateJwk, devKeyAlgorithm));
}

async function main(): Promise<number> {
  const args = parseTokenArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${usage}`);
    return 2;
  }
  try {
    process.stdout.write(`${await mintDevToken(args)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`token: ${(error as Error).message}\n`);
    return 1;
  }
}

// Run only as a program, so tests and other tools can import the functions above.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main();
}

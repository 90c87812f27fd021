import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * The one HS256 key every authenticating scenario trusts (loopgate and the peer alike), fresh
 * for each run so a bench token is never valid anywhere else.
 */
export interface BenchKey {
  issuer: string;
  audience: string;
  secret: string;
}

export function createBenchKey(): BenchKey {
  return { issuer: 'https://bench.loopgate.test', audience: 'loopgate-bench', secret: randomBytes(32).toString('base64url') };
}

/** The budget tier bench tokens carry: sized so the benchmark is never throttled. */
export const benchTier = 'bench';

/**
 * A token for the bench client: every scope the queries need, the unthrottled tier, and a
 * lifetime longer than any bounded run.
 */
export function mintBenchToken(key: BenchKey, ttlSeconds = 24 * 3600): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'pet:read', tier: benchTier })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(key.issuer)
    .setAudience(key.audience)
    .setSubject('bench-client')
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .sign(new TextEncoder().encode(key.secret));
}

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwksCache,
  type ExportedJWKSCache,
  type JWTVerifyGetKey,
} from 'jose';

export interface RemoteJwksOptions {
  url: string;
  cooldownMs: number;
  cacheMaxAgeMs: number;
  timeoutMs: number;
  /** The clock for the failure back-off (jose keeps its own cache clock). */
  now: () => number;
}

/** No key set could be fetched and none was fetched before. */
export class JwksUnavailableError extends errors.JOSEError {
  static override code = 'ERR_LOOPGATE_JWKS_UNAVAILABLE';
  override code = 'ERR_LOOPGATE_JWKS_UNAVAILABLE';
}

/**
 * jose's `createRemoteJWKSet` (cache, cooldown, timeout, refetch on an unknown `kid`) plus two
 * things it does not do: once the cache is stale, the last keys that were fetched keep verifying
 * while a refresh runs in the background, so a JWKS endpoint outage does not become an auth
 * outage; and after a failed fetch no new fetch starts for `cooldownMs`, so tokens with made-up
 * `kid`s cannot make every request wait out the fetch timeout.
 */
export function createResilientRemoteJwks(options: RemoteJwksOptions): JWTVerifyGetKey {
  // jose writes the last good key set and its fetch time here after every successful fetch.
  const seen: Partial<ExportedJWKSCache> = {};
  const remote = createRemoteJWKSet(new URL(options.url), {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    timeoutDuration: options.timeoutMs,
    [jwksCache]: seen as ExportedJWKSCache,
  });
  let lastKnown: { uat: number; getKey: JWTVerifyGetKey } | undefined;
  let failedAtMs = Number.NEGATIVE_INFINITY;

  const lastKnownKeys = (): JWTVerifyGetKey | undefined => {
    if (seen.jwks !== undefined && seen.uat !== undefined && seen.uat !== lastKnown?.uat) {
      lastKnown = { uat: seen.uat, getKey: createLocalJWKSet(seen.jwks) };
    }
    return lastKnown?.getKey;
  };
  const failingRecently = () => options.now() - failedAtMs < options.cooldownMs;
  const viaRemote: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (isFetchFailure(error)) failedAtMs = options.now();
      throw error;
    }
  };

  return async (header, token) => {
    const last = lastKnownKeys();
    if (last === undefined) {
      if (failingRecently()) throw new JwksUnavailableError('JWKS endpoint failed recently and no keys were ever fetched');
      return viaRemote(header, token);
    }
    if (remote.fresh && !failingRecently()) return viaRemote(header, token);
    if (!remote.fresh && !failingRecently() && !remote.reloading) {
      remote.reload().catch(() => {
        failedAtMs = options.now();
      });
    }
    try {
      return await last(header, token);
    } catch (error) {
      // A new kid may be a key rotation the background refresh has not picked up yet.
      if (error instanceof errors.JWKSNoMatchingKey && !failingRecently()) return viaRemote(header, token);
      throw error;
    }
  };
}

/** Errors from choosing a key are the token's fault; anything else came from the fetch. */
function isFetchFailure(error: unknown): boolean {
  return !(
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

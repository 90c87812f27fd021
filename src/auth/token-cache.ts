import { sha256Base64url } from '../shared/sha256';
import type { Identity } from './principal';

/**
 * A bounded LRU of verified tokens. Keys are SHA-256 hashes so that a heap dump or a debug log
 * of the cache never holds a usable token. An entry is never served at or after its expiry,
 * which is the token's `exp` capped by `maxTtlSeconds` (bounds how long a rotated-out key keeps
 * working) and by `iat + maxTokenAgeSeconds`.
 */
export interface TokenCache {
  get(tokenHash: string, nowMs: number): Identity | undefined;
  set(tokenHash: string, identity: Identity, expiresAtMs: number): void;
  readonly size: number;
}

interface Entry {
  identity: Identity;
  expiresAtMs: number;
  /** Set on a hit, cleared when eviction passes over it (second-chance LRU). */
  used: boolean;
}

/** The cache key of a token; hashing is most of the cost of a cache hit. */
export function hashToken(token: string): string {
  return sha256Base64url(token);
}

/**
 * Least-recently-used by the second-chance rule: a hit only sets a flag (moving the entry to the
 * back of the Map on every hit cost more than the rest of the hit path), and eviction sends
 * flagged entries to the back once before dropping the oldest unflagged one.
 */
export function createTokenCache(maxEntries: number): TokenCache {
  const entries = new Map<string, Entry>();
  const evictOne = () => {
    for (const [key, entry] of entries) {
      entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      entries.set(key, entry);
    }
  };
  return {
    get(tokenHash, nowMs) {
      const entry = entries.get(tokenHash);
      if (entry === undefined) return undefined;
      if (nowMs >= entry.expiresAtMs) {
        entries.delete(tokenHash);
        return undefined;
      }
      entry.used = true;
      return entry.identity;
    },
    set(tokenHash, identity, expiresAtMs) {
      if (maxEntries === 0) return;
      entries.delete(tokenHash);
      entries.set(tokenHash, { identity, expiresAtMs, used: false });
      while (entries.size > maxEntries) evictOne();
    },
    get size() {
      return entries.size;
    },
  };
}

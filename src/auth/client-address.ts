import { BlockList, isIP } from 'node:net';

/** Decides which addresses are trusted proxies; built once from `trustedProxies`. */
export interface ProxyTrust {
  isTrusted(address: string): boolean;
}

/** Builds the trust check from exact IPs and CIDR ranges (already validated by normalize). */
export function createProxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  if (entries.length === 0) return { isTrusted: () => false };
  return {
    isTrusted(address) {
      const plain = unmapIPv4(address);
      const version = isIP(plain);
      return version !== 0 && list.check(plain, version === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/**
 * The client's address. X-Forwarded-For is read only when the direct peer is a trusted proxy,
 * and then from the right: each hop appended by a trusted proxy is skipped, and the first
 * untrusted hop is the client (entries further left were written by the client and may lie).
 */
export function resolveClientAddress(remoteAddress: string, forwardedFor: string | null, trust: ProxyTrust): string {
  const peer = unmapIPv4(remoteAddress);
  if (forwardedFor === null || !trust.isTrusted(peer)) return peer;
  const hops = forwardedFor.split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = unmapIPv4(hops[i].trim());
    if (isIP(hop) === 0) break; // garbage from here on cannot be trusted: keep the last good hop
    client = hop;
    if (!trust.isTrusted(hop)) break;
  }
  return client;
}

/** `::ffff:1.2.3.4` (how a dual-stack socket reports IPv4 peers) is the IPv4 address. */
function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

import type { SignalReading, SignalWindow } from './types';

/**
 * Reading signal slots back from Redis hashes: fields "c:<name>" hold counters and
 * "d:<name>:<member>" distinct members (see recordSignalsScript). The window's distinct count
 * is the size of the union over its slots, capped like each slot.
 */
export function sumSlots(slots: Record<string, string>[], window: SignalWindow): SignalReading {
  const counts: Record<string, number> = {};
  const members = new Map<string, Set<string>>();
  for (const hash of slots) {
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('c:')) {
        const name = field.slice(2);
        counts[name] = (counts[name] ?? 0) + Number(value);
      } else if (field.startsWith('d:')) {
        const rest = field.slice(2);
        const colon = rest.indexOf(':');
        const name = rest.slice(0, colon);
        let set = members.get(name);
        if (set === undefined) members.set(name, (set = new Set()));
        set.add(rest.slice(colon + 1));
      }
    }
  }
  const distinct: Record<string, number> = {};
  for (const [name, set] of members) distinct[name] = Math.min(set.size, window.distinctCap);
  return { counts, distinct };
}

export function pairsToHash(pairs: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) hash[pairs[i]] = pairs[i + 1];
  return hash;
}

/** Signal names end up inside field names split on ':'. */
export function checkName(name: string): string {
  if (name.includes(':')) throw new TypeError(`signal name "${name}" must not contain ':'`);
  return name;
}

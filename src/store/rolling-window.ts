import type { SignalReading, SignalSample, SignalWindow } from './types';

/**
 * Counters over a rolling window made of fixed slots: a sample lands in the slot of its time,
 * a reading sums the slots still inside the window, so evidence older than the window stops
 * counting on its own (that is the decay). Memory per key is at most `slots` slots, each with
 * its counters and at most `distinctCap` members per distinct set.
 */
export interface SlotData {
  index: number;
  counts: Map<string, number>;
  distinct: Map<string, Set<string>>;
}

export interface RollingWindow {
  /** Ascending by index. */
  slots: SlotData[];
}

export function createRollingWindow(): RollingWindow {
  return { slots: [] };
}

export function slotIndex(window: SignalWindow, nowMs: number): number {
  return Math.floor(nowMs / window.slotMs);
}

/** Drops slots that have left the window ending at `nowMs`. */
function prune(rolling: RollingWindow, window: SignalWindow, nowMs: number): void {
  const first = slotIndex(window, nowMs) - window.slots + 1;
  let drop = 0;
  while (drop < rolling.slots.length && rolling.slots[drop].index < first) drop++;
  if (drop > 0) rolling.slots.splice(0, drop);
}

export function recordSample(rolling: RollingWindow, sample: SignalSample, window: SignalWindow, nowMs: number): void {
  prune(rolling, window, nowMs);
  const index = slotIndex(window, nowMs);
  let slot = rolling.slots.find((s) => s.index === index);
  if (slot === undefined) {
    slot = { index, counts: new Map(), distinct: new Map() };
    rolling.slots.push(slot);
    rolling.slots.sort((a, b) => a.index - b.index);
  }
  for (const [name, amount] of Object.entries(sample.counts)) {
    if (!Number.isFinite(amount) || amount === 0) continue;
    slot.counts.set(name, (slot.counts.get(name) ?? 0) + amount);
  }
  for (const [name, member] of Object.entries(sample.distinct ?? {})) {
    let set = slot.distinct.get(name);
    if (set === undefined) slot.distinct.set(name, (set = new Set()));
    if (set.size < window.distinctCap) set.add(member);
  }
}

export function readWindow(rolling: RollingWindow, window: SignalWindow, nowMs: number): SignalReading {
  const last = slotIndex(window, nowMs);
  const first = last - window.slots + 1;
  const counts: Record<string, number> = {};
  const members = new Map<string, Set<string>>();
  for (const slot of rolling.slots) {
    if (slot.index < first || slot.index > last) continue;
    for (const [name, amount] of slot.counts) counts[name] = (counts[name] ?? 0) + amount;
    for (const [name, set] of slot.distinct) {
      let union = members.get(name);
      if (union === undefined) members.set(name, (union = new Set()));
      for (const member of set) union.add(member);
    }
  }
  const distinct: Record<string, number> = {};
  for (const [name, union] of members) distinct[name] = Math.min(union.size, window.distinctCap);
  return { counts, distinct };
}

/** True once every slot has left the window: the key can be forgotten. */
export function isEmptyAt(rolling: RollingWindow, window: SignalWindow, nowMs: number): boolean {
  prune(rolling, window, nowMs);
  return rolling.slots.length === 0;
}

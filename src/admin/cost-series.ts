import { LruMap } from '../store/lru';

/** Cost per slot over the last `slots` slots, oldest first; `startMs` is the first slot's start. */
export interface CostSeries {
  startMs: number;
  slotMs: number;
  costs: number[];
}

export interface CostSeriesStore {
  /** Adds `cost` to the client's slot at `atMs`; samples older than the window are dropped. */
  record(clientId: string, cost: number, atMs: number): void;
  /** The window ending with the slot holding `nowMs`, or undefined when the client was never sampled. */
  read(clientId: string, nowMs: number): CostSeries | undefined;
}

interface Ring {
  /** Slot number (floor(atMs / slotMs)) of the newest slot written. */
  newestSlot: number;
  costs: Float64Array;
}

/**
 * Per-client cost over time for the dashboard, in memory and bounded: a fixed ring of slots per
 * client and at most `maxClients` clients (least recently sampled forgotten first). It lives in
 * one instance only: it is a picture for the operator, not an accounting record.
 */
export function createCostSeriesStore(options: { slotMs: number; slots: number; maxClients: number }): CostSeriesStore {
  const { slotMs, slots } = options;
  const rings = new LruMap<string, Ring>(options.maxClients);
  // Slot numbers may be negative (clocks before 1970 in tests); keep ring positions in range.
  const at = (slot: number) => ((slot % slots) + slots) % slots;
  return {
    record(clientId, cost, atMs) {
      if (!Number.isFinite(cost) || cost <= 0 || !Number.isFinite(atMs)) return;
      const slot = Math.floor(atMs / slotMs);
      let ring = rings.get(clientId);
      if (ring === undefined) rings.set(clientId, (ring = { newestSlot: slot, costs: new Float64Array(slots) }));
      if (slot <= ring.newestSlot - slots) return;
      if (slot > ring.newestSlot) {
        // Clear the slots skipped since the last sample (at most the whole ring).
        const clear = Math.min(slots, slot - ring.newestSlot);
        for (let i = 1; i <= clear; i++) ring.costs[at(ring.newestSlot + i)] = 0;
        ring.newestSlot = slot;
      }
      ring.costs[at(slot)] += cost;
    },
    read(clientId, nowMs) {
      const ring = rings.peek(clientId);
      if (ring === undefined) return undefined;
      const current = Math.max(Math.floor(nowMs / slotMs), ring.newestSlot);
      const first = current - slots + 1;
      const costs: number[] = [];
      for (let slot = first; slot <= current; slot++) {
        costs.push(slot <= ring.newestSlot && slot > ring.newestSlot - slots ? ring.costs[at(slot)] : 0);
      }
      return { startMs: first * slotMs, slotMs, costs };
    },
  };
}

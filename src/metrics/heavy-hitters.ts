/**
 * Space-Saving heavy hitters (weighted): at most `capacity` keys with an over-estimate of their
 * total weight. A new key replaces the lightest one and inherits its count, so a key that is
 * truly among the heaviest is never lost, and memory stays fixed whatever number of keys
 * arrives. The lightest key is the root of a min-heap, so each add is O(log capacity).
 */
export class HeavyHitters {
  readonly #capacity: number;
  readonly #keys: string[] = [];
  readonly #counts: number[] = [];
  readonly #index = new Map<string, number>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError('capacity must be an integer >= 1');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#keys.length;
  }

  /** Adds `weight` to `key`; returns the key it displaced, if any. */
  add(key: string, weight: number): string | undefined {
    const w = Number.isFinite(weight) && weight > 0 ? weight : 0;
    const at = this.#index.get(key);
    if (at !== undefined) {
      this.#counts[at] += w;
      this.#down(at);
      return undefined;
    }
    if (this.#keys.length < this.#capacity) {
      this.#keys.push(key);
      this.#counts.push(w);
      this.#index.set(key, this.#keys.length - 1);
      this.#up(this.#keys.length - 1);
      return undefined;
    }
    const evicted = this.#keys[0];
    this.#index.delete(evicted);
    this.#keys[0] = key;
    this.#counts[0] += w;
    this.#index.set(key, 0);
    this.#down(0);
    return evicted;
  }

  /** The (over-)estimated weight of a tracked key, or undefined when not tracked. */
  estimate(key: string): number | undefined {
    const at = this.#index.get(key);
    return at === undefined ? undefined : this.#counts[at];
  }

  #swap(a: number, b: number): void {
    [this.#keys[a], this.#keys[b]] = [this.#keys[b], this.#keys[a]];
    [this.#counts[a], this.#counts[b]] = [this.#counts[b], this.#counts[a]];
    this.#index.set(this.#keys[a], a);
    this.#index.set(this.#keys[b], b);
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#counts[parent] <= this.#counts[i]) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < n && this.#counts[l] < this.#counts[least]) least = l;
      if (r < n && this.#counts[r] < this.#counts[least]) least = r;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }
}

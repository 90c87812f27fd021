interface Node<K, V> {
  key: K;
  value: V;
  older: Node<K, V> | undefined;
  newer: Node<K, V> | undefined;
}

/**
 * A map bounded by entry count that forgets the least recently used entry first. Recency is a
 * doubly linked list beside the Map: moving an entry is pointer work, whereas re-inserting into
 * the Map would leave deleted slots that make every later "oldest" lookup walk over them.
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, Node<K, V>>();
  readonly #maxEntries: number;
  #oldest: Node<K, V> | undefined;
  #newest: Node<K, V> | undefined;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be an integer >= 1');
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Reads and marks as recently used. */
  get(key: K): V | undefined {
    const node = this.#map.get(key);
    if (node === undefined) return undefined;
    this.#unlink(node);
    this.#append(node);
    return node.value;
  }

  /** Reads without changing the order (admin reads must not keep idle clients alive). */
  peek(key: K): V | undefined {
    return this.#map.get(key)?.value;
  }

  set(key: K, value: V): void {
    const existing = this.#map.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.#unlink(existing);
      this.#append(existing);
      return;
    }
    const node: Node<K, V> = { key, value, older: undefined, newer: undefined };
    this.#map.set(key, node);
    this.#append(node);
    if (this.#map.size > this.#maxEntries && this.#oldest !== undefined) this.delete(this.#oldest.key);
  }

  delete(key: K): boolean {
    const node = this.#map.get(key);
    if (node === undefined) return false;
    this.#unlink(node);
    return this.#map.delete(key);
  }

  /** Oldest first. */
  *entries(): IterableIterator<[K, V]> {
    for (let node = this.#oldest; node !== undefined; node = node.newer) yield [node.key, node.value];
  }

  /** The least recently used entry, to let callers drop it early (idle expiry). */
  oldest(): [K, V] | undefined {
    return this.#oldest === undefined ? undefined : [this.#oldest.key, this.#oldest.value];
  }

  clear(): void {
    this.#map.clear();
    this.#oldest = this.#newest = undefined;
  }

  #unlink(node: Node<K, V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.#newest = node.older;
    node.older = node.newer = undefined;
  }

  #append(node: Node<K, V>): void {
    node.older = this.#newest;
    if (this.#newest) this.#newest.newer = node;
    this.#newest = node;
    if (this.#oldest === undefined) this.#oldest = node;
  }
}

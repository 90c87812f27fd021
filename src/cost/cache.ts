import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { CostOptions } from './options';
import { compileCostPlan, type CostPlan } from './plan';

/** A bounded map that forgets the least recently used entry first. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('cache option "maxEntries" must be an integer >= 1');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recent.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export interface CostPlanCacheOptions {
  /** Plans kept. Default 1000 (a plan is roughly the size of its parsed document). */
  maxEntries?: number;
}

export interface CostPlanCache {
  /** The plan for this document text and operation name, compiled on the first request. */
  get(documentText: string, operationName: string | null | undefined, document: DocumentNode | (() => DocumentNode)): CostPlan;
  readonly size: number;
}

/**
 * Plans per schema and options, keyed by document text + operation name. The key never includes
 * variables: the plan is evaluated again for every request, so new variable values are priced.
 */
export function createCostPlanCache(schema: GraphQLSchema, options?: CostOptions, cacheOptions: CostPlanCacheOptions = {}): CostPlanCache {
  const lru = new LruCache<CostPlan>(cacheOptions.maxEntries ?? 1000);
  return {
    get(documentText, operationName, document) {
      // A newline cannot be part of an operation name, so the key is unambiguous.
      const key = `${operationName ?? ''}\n${documentText}`;
      let plan = lru.get(key);
      if (!plan) {
        plan = compileCostPlan(schema, typeof document === 'function' ? document() : document, operationName, options);
        lru.set(key, plan);
      }
      return plan;
    },
    get size() {
      return lru.size;
    },
  };
}

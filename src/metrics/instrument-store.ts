import type { BudgetStore } from '../store/types';

/**
 * The same store, timing each call and telling `record` whether it succeeded. Built once: the
 * wrapper methods are plain closures, so the request path pays one `performance.now()` pair.
 */
export function instrumentStore(store: BudgetStore, record: (operation: string, ms: number, ok: boolean) => void): BudgetStore {
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(store) as Array<keyof BudgetStore>) {
    const value = store[key];
    if (typeof value !== 'function') {
      Object.defineProperty(wrapped, key, { get: () => store[key], enumerable: true }); // e.g. a live `size` getter
      continue;
    }
    if (key === 'close') continue;
    const method = value as (...args: unknown[]) => Promise<unknown>;
    wrapped[key] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const result = await method.apply(store, args);
        record(key, performance.now() - started, true);
        return result;
      } catch (error) {
        record(key, performance.now() - started, false);
        throw error;
      }
    };
  }
  wrapped.close = () => store.close();
  return wrapped as unknown as BudgetStore;
}

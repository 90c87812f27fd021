import type { DocumentNode } from 'graphql';

/**
 * Memoises one analysis per (owner, document, operation name). Owners (a schema, an index) and
 * documents are held weakly: Yoga caches parsed documents by text, so a repeated document hits
 * here, and a dropped schema or document takes its entries with it. No key involves variables
 * or principals: what is cached must be valid for every request.
 */
export function createOperationCache<Owner extends object, Value>(): {
  get(owner: Owner, document: DocumentNode, operationName: string | null | undefined, build: () => Value): Value;
} {
  const byOwner = new WeakMap<Owner, WeakMap<DocumentNode, Map<string, Value>>>();
  return {
    get(owner, document, operationName, build) {
      let byDocument = byOwner.get(owner);
      if (!byDocument) byOwner.set(owner, (byDocument = new WeakMap()));
      let byName = byDocument.get(document);
      if (!byName) byDocument.set(document, (byName = new Map()));
      const key = operationName ?? '';
      let value = byName.get(key);
      if (value === undefined) byName.set(key, (value = build()));
      return value;
    },
  };
}

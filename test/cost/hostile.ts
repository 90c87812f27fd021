import { Kind, parse, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';

/** `{ f { f { ... } } }` built as an AST: the text form would overflow graphql's recursive parser. */
export function deepDocument(levels: number, fieldName: string, leafName: string): DocumentNode {
  let set: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: leafName } }] };
  for (let i = 0; i < levels; i++) {
    const field: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: fieldName }, selectionSet: set };
    set = { kind: Kind.SELECTION_SET, selections: [field] };
  }
  return { kind: Kind.DOCUMENT, definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: 'query' as never, selectionSet: set }] };
}

/** F0 holds `selection`; each F(i) spreads F(i-1) twice: 2^n fields once expanded. */
export function fanOutDocument(fragments: number, typeName: string, root: string, selection: string): DocumentNode {
  const parts = [`fragment F0 on ${typeName} { ${selection} }`];
  for (let i = 1; i < fragments; i++) parts.push(`fragment F${i} on ${typeName} { ...F${i - 1} ...F${i - 1} }`);
  return parse(`{ ${root} { ...F${fragments - 1} } } ${parts.join('\n')}`, { maxTokens: 1_000_000 });
}

export function aliasBomb(count: number, field: string, fragment: string): string {
  const aliases = Array.from({ length: count }, (_, i) => `a${i}: ${field} { ...X }`).join(' ');
  return `{ ${aliases} } ${fragment}`;
}

import {
  isAbstractType,
  isCompositeType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { gatewayError } from '../errors';
import { schemaCostIndex, type FieldCostInfo, type SchemaCostIndex } from './directives';
import { orderFragments, pickOperation } from './fragment-order';
import { normalizeCostOptions, type CostOptions, type NormalizedCostOptions } from './options';
import { compileCondition, compileNumberSource, variableDefaults, type Condition, type NumberSource } from './values';

/** One field of the operation, with everything a cost model reads already resolved. */
export interface AnalysedField {
  readonly responseKey: string;
  readonly name: string;
  readonly parentType: string;
  /** Response path inside its definition: "viewer.repositories", or "FragmentName:issues" in a fragment. */
  readonly path: string;
  /** Null for `__typename`. */
  readonly info: FieldCostInfo | null;
  readonly condition: Condition;
  /** Sources of the `@listSize` slicing arguments, in directive order. */
  readonly slicing: ReadonlyArray<NumberSource>;
  /** Set on a child named in its parent's `sizedFields`: the parent's slicing sources size it. */
  readonly sizedBy: AnalysedField | null;
  /** Conventional pagination arguments (GitHub, Shopify, Relay), when the field declares them. */
  readonly first: NumberSource | null;
  readonly last: NumberSource | null;
  /** Arguments given that carry `@cost` or hold weighted input fields. */
  readonly weightedArguments: ReadonlyArray<{ weight: number; inputType: string; value: ValueNode }>;
  readonly selection: AnalysedSelection | null;
}

export type AnalysedItem =
  | { readonly kind: 'field'; readonly field: AnalysedField }
  | { readonly kind: 'spread'; readonly fragment: number; readonly condition: Condition }
  | { readonly kind: 'inline'; readonly selection: AnalysedSelection; readonly condition: Condition };

/** A selection set: items that always apply, and groups that apply to some possible types only. */
export interface AnalysedSelection {
  readonly typeName: string;
  readonly items: ReadonlyArray<AnalysedItem>;
  readonly groups: ReadonlyArray<{ readonly typeNames: ReadonlySet<string>; readonly item: AnalysedItem }>;
  /** Distinct sets of group indexes that apply together to one possible type (abstract parents only). */
  readonly combos: ReadonlyArray<ReadonlyArray<number>>;
}

export interface AnalysedFragment {
  readonly name: string;
  readonly selection: AnalysedSelection;
}

/** The model-neutral result of compiling (schema, document, operationName) once. */
export interface AnalysedOperation {
  readonly operationType: 'query' | 'mutation' | 'subscription';
  readonly operationName: string | null;
  readonly root: AnalysedSelection;
  /** Dependencies first: a model evaluates them in order and memoises each. */
  readonly fragments: ReadonlyArray<AnalysedFragment>;
  readonly variableDefaults: Readonly<Record<string, unknown>> | null;
  /** Errors that make the operation unpriceable (unknown operation, fragment cycle, too deep). */
  readonly errors: ReadonlyArray<GraphQLError>;
  readonly options: NormalizedCostOptions;
  readonly index: SchemaCostIndex;
}

const NONE: ReadonlySet<string> = new Set();
const EMPTY: AnalysedSelection = { typeName: '', items: [], groups: [], combos: [] };

class Compiler {
  private readonly fragmentIndex: ReadonlyMap<string, number>;
  private readonly skipped: ReadonlySet<string>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly index: SchemaCostIndex,
    fragmentIndex: ReadonlyMap<string, number>,
    skipped: ReadonlySet<string>,
  ) {
    this.fragmentIndex = fragmentIndex;
    this.skipped = skipped;
  }

  /** Recursion depth is bounded by the nesting check done before compiling. */
  selection(type: GraphQLCompositeType, set: SelectionSetNode, prefix: string, parentField: AnalysedField | null): AnalysedSelection {
    const items: AnalysedItem[] = [];
    const groups: Array<{ typeNames: ReadonlySet<string>; item: AnalysedItem }> = [];
    for (const node of set.selections) {
      const condition = compileCondition(node.directives);
      if (condition === 'never') continue;
      if (node.kind === Kind.FIELD) {
        const field = this.field(type, node, prefix, condition, parentField);
        if (field) items.push({ kind: 'field', field });
        continue;
      }
      let conditionType: GraphQLCompositeType = type;
      let item: AnalysedItem;
      if (node.kind === Kind.INLINE_FRAGMENT) {
        if (node.typeCondition) {
          const named = this.schema.getType(node.typeCondition.name.value);
          if (!isCompositeType(named)) continue;
          conditionType = named;
        }
        item = { kind: 'inline', selection: this.selection(conditionType, node.selectionSet, prefix, parentField), condition };
      } else {
        const position = this.fragmentIndex.get(node.name.value);
        if (position === undefined || this.skipped.has(node.name.value)) continue;
        const named = this.schema.getType(this.fragmentTypeName(position));
        if (!isCompositeType(named)) continue;
        conditionType = named;
        item = { kind: 'spread', fragment: position, condition };
      }
      const applies = this.applicableTypes(type, conditionType);
      if (applies === 'all') items.push(item);
      else if (applies.size > 0) groups.push({ typeNames: applies, item });
    }
    return { typeName: type.name, items, groups, combos: groups.length > 0 ? this.combos(type, groups) : [] };
  }

  fragmentTypeNames: string[] = [];
  private fragmentTypeName(position: number): string {
    return this.fragmentTypeNames[position];
  }

  /** 'all' when the condition holds for every possible type of the parent, else the overlap. */
  private applicableTypes(parent: GraphQLCompositeType, condition: GraphQLCompositeType): 'all' | ReadonlySet<string> {
    if (parent === condition) return 'all';
    if (!isAbstractType(parent)) {
      return isAbstractType(condition) && this.schema.isSubType(condition, parent) ? 'all' : NONE;
    }
    if (!isAbstractType(condition)) {
      return this.schema.isSubType(parent, condition) ? new Set([condition.name]) : NONE;
    }
    const parentTypes = this.schema.getPossibleTypes(parent);
    const overlap = new Set<string>();
    for (const t of parentTypes) if (this.schema.isSubType(condition, t)) overlap.add(t.name);
    return overlap.size === parentTypes.length ? 'all' : overlap;
  }

  /** Groups that apply together, deduplicated, so evaluation takes a max over few sums. */
  private combos(type: GraphQLCompositeType, groups: ReadonlyArray<{ typeNames: ReadonlySet<string> }>): number[][] {
    const possible = isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type];
    const seen = new Map<string, number[]>();
    for (const t of possible) {
      const combo: number[] = [];
      groups.forEach((group, i) => {
        if (group.typeNames.has(t.name)) combo.push(i);
      });
      seen.set(combo.join(','), combo);
    }
    return [...seen.values()];
  }

  private field(
    parent: GraphQLCompositeType,
    node: FieldNode,
    prefix: string,
    condition: Condition,
    parentField: AnalysedField | null,
  ): AnalysedField | null {
    const name = node.name.value;
    const responseKey = node.alias?.value ?? name;
    const path = prefix === '' || prefix.endsWith(':') ? prefix + responseKey : `${prefix}.${responseKey}`;
    if (name === '__typename') {
      return {
        responseKey, name, parentType: parent.name, path, info: null, condition, slicing: [], sizedBy: null,
        first: null, last: null, weightedArguments: [], selection: null,
      };
    }
    const def = this.definition(parent, name);
    if (!def) return null; // unknown field: validation reports it, the estimate ignores it
    const info = this.index.field(parent.name, def);
    const args = node.arguments;
    const listSize = info.listSize;
    const slicing: NumberSource[] = [];
    if (listSize) {
      for (const p of listSize.slicingArguments) slicing.push(compileNumberSource(args, findArgument(def, p[0]), p));
    }
    let weightedArguments: Array<{ weight: number; inputType: string; value: ValueNode }> = NO_WEIGHTED;
    for (const weighted of info.weightedArguments) {
      const given = args?.find((a) => a.name.value === weighted.name);
      if (given && given.value.kind !== Kind.NULL) {
        if (weightedArguments === NO_WEIGHTED) weightedArguments = [];
        weightedArguments.push({ weight: weighted.weight, inputType: namedInput(weighted.type), value: given.value });
      }
    }
    const sizedBy = parentField?.info?.listSize?.sizedFields.includes(name) ? parentField : null;
    let first: NumberSource | null = null;
    let last: NumberSource | null = null;
    if (def.args.length > 0) {
      const firstDef = findArgument(def, 'first');
      const lastDef = findArgument(def, 'last');
      if (firstDef) first = compileNumberSource(args, firstDef, FIRST);
      if (lastDef) last = compileNumberSource(args, lastDef, LAST);
    }
    const field: {
      -readonly [K in keyof AnalysedField]: AnalysedField[K];
    } = { responseKey, name, parentType: parent.name, path, info, condition, slicing, sizedBy, first, last, weightedArguments, selection: null };
    if (node.selectionSet && !info.isLeaf) {
      field.selection = this.selection(info.namedType as GraphQLCompositeType, node.selectionSet, path, field);
    }
    return field;
  }

  private definition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (parent === this.schema.getQueryType()) {
      if (name === '__schema') return SchemaMetaFieldDef;
      if (name === '__type') return TypeMetaFieldDef;
    }
    return 'getFields' in parent ? parent.getFields()[name] : undefined;
  }
}

const NO_WEIGHTED: Array<{ weight: number; inputType: string; value: ValueNode }> = [];
const FIRST = ['first'];
const LAST = ['last'];

function findArgument(def: GraphQLField<unknown, unknown>, name: string) {
  for (const arg of def.args) if (arg.name === name) return arg;
  return undefined;
}

function namedInput(type: { toString(): string }): string {
  return String(type).replace(/[[\]!]/g, '');
}

/**
 * Compiles one operation into the structure every cost model evaluates. Linear in the document:
 * each fragment is compiled once, whatever the number of spreads.
 */
export function analyseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  options?: CostOptions,
): AnalysedOperation {
  const normalized = normalizeCostOptions(options);
  const index = schemaCostIndex(schema, normalized);
  const failed = (error: GraphQLError, operationType: AnalysedOperation['operationType'] = 'query'): AnalysedOperation => ({
    operationType, operationName: operationName ?? null, root: EMPTY, fragments: [], variableDefaults: null,
    errors: [error], options: normalized, index,
  });
  const picked = pickOperation(document, operationName);
  if (!picked.ok) {
    return failed(gatewayError('BAD_REQUEST', picked.reason === 'unknown' ? 'Unknown operation.' : 'Operation name required.'));
  }
  const operation = picked.operation;
  const ordered = orderFragments(document, operation);
  if (ordered.localNesting > normalized.maxAnalysisDepth) {
    return failed(gatewayError('MAX_DEPTH_LIMIT', 'Operation is nested too deeply to analyse.'), operation.operation);
  }
  const errors: GraphQLError[] = [];
  if (ordered.cyclic.size > 0) {
    errors.push(gatewayError('GRAPHQL_VALIDATION_FAILED', 'Fragments must not form cycles.', { extensions: { fragments: [...ordered.cyclic] } }));
  }
  const compiler = new Compiler(schema, index, ordered.position, ordered.cyclic);
  compiler.fragmentTypeNames = ordered.fragments.map((f) => f.typeCondition.name.value);
  const fragments: AnalysedFragment[] = [];
  for (const definition of ordered.fragments) {
    const type = schema.getType(definition.typeCondition.name.value);
    const name = definition.name.value;
    const selection = isCompositeType(type) && !ordered.cyclic.has(name) ? compiler.selection(type, definition.selectionSet, `${name}:`, null) : EMPTY;
    fragments.push({ name, selection });
  }
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) {
    return failed(gatewayError('GRAPHQL_VALIDATION_FAILED', `Schema does not support ${operation.operation}.`), operation.operation);
  }
  return {
    operationType: operation.operation,
    operationName: operation.name?.value ?? null,
    root: compiler.selection(rootType, operation.selectionSet, '', null),
    fragments,
    variableDefaults: variableDefaults(operation),
    errors,
    options: normalized,
    index,
  };
}

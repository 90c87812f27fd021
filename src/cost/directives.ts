import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type ConstDirectiveNode,
  type ConstValueNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { CostDirectiveOverride, NormalizedCostOptions } from './options';

/** `@listSize` as the analysis uses it; slicing paths are split at dots once, here. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments: ReadonlyArray<ReadonlyArray<string>>;
  sizedFields: ReadonlyArray<string>;
  requireOneSlicingArgument: boolean;
}

/** What the schema says about one field, read once per schema and options. */
export interface FieldCostInfo {
  coordinate: string;
  /** `@cost` on the field, if any: it replaces the type's weight. */
  weight?: number;
  listSize?: ListSize;
  /** Weights of arguments that carry `@cost` or whose input type holds weighted fields. */
  weightedArguments: ReadonlyArray<{ name: string; weight: number; type: GraphQLInputType }>;
  isList: boolean;
  namedType: GraphQLNamedType;
  /** Default weight of the returned type (abstract: the largest over its possible types). */
  typeWeight: number;
  isLeaf: boolean;
}

/**
 * Directive values indexed per schema: built lazily, type by type, so a big schema costs
 * nothing at start-up and each field is read from its AST once.
 */
export class SchemaCostIndex {
  private readonly fields = new Map<string, Map<string, FieldCostInfo | null>>();
  private readonly typeWeights = new Map<string, number>();
  private readonly inputWeights = new Map<string, ReadonlyMap<string, number> | null>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly options: NormalizedCostOptions,
  ) {}

  field(parentName: string, def: GraphQLField<unknown, unknown>): FieldCostInfo {
    let byName = this.fields.get(parentName);
    if (!byName) this.fields.set(parentName, (byName = new Map()));
    let info = byName.get(def.name);
    if (!info) byName.set(def.name, (info = this.readField(parentName, def)));
    return info;
  }

  /** Weight of a named type: `@cost` on it or an override, else the default by kind. */
  typeWeight(type: GraphQLNamedType): number {
    let weight = this.typeWeights.get(type.name);
    if (weight !== undefined) return weight;
    if (isObjectType(type) || isScalarType(type) || isEnumType(type)) {
      weight = this.costOf(type.name, [type.astNode, ...(type.extensionASTNodes ?? [])]) ?? this.kindWeight(type);
    } else {
      // Abstract: the largest over the possible types keeps the estimate an upper bound.
      weight = this.options.objectWeight;
      for (const possible of this.schema.getPossibleTypes(type as never)) {
        weight = Math.max(weight, this.typeWeight(possible));
      }
    }
    this.typeWeights.set(type.name, weight);
    return weight;
  }

  /** Weighted fields of an input object type, or null when none (the common case). */
  inputFieldWeights(typeName: string): ReadonlyMap<string, number> | null {
    if (this.inputWeights.has(typeName)) return this.inputWeights.get(typeName) ?? null;
    this.inputWeights.set(typeName, null); // guards recursive input types while reading
    const type = this.schema.getType(typeName);
    let result: Map<string, number> | null = null;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const own = this.costOf(`${typeName}.${field.name}`, [field.astNode]);
        const nested = getNamedType(field.type);
        const inner = isInputObjectType(nested) ? this.inputFieldWeights(nested.name) : null;
        if (own !== undefined || inner) (result ??= new Map()).set(field.name, own ?? 0);
      }
    }
    this.inputWeights.set(typeName, result);
    return result;
  }

  private kindWeight(type: GraphQLNamedType): number {
    if (isScalarType(type)) return this.options.scalarWeight;
    if (isEnumType(type)) return this.options.enumWeight;
    return this.options.objectWeight;
  }

  private readField(parentName: string, def: GraphQLField<unknown, unknown>): FieldCostInfo {
    const coordinate = `${parentName}.${def.name}`;
    const namedType = getNamedType(def.type);
    const weightedArguments: Array<{ name: string; weight: number; type: GraphQLInputType }> = [];
    for (const arg of def.args) {
      const own = this.costOf(`${coordinate}(${arg.name}:)`, [arg.astNode]);
      const named = getNamedType(arg.type);
      const inner = isInputObjectType(named) ? this.inputFieldWeights(named.name) : null;
      if (own !== undefined || inner) weightedArguments.push({ name: arg.name, weight: own ?? 0, type: arg.type });
    }
    return {
      coordinate,
      weight: this.costOf(coordinate, [def.astNode]),
      listSize: this.listSizeOf(coordinate, def.astNode?.directives),
      weightedArguments,
      isList: isListOutput(def.type),
      namedType,
      typeWeight: this.typeWeight(namedType),
      isLeaf: isScalarType(namedType) || isEnumType(namedType),
    };
  }

  private override(coordinate: string): CostDirectiveOverride | undefined {
    return Object.hasOwn(this.options.overrides, coordinate) ? this.options.overrides[coordinate] : undefined;
  }

  private costOf(
    coordinate: string,
    nodes: ReadonlyArray<{ readonly directives?: ReadonlyArray<ConstDirectiveNode> } | null | undefined>,
  ): number | undefined {
    const override = this.override(coordinate)?.weight;
    if (override !== undefined) return override;
    for (const node of nodes) {
      for (const directive of node?.directives ?? []) {
        if (!this.options.costDirectiveNames.includes(directive.name.value)) continue;
        const weight = numberOf(argumentValue(directive, 'weight'));
        if (weight !== undefined) return weight;
      }
    }
    return undefined;
  }

  private listSizeOf(coordinate: string, directives: ReadonlyArray<ConstDirectiveNode> | undefined): ListSize | undefined {
    const override = this.override(coordinate)?.listSize;
    if (override) {
      return {
        assumedSize: override.assumedSize,
        slicingArguments: (override.slicingArguments ?? []).map((path) => path.split('.')),
        sizedFields: override.sizedFields ?? [],
        requireOneSlicingArgument: override.requireOneSlicingArgument ?? true,
      };
    }
    const directive = directives?.find((d) => this.options.listSizeDirectiveNames.includes(d.name.value));
    if (!directive) return undefined;
    const require = argumentValue(directive, 'requireOneSlicingArgument');
    return {
      assumedSize: numberOf(argumentValue(directive, 'assumedSize')),
      slicingArguments: stringsOf(argumentValue(directive, 'slicingArguments')).map((path) => path.split('.')),
      sizedFields: stringsOf(argumentValue(directive, 'sizedFields')),
      requireOneSlicingArgument: require?.kind === Kind.BOOLEAN ? require.value : true,
    };
  }
}

function isListOutput(type: GraphQLOutputType): boolean {
  return isListType(getNullableType(type));
}

function argumentValue(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value;
}

function numberOf(value: ConstValueNode | undefined): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT || value.kind === Kind.FLOAT || value.kind === Kind.STRING) {
    const parsed = Number(value.value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function stringsOf(value: ConstValueNode | undefined): string[] {
  if (!value) return [];
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind !== Kind.LIST) return [];
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

const indexes = new WeakMap<GraphQLSchema, Map<string, SchemaCostIndex>>();

/** One index per (schema, normalised options): built on first use, reused by every plan. */
export function schemaCostIndex(schema: GraphQLSchema, options: NormalizedCostOptions): SchemaCostIndex {
  let byOptions = indexes.get(schema);
  if (!byOptions) indexes.set(schema, (byOptions = new Map()));
  // Keyed by content, not identity: options rebuilt per request still share the index.
  let index = byOptions.get(options.indexKey);
  if (!index) byOptions.set(options.indexKey, (index = new SchemaCostIndex(schema, options)));
  return index;
}

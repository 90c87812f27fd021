import {
  getNamedType,
  isInputObjectType,
  Kind,
  valueFromASTUntyped,
  type DirectiveNode,
  type GraphQLArgument,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';

export type VariableValues = Readonly<Record<string, unknown>>;

/**
 * Where a number (a slicing argument, first/last) comes from, decided once at compile time so
 * evaluation with new variables only reads the variable.
 * `given` says whether the operation itself supplied the value (a schema default does not count).
 */
export type NumberSource =
  | { kind: 'const'; value: number; given: boolean }
  | { kind: 'var'; name: string; rest: ReadonlyArray<string>; fallback: number | undefined }
  | { kind: 'absent' };

export interface ResolvedNumber {
  value: number | undefined;
  given: boolean;
}

const ABSENT: NumberSource = { kind: 'absent' };

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function readPath(value: unknown, path: ReadonlyArray<string>): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Default of an input field reached by `path` below `type`, for values the client left out. */
function inputDefault(type: GraphQLInputType, path: ReadonlyArray<string>): number | undefined {
  let current = getNamedType(type);
  let value: unknown;
  for (const segment of path) {
    if (!isInputObjectType(current)) return undefined;
    const field = current.getFields()[segment];
    if (!field) return undefined;
    value = field.defaultValue;
    current = getNamedType(field.type);
  }
  return asNumber(value);
}

/**
 * Compiles the source of `argument.path...` (a dotted slicing path) from the field's arguments:
 * literals become constants, variables become lookups, absent values fall back to schema defaults.
 */
export function compileNumberSource(
  args: ReadonlyArray<{ name: { value: string }; value: ValueNode }> | undefined,
  definition: GraphQLArgument | undefined,
  path: ReadonlyArray<string>,
): NumberSource {
  if (!definition) return ABSENT;
  let node: ValueNode | undefined = args?.find((arg) => arg.name.value === path[0])?.value;
  let schemaDefault: unknown = definition.defaultValue;
  let type: GraphQLInputType = definition.type;
  for (let i = 1; i <= path.length; i++) {
    if (node?.kind === Kind.VARIABLE) {
      const rest = path.slice(i);
      const fallback = rest.length === 0 ? asNumber(schemaDefault) : inputDefault(type, rest) ?? asNumber(readPath(schemaDefault, rest));
      return { kind: 'var', name: node.name.value, rest, fallback };
    }
    if (i === path.length) break;
    const segment = path[i];
    const named = getNamedType(type);
    if (!isInputObjectType(named)) return ABSENT;
    const field = named.getFields()[segment];
    if (!field) return ABSENT;
    if (node?.kind === Kind.OBJECT) {
      node = node.fields.find((f) => f.name.value === segment)?.value;
      schemaDefault = field.defaultValue;
    } else {
      node = undefined;
      schemaDefault = readPath(schemaDefault, [segment]) ?? field.defaultValue;
    }
    type = field.type;
  }
  if (node && (node.kind === Kind.INT || node.kind === Kind.FLOAT)) {
    return { kind: 'const', value: Number(node.value), given: true };
  }
  const fallback = asNumber(schemaDefault);
  return fallback === undefined ? ABSENT : { kind: 'const', value: fallback, given: false };
}

/** Reads a compiled source against this request's variables (operation defaults already folded in). */
export function resolveNumber(source: NumberSource, variables: VariableValues): ResolvedNumber {
  switch (source.kind) {
    case 'const':
      return { value: source.value, given: source.given };
    case 'absent':
      return { value: undefined, given: false };
    case 'var': {
      const value = asNumber(source.rest.length === 0 ? variables[source.name] : readPath(variables[source.name], source.rest));
      return value === undefined ? { value: source.fallback, given: false } : { value, given: true };
    }
  }
}

/** Variable defaults declared by the operation, applied under the request's own values. */
export function variableDefaults(operation: OperationDefinitionNode): Readonly<Record<string, unknown>> | null {
  let defaults: Record<string, unknown> | null = null;
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) (defaults ??= {})[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return defaults;
}

export function withDefaults(
  variables: VariableValues | null | undefined,
  defaults: Readonly<Record<string, unknown>> | null,
): VariableValues {
  if (!defaults) return variables ?? {};
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(variables ?? {})) if (value !== undefined) merged[key] = value;
  return merged;
}

/** `@skip`/`@include` compiled: null means always included. */
export type Condition = ReadonlyArray<{ variable: string; include: boolean }> | null;

/** Compiles `@skip`/`@include`; returns 'never' when a literal excludes the node for every request. */
export function compileCondition(directives: ReadonlyArray<DirectiveNode> | undefined): Condition | 'never' {
  if (!directives || directives.length === 0) return null;
  let condition: Array<{ variable: string; include: boolean }> | null = null;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const value = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
    const include = name === 'include';
    if (value?.kind === Kind.BOOLEAN) {
      if (value.value !== include) return 'never';
    } else if (value?.kind === Kind.VARIABLE) {
      (condition ??= []).push({ variable: value.name.value, include });
    }
  }
  return condition;
}

export function isIncluded(condition: Condition, variables: VariableValues): boolean {
  if (!condition) return true;
  for (const { variable, include } of condition) {
    // A missing variable leaves the node in: the estimate stays an upper bound.
    const value = variables[variable];
    if (typeof value === 'boolean' && value !== include) return false;
  }
  return true;
}

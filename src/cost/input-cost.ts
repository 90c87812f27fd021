import { valueFromASTUntyped, type GraphQLSchema, getNamedType, isInputObjectType } from 'graphql';
import type { AnalysedField } from './analyse';
import type { SchemaCostIndex } from './directives';
import type { VariableValues } from './values';

/** Input objects nested deeper than this add nothing more: a guard, no real input gets near it. */
const MAX_INPUT_DEPTH = 32;

function valueCost(index: SchemaCostIndex, schema: GraphQLSchema, typeName: string, value: unknown, depth: number): number {
  if (depth > MAX_INPUT_DEPTH || value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += valueCost(index, schema, typeName, item, depth + 1);
    return sum;
  }
  const weights = index.inputFieldWeights(typeName);
  if (!weights) return 0;
  const type = schema.getType(typeName);
  if (!isInputObjectType(type)) return 0;
  const fields = type.getFields();
  let sum = 0;
  for (const [name, weight] of weights) {
    const inner = (value as Record<string, unknown>)[name];
    if (inner === undefined || inner === null) continue;
    sum += weight + valueCost(index, schema, getNamedType(fields[name].type).name, inner, depth + 1);
  }
  return sum;
}

/** `@cost` of the arguments given, and of the weighted input fields inside them. */
export function argumentsCost(field: AnalysedField, index: SchemaCostIndex, variables: VariableValues): number {
  let sum = 0;
  for (const argument of field.weightedArguments) {
    const value = valueFromASTUntyped(argument.value, variables);
    if (value === undefined || value === null) continue;
    sum += argument.weight + valueCost(index, index.schema, argument.inputType, value, 0);
  }
  return sum;
}

import { isObjectType, type GraphQLNamedType } from 'graphql';
import type { AnalysedField } from '../analyse';
import { resolveNumber, type VariableValues } from '../values';

/** Relay-style connection: a `...Connection` object returned by a field that takes first/last. */
export function isConnection(field: AnalysedField): boolean {
  return (field.first !== null || field.last !== null) && isConnectionType(field.info?.namedType);
}

export function isConnectionType(type: GraphQLNamedType | undefined): boolean {
  return type !== undefined && isObjectType(type) && type.name.endsWith('Connection');
}

/** first/last as given by the request: the larger when both are, undefined when neither is. */
export function pageSize(field: AnalysedField, variables: VariableValues): number | undefined {
  const first = field.first ? resolveNumber(field.first, variables).value : undefined;
  const last = field.last ? resolveNumber(field.last, variables).value : undefined;
  if (first === undefined) return last;
  if (last === undefined) return first;
  return Math.max(first, last);
}

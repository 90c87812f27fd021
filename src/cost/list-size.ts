import type { GraphQLError } from 'graphql';
import { gatewayError } from '../errors';
import type { AnalysedField } from './analyse';
import { resolveNumber, type VariableValues } from './values';

function clamp(size: number): number {
  // A negative or fractional page size cannot return fewer than zero items.
  return size > 0 ? Math.ceil(size) : 0;
}

/**
 * Items a list field is expected to return, by the IBM rules: the largest slicing argument given
 * (literal or variable), else the largest schema default of one, else `assumedSize`, else the
 * default list size. `report` checks `requireOneSlicingArgument` (done once, on the field that
 * declares the directive, not again on its sized children).
 */
export function slicedSize(
  field: AnalysedField,
  variables: VariableValues,
  defaultListSize: number,
  errors: GraphQLError[] | null,
): number {
  const listSize = field.info?.listSize;
  if (!listSize) return defaultListSize;
  let given = 0;
  let largest: number | undefined;
  let largestDefault: number | undefined;
  for (const source of field.slicing) {
    const { value, given: isGiven } = resolveNumber(source, variables);
    if (value === undefined) continue;
    if (isGiven) {
      given++;
      largest = largest === undefined ? value : Math.max(largest, value);
    } else {
      largestDefault = largestDefault === undefined ? value : Math.max(largestDefault, value);
    }
  }
  if (errors && listSize.requireOneSlicingArgument && listSize.slicingArguments.length > 0) {
    if (given > 1 || (given === 0 && largestDefault === undefined)) {
      errors.push(
        gatewayError('BAD_USER_INPUT', `Exactly one slicing argument is required on ${field.info!.coordinate}.`, {
          extensions: {
            coordinate: field.info!.coordinate,
            slicingArguments: listSize.slicingArguments.map((p) => p.join('.')),
          },
        }),
      );
    }
  }
  if (largest !== undefined) return clamp(largest);
  if (largestDefault !== undefined) return clamp(largestDefault);
  return listSize.assumedSize ?? defaultListSize;
}

/** How many times a field's item cost counts: 1, a sized child's parent slice, or the list size. */
export function multiplier(field: AnalysedField, variables: VariableValues, defaultListSize: number, errors: GraphQLError[]): number {
  const info = field.info!;
  const listSize = info.listSize;
  const ownSlicesChildren = listSize !== undefined && listSize.sizedFields.length > 0;
  // The field that declares the directive checks requireOneSlicingArgument once.
  if (ownSlicesChildren && listSize.slicingArguments.length > 0) slicedSize(field, variables, defaultListSize, errors);
  if (field.sizedBy) return slicedSize(field.sizedBy, variables, defaultListSize, null);
  if (!info.isList) return 1;
  if (ownSlicesChildren) return listSize.assumedSize ?? defaultListSize;
  return slicedSize(field, variables, defaultListSize, errors);
}

import { createOperationCache } from '../shared/operation-cache';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { gatewayError } from '../errors';
import type { ArgumentConstraintIndex } from './extract-constraints';
import { validateArguments, type ArgumentViolation } from './validate-arguments';

/** One field call of the operation whose arguments have OpenAPI constraints. */
export interface ArgumentCheckTarget {
  coordinate: string;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/** What one document's operation needs checked, found once per document (see planArgumentChecks). */
export interface ArgumentCheckPlan {
  operation: OperationDefinitionNode | undefined;
  targets: ReadonlyArray<ArgumentCheckTarget>;
}

const plans = createOperationCache<ArgumentConstraintIndex, ArgumentCheckPlan>();

function selectedOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

/**
 * The field calls of the operation that have constraints, with fragments followed. Each
 * selection set is visited once per parent type, so nested fragment spreads stay linear.
 * Cached per index, document object and operation name.
 */
export function planArgumentChecks(
  index: ArgumentConstraintIndex,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): ArgumentCheckPlan {
  return plans.get(index, document, operationName, () => buildPlan(index, schema, document, operationName));
}

function buildPlan(
  index: ArgumentConstraintIndex,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): ArgumentCheckPlan {
  const operation = selectedOperation(document, operationName ?? undefined);
  const targets: ArgumentCheckTarget[] = [];
  if (operation && index.coordinates.size > 0) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const seen = new Map<SelectionSetNode, Set<string>>();
    const walk = (set: SelectionSetNode, type: GraphQLNamedType | undefined): void => {
      if (!type || !(isObjectType(type) || isInterfaceType(type))) return;
      let types = seen.get(set);
      if (!types) seen.set(set, (types = new Set()));
      if (types.has(type.name)) return;
      types.add(type.name);
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const field = type.getFields()[sel.name.value];
          if (!field) continue;
          const coordinate = `${type.name}.${field.name}`;
          if (index.coordinates.has(coordinate)) targets.push({ coordinate, field, node: sel });
          if (sel.selectionSet) walk(sel.selectionSet, getNamedType(field.type));
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          walk(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type);
        } else {
          const fragment = fragments.get(sel.name.value);
          if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
        }
      }
    };
    walk(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  }
  const plan: ArgumentCheckPlan = { operation, targets };
  return plan;
}

/** The BAD_USER_INPUT error for one violation: where, which rule, never the value itself. */
export function violationError(coordinate: string, violation: ArgumentViolation): GraphQLError {
  return gatewayError('BAD_USER_INPUT', `Argument ${violation.path} of ${coordinate} ${violation.message}.`, {
    extensions: { coordinate, argument: violation.path, rule: violation.rule },
  });
}

/**
 * Per request: coerces the variables, reads each target's argument values as execution will
 * (`getArgumentValues`) and checks them. Values GraphQL itself rejects are left to execution,
 * which reports them with its own errors. Fields under `@skip`/`@include` are checked anyway.
 */
export function checkOperationArguments(
  index: ArgumentConstraintIndex,
  schema: GraphQLSchema,
  plan: ArgumentCheckPlan,
  rawVariables: Readonly<Record<string, unknown>> | null | undefined,
): GraphQLError[] {
  if (plan.targets.length === 0 || !plan.operation) return [];
  const coerced = getVariableValues(schema, plan.operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return [];
  const errors: GraphQLError[] = [];
  for (const target of plan.targets) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(target.field, target.node, coerced.coerced);
    } catch {
      continue;
    }
    for (const violation of validateArguments(index, target.coordinate, args)) errors.push(violationError(target.coordinate, violation));
    if (errors.length >= index.maxViolations) break;
  }
  return errors;
}

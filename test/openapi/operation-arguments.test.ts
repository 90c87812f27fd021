import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorCode } from '../../src/errors';
import { checkOperationArguments, extractArgumentConstraints, planArgumentChecks } from '../../src/openapi';
import { petstore } from './fixtures';

const { doc, schema } = petstore();
const index = extractArgumentConstraints(doc, schema, 'petstore');

const document = parse(`
  query Orders($id: BigInt!) {
    ...OrderById
    fixed: getOrderById(orderId: 11) { id }
    getPetById(petId: 1) { name reviews { id } }
  }
  mutation Place($order: Order_Input) { placeOrder(input: $order) { id } }
  fragment OrderById on Query { ... on Query { getOrderById(orderId: $id) { id } } }
`);

function check(operationName: string, variables: Record<string, unknown>) {
  const plan = planArgumentChecks(index, schema, document, operationName);
  return checkOperationArguments(index, schema, plan, variables);
}

describe('checking an operation before execution', () => {
  it('plans once per document and operation, following fragments, skipping fields with nothing to check', () => {
    const plan = planArgumentChecks(index, schema, document, 'Orders');
    expect(planArgumentChecks(index, schema, document, 'Orders')).toBe(plan);
    // getPetById is planned too: its petId is `type: integer` behind a BigInt, which passes lists on.
    expect(plan.targets.map((t) => t.coordinate)).toEqual(['Query.getOrderById', 'Query.getOrderById', 'Query.getPetById']);
  });

  it('reports literal and variable arguments as BAD_USER_INPUT with the rule', () => {
    const errors = check('Orders', { id: 0 });
    expect(errors.map(errorCode)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(errors.map((e) => e.extensions.rule)).toEqual(['minimum', 'maximum']);
    expect(errors.map((e) => e.extensions.http)).toEqual([{ status: 400 }, { status: 400 }]);
    expect(check('Orders', { id: '5' }).map((e) => e.extensions.rule)).toEqual(['maximum']);
  });

  it('leaves variables GraphQL cannot coerce to execution', () => {
    expect(check('Orders', {})).toEqual([]);
  });

  it('checks request bodies passed as variables', () => {
    expect(check('Place', {}).map((e) => e.extensions.argument)).toEqual(['input']);
    expect(check('Place', { order: { status: 'placed' } })).toEqual([]);
  });
});

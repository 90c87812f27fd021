import { isEnumType, isNonNullType, isInputObjectType, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { deriveListSizes, extractArgumentConstraints, validateArguments } from '../../src/openapi';
import { petstore } from './fixtures';

const { doc, schema } = petstore();
const index = extractArgumentConstraints(doc, schema, 'petstore');
const rules = (coordinate: string, args: Record<string, unknown>) =>
  validateArguments(index, coordinate, args).map((v) => `${v.path}:${v.rule}`);

describe('Petstore document on the composed supergraph', () => {
  it('reads every REST field without a warning, once per schema and document', () => {
    expect(index.warnings).toEqual([]);
    expect(extractArgumentConstraints(doc, schema, 'petstore')).toBe(index);
    expect(Object.keys(index.constraints)).toContain('Query.getOrderById');
    // Fields of the other subgraph carry no @httpOperation and are not read.
    expect(Object.keys(index.constraints).some((c) => c.includes('review'))).toBe(false);
  });

  it('finds getOrderById orderId minimum 1 / maximum 10 and enforces it', () => {
    expect(index.constraints['Query.getOrderById']).toEqual({ orderId: { integer: true, minimum: 1, maximum: 10, required: true } });
    const table: Array<[unknown, string[]]> = [
      [0, ['orderId:minimum']],
      [11, ['orderId:maximum']],
      [5, []],
      [1, []],
      [10, []],
      [11n, ['orderId:maximum']],
      ['0', ['orderId:minimum']],
      ['5', []],
      // The gateway's BigInt scalar passes these on; the REST transport would send [11] as 11.
      [[11], ['orderId:integer']],
      [true, ['orderId:integer']],
      ['0x2', ['orderId:integer']],
      ['1e0', ['orderId:integer']],
      ['+3', ['orderId:integer']],
      ['٣', ['orderId:integer']],
      [12345678901234567890123, ['orderId:integer', 'orderId:maximum']],
    ];
    for (const [orderId, expected] of table) expect(rules('Query.getOrderById', { orderId })).toEqual(expected);
  });

  it('finds deleteOrder orderId minimum 1', () => {
    expect(rules('Mutation.deleteOrder', { orderId: 0 })).toEqual(['orderId:minimum']);
    expect(rules('Mutation.deleteOrder', { orderId: 1_000_000 })).toEqual([]);
  });

  it('findPetsByStatus: the enum is a GraphQL enum Mesh made from the document, and is checked too', () => {
    expect(index.constraints['Query.findPetsByStatus']?.['status[]']).toEqual({ enum: ['available', 'pending', 'sold'] });
    const arg = schema.getQueryType()!.getFields().findPetsByStatus!.args[0]!;
    const items = (isNonNullType(arg.type) ? arg.type.ofType : arg.type) as { ofType: unknown };
    expect(isEnumType(items.ofType)).toBe(true);
    if (isEnumType(items.ofType)) expect(items.ofType.getValues().map((v) => v.name)).toEqual(['available', 'pending', 'sold']);
    // GraphQL already refuses an unknown member before our check could see it...
    expect(validate(schema, parse('{ findPetsByStatus(status: [lost]) { id } }')).length).toBeGreaterThan(0);
    // ...and the check itself still holds if one ever got through.
    expect(rules('Query.findPetsByStatus', { status: ['sold', 'lost'] })).toEqual(['status[1]:enum']);
    expect(rules('Query.findPetsByStatus', { status: ['available', 'pending'] })).toEqual([]);
  });

  it('lists the required properties of the Pet body, which GraphQL already makes non-null', () => {
    const addPet = index.constraints['Mutation.addPet']!;
    expect(addPet['input.name']).toEqual({ required: true });
    expect(addPet['input.photoUrls']).toEqual({ required: true });
    const input = schema.getType('Pet_Input');
    expect(isInputObjectType(input) && isNonNullType(input.getFields().name!.type)).toBe(true);
    expect(rules('Mutation.addPet', { input: { name: 'rex', photoUrls: [], status: 'gone' } })).toEqual(['input.status:enum']);
  });

  it('rejects a missing required body that Mesh left nullable (placeOrder)', () => {
    const placeOrder = schema.getMutationType()!.getFields().placeOrder!;
    expect(isNonNullType(placeOrder.args[0]!.type)).toBe(false);
    expect(rules('Mutation.placeOrder', {})).toEqual(['input:required']);
    expect(rules('Mutation.placeOrder', { input: null })).toEqual(['input:required']);
    expect(rules('Mutation.placeOrder', { input: { status: 'placed' } })).toEqual([]);
    expect(rules('Mutation.placeOrder', { input: { status: 'lost' } })).toEqual(['input.status:enum']);
  });

  it('checks only what GraphQL does not guarantee: getPetById keeps just the integer rule for its BigInt petId', () => {
    expect(index.constraints['Query.getPetById']).toEqual({ petId: { integer: true, required: true } });
    expect(rules('Query.getPetById', { petId: -1 })).toEqual([]);
    expect(rules('Query.getPetById', { petId: [1] })).toEqual(['petId:integer']);
    expect(rules('Query.noSuchField', { x: 1 })).toEqual([]);
  });

  it('derives no list sizes: the Petstore document states none', () => {
    expect(deriveListSizes(doc, schema, 'petstore')).toEqual({});
  });

  it('reads nothing for another subgraph name', () => {
    expect(extractArgumentConstraints(doc, schema, 'reviews').coordinates.size).toBe(0);
  });
});

import { isEnumType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractArgumentConstraints, validateArguments, type ArgumentConstraintIndex } from '../../src/openapi';
import { itemsDoc, meshSchema } from './fixtures';

let schema: GraphQLSchema;
let index: ArgumentConstraintIndex;
const rules = (coordinate: string, args: Record<string, unknown>, idx = index) =>
  validateArguments(idx, coordinate, args).map((v) => `${v.path}:${v.rule}`);

beforeAll(async () => {
  schema = await meshSchema('items', itemsDoc);
  index = extractArgumentConstraints(itemsDoc, schema, 'items');
});

describe('inline documents composed by Mesh', () => {
  it('reads constraints of query, path, header and cookie parameters under the names Mesh gave them', () => {
    expect(index.constraints['Query.getItem']).toEqual({
      item_id: { maxLength: 12, pattern: '^[a-z0-9]+$', required: true },
      X_Trace: { maxLength: 8 },
      session: { minLength: 4 },
      big: { integer: true, minimum: 1, maximum: 9007199254740992 },
    });
    expect(index.constraints['Query.listItems']?.page_size).toEqual({ integer: true, minimum: 1 });
  });

  it('maxLength and minLength count code points', () => {
    const table: Array<[Record<string, unknown>, string[]]> = [
      [{ q: 'abcde' }, []],
      [{ q: 'abcdef' }, ['q:maxLength']],
      [{ q: '😀😀😀😀😀' }, []],
      [{ q: '😀😀😀😀😀😀' }, ['q:maxLength']],
    ];
    for (const [args, expected] of table) expect(rules('Query.listItems', args)).toEqual(expected);
    expect(rules('Query.getItem', { item_id: 'a', session: 'abc', X_Trace: '123456789' })).toEqual([
      'X_Trace:maxLength',
      'session:minLength',
    ]);
  });

  it('pattern: compiled once, unanchored ECMA-262 semantics as written', () => {
    const table: Array<[unknown, string[]]> = [
      ['ABC-12', []],
      ['abc-12', ['code:pattern']],
      ['ABC-', ['code:pattern']],
    ];
    for (const [code, expected] of table) expect(rules('Query.listItems', { code })).toEqual(expected);
    expect(rules('Query.getItem', { item_id: 'UPPER' })).toEqual(['item_id:pattern']);
    expect(rules('Query.getItem', { item_id: 'waytoolongforit' })).toEqual(['item_id:maxLength']);
  });

  it('a catastrophic pattern is refused at compile time and validation still returns', () => {
    expect(index.warnings.map((w) => `${w.coordinate} ${w.path}`)).toEqual(['Query.search slug', 'Query.search free']);
    // 2^50 backtracking steps if the regex ever ran: returning at all proves it did not.
    expect(rules('Query.search', { free: `${'a'.repeat(50)}!`, slug: `${'a'.repeat(50)}!` })).toEqual([]);
  });

  it('with nested quantifiers allowed, long inputs never reach the regex', () => {
    const risky = extractArgumentConstraints(itemsDoc, schema, 'items', { refuseNestedQuantifiers: false });
    expect(risky.warnings).toEqual([]);
    expect(rules('Query.search', { free: 'aaaa', slug: 'aaaa' }, risky)).toEqual([]);
    expect(rules('Query.search', { free: 'aab!' }, risky)).toEqual(['free:pattern']);
    // Over maxLength: only the length rule speaks, the regex is not run.
    expect(rules('Query.search', { slug: `${'a'.repeat(64)}!` }, risky)).toEqual(['slug:maxLength']);
    // No maxLength: past maxPatternInputLength the value is refused unrun.
    expect(rules('Query.search', { free: `${'a'.repeat(20_000)}!` }, risky)).toEqual(['free:pattern']);
    const capped = extractArgumentConstraints(itemsDoc, schema, 'items', { refuseNestedQuantifiers: false, maxPatternInputLength: 5 });
    expect(rules('Query.search', { free: 'aaaaaa' }, capped)).toEqual(['free:pattern']);
  });

  it('minimum, maximum and exclusive bounds, on numbers, BigInt and numeric strings', () => {
    const table: Array<[Record<string, unknown>, string[]]> = [
      [{ score: 0 }, []],
      [{ score: 4.99 }, []],
      [{ score: 5 }, ['score:exclusiveMaximum']],
      [{ score: -0.1 }, ['score:minimum']],
      [{ limit: 100 }, []],
      [{ limit: 101 }, ['limit:maximum']],
      [{ page_size: 0 }, ['page_size:minimum']],
    ];
    for (const [args, expected] of table) expect(rules('Query.listItems', args)).toEqual(expected);
    // Past 2^53 a Number comparison would call these equal; BigInt compares exactly.
    expect(rules('Query.getItem', { item_id: 'a', big: 9007199254740993n })).toEqual(['big:maximum']);
    expect(rules('Query.getItem', { item_id: 'a', big: '9007199254740993' })).toEqual(['big:maximum']);
    expect(rules('Query.getItem', { item_id: 'a', big: 9007199254740992n })).toEqual([]);
    expect(rules('Query.getItem', { item_id: 'a', big: 0n })).toEqual(['big:minimum']);
  });

  it('maxItems on lists and rules on their items, with concrete paths', () => {
    expect(rules('Query.listItems', { ids: [1, 2, 3] })).toEqual([]);
    expect(rules('Query.listItems', { ids: [1, 2, 3, 4] })).toEqual(['ids:maxItems']);
    expect(rules('Query.listItems', { ids: [1, 0, 2] })).toEqual(['ids[1]:minimum']);
  });

  it('caps the violations of one call', () => {
    const ids = new Array<number>(1000).fill(0);
    expect(validateArguments(index, 'Query.listItems', { ids })).toHaveLength(20);
    const few = extractArgumentConstraints(itemsDoc, schema, 'items', { maxViolations: 3 });
    expect(validateArguments(few, 'Query.listItems', { ids })).toHaveLength(3);
  });

  it('enum: accepts the OpenAPI members and the names Mesh gave them, refuses the rest', () => {
    const mode = schema.getType('queryInput_listItems_mode');
    expect(isEnumType(mode) && mode.getValues().map((v) => v.name)).toEqual(['in_progress', 'done']);
    for (const ok of ['in-progress', 'in_progress', 'done']) expect(rules('Query.listItems', { mode: ok })).toEqual([]);
    expect(rules('Query.listItems', { mode: 'started' })).toEqual(['mode:enum']);
  });

  it('checks the request body as `input`, into nested objects, lists and recursive $refs', () => {
    const ok = { name: 'box', tags: [{ label: 'a' }], parent: { name: 'crate' }, dims: { w: 2, unit: 'cm' } };
    expect(rules('Mutation.createItem', { input: ok })).toEqual([]);
    expect(rules('Mutation.createItem', {})).toEqual(['input:required']);
    expect(
      rules('Mutation.createItem', {
        input: {
          name: 'x',
          tags: [{ label: 'ok' }, { label: 'toolong' }, {}, { label: 'a' }],
          parent: { name: 'ok', parent: { name: 'y', parent: { name: 'far too long here' } } },
          dims: { w: 11, unit: 'mm' },
        },
      }),
    ).toEqual([
      'input.name:minLength',
      'input.tags:maxItems',
      'input.tags[1].label:maxLength',
      'input.parent.parent.name:minLength',
      'input.parent.parent.parent.name:maxLength',
      'input.dims.w:maximum',
      'input.dims.unit:enum',
    ]);
  });

  it('allOf merges keywords and required lists, here inside a body part Mesh typed as JSON', () => {
    expect(index.constraints['Mutation.createItem']?.['input.dims.w']).toEqual({ minimum: 1, maximum: 10, required: true });
    expect(rules('Mutation.createItem', { input: { name: 'box', dims: {} } })).toEqual(['input.dims.w:required']);
    expect(rules('Mutation.createItem', { input: { name: 'box', dims: { w: null } } })).toEqual(['input.dims.w:required']);
  });

  it('lists a recursive type once in the table', () => {
    const paths = Object.keys(index.constraints['Mutation.createItem']!);
    expect(paths).toEqual(['input', 'input.name', 'input.tags', 'input.tags[].label', 'input.dims.w', 'input.dims.unit']);
  });
});

import { execute, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorCode } from '../../src/errors';
import {
  checkOperationArguments,
  extractPathArgumentChecks,
  headerValueProblem,
  pathSegmentProblem,
  planArgumentChecks,
  templateArgumentPaths,
  unsafePathAtFetch,
  validateArguments,
} from '../../src/openapi';
import { petstore } from './fixtures';

const { schema } = petstore();
const index = extractPathArgumentChecks(schema);

describe('pathSegmentProblem', () => {
  // Each value would move the URL the transport builds away from the one segment it stands for.
  const refused: Array<[string, unknown]> = [
    ['traversal', '../store/order/1'],
    ['a slash', 'a/b'],
    ['a leading slash', '/pet/5'],
    ['a backslash (a slash to the URL parser)', '..\\pet\\5'],
    ['dot', '.'],
    ['dot dot', '..'],
    ['dot dot and the space the parser strips', '.. '],
    ['an encoded slash', 'a%2Fb'],
    ['encoded dots', '%2e%2e'],
    ['a percent sign', '100%'],
    ['a query', 'alice?admin=1'],
    ['a fragment', 'alice#x'],
    ['matrix parameters', '..;'],
    ['a tab (removed by the parser)', '.\t.'],
    ['a newline', 'a\nb'],
    ['NUL', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['empty', ''],
    ['only a space', ' '],
    ['a trailing space', 'alice '],
    ['a placeholder', '{args.petId}'],
    ['a replacement pattern ($`)', 'a$`b'],
    ["a replacement pattern ($')", "a$'"],
    ['a replacement pattern ($&)', '$&'],
    ['a leading & (url-join drops the slash before it)', '&x'],
    ['a list item with a slash', ['a', 'b/c']],
    ['a list item with a quote (JSON escapes it with a backslash)', ['a"b']],
    ['an object', { id: 1 }],
  ];
  it.each(refused)('refuses %s', (_, value) => {
    expect(pathSegmentProblem(value)).toEqual(expect.any(String));
  });

  const accepted: Array<[string, unknown]> = [
    ['a username', 'alice'],
    ['dots inside', 'a.b..c'],
    ['three dots', '...'],
    ['a space inside', 'Mary Ann'],
    ['an ampersand inside', 'AT&T'],
    ['an equals sign', 'a=b'],
    ['a dollar sign', 'US$5'],
    ['a colon and an at sign', 'user:alice@example.com'],
    ['non-ASCII', 'Zoë ✓'],
    ['a number', 5],
    ['a bigint', 9007199254740993n],
    ['a boolean', true],
    ['a date', new Date(0)],
    ['a list of plain strings', ['a', 'b']],
    ['null (the required rule decides)', null],
  ];
  it.each(accepted)('accepts %s', (_, value) => {
    expect(pathSegmentProblem(value)).toBeNull();
  });
});

describe('headerValueProblem', () => {
  it.each([
    ['CR LF', 'a\r\nx-evil: 1'],
    ['LF', 'a\nb'],
    ['NUL', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['beyond Latin-1', 'key-✓'],
  ])('refuses %s', (_, value) => {
    expect(headerValueProblem(value)).toEqual(expect.any(String));
  });
  it.each([
    ['a plain key', 'special-key'],
    ['a tab', 'a\tb'],
    ['Latin-1', 'clé'],
    ['a number', 5],
    ['null (for the required rule)', null],
  ])('allows %s', (_, value) => {
    expect(headerValueProblem(value)).toBeNull();
  });
});

describe('templateArgumentPaths', () => {
  const table: Array<[string, string[][]]> = [
    ['/user/{args.username}', [['username']]],
    ['/pet/{args.petId}/uploadImage', [['petId']]],
    ['/a/{args.x}/b/{args.x}', [['x']]],
    ['/a/{args.input.id}', [['input', 'id']]],
    ['/a/{args.x:fallback}/{args.y|lowercase}/{args.z#/k}', [['x'], ['y'], ['z']]],
    ['/a/{root.id}/{context.tenant}/{env.HOME}', []],
    ['/store/inventory', []],
  ];
  it.each(table)('%s', (template, paths) => {
    expect(templateArgumentPaths(template)).toEqual(paths);
  });
});

describe('path arguments of the composed Petstore supergraph', () => {
  it('lists every argument a REST path or header template reads, and no other', () => {
    const table = Object.fromEntries(Object.entries(index.constraints).map(([c, t]) => [c, Object.keys(t)]));
    expect(table).toEqual({
      'Query.getPetById': ['petId'],
      'Query.getOrderById': ['orderId'],
      'Query.getUserByName': ['username'],
      'Mutation.updatePetWithForm': ['petId'],
      'Mutation.deletePet': ['petId', 'api_key'],
      'Mutation.uploadFile': ['petId'],
      'Mutation.deleteOrder': ['orderId'],
      'Mutation.updateUser': ['username'],
      'Mutation.deleteUser': ['username'],
    });
    expect(index.constraints['Mutation.deleteUser']).toEqual({ username: { pathSegment: true, required: true } });
    expect(index.constraints['Mutation.deletePet']!.api_key).toEqual({ headerValue: true });
    expect(extractPathArgumentChecks(schema)).toBe(index);
  });

  it('reports the argument path and the rule', () => {
    expect(validateArguments(index, 'Mutation.deleteUser', { username: '../pet/5' })).toEqual([
      { path: 'username', rule: 'pathSegment', message: expect.any(String) },
    ]);
    expect(validateArguments(index, 'Mutation.deleteUser', { username: 'alice' })).toEqual([]);
    expect(validateArguments(index, 'Mutation.deletePet', { petId: 5n })).toEqual([]);
  });

  it('refuses literal and variable values before execution as BAD_USER_INPUT', () => {
    const document = parse('query Q($u: String!) { a: getUserByName(username: $u) { id } b: getUserByName(username: "ok") { id } }');
    const plan = planArgumentChecks(index, schema, document, 'Q');
    const errors = checkOperationArguments(index, schema, plan, { u: '..' });
    expect(errors.map(errorCode)).toEqual(['BAD_USER_INPUT']);
    expect(errors[0]!.extensions).toMatchObject({ coordinate: 'Query.getUserByName', argument: 'username', rule: 'pathSegment' });
  });
});

describe('unsafePathAtFetch', () => {
  /** The resolve info graphql-js hands the root field of `query`, as the REST transport sees it. */
  function infoOf(query: string, variableValues: Record<string, unknown> = {}): GraphQLResolveInfo {
    let captured: GraphQLResolveInfo | undefined;
    execute({
      schema,
      document: parse(query),
      variableValues,
      fieldResolver: (_source, _args, _context, info) => {
        captured ??= info;
        return null;
      },
    });
    return captured!;
  }

  it('refuses the call of a REST field whose path argument would leave its segment', () => {
    const error = unsafePathAtFetch(infoOf('mutation($u: String!) { deleteUser(username: $u) }', { u: '../pet/5' }));
    expect(error && errorCode(error)).toBe('BAD_USER_INPUT');
    expect(error?.extensions).toMatchObject({ coordinate: 'Mutation.deleteUser', argument: 'username', rule: 'pathSegment' });
  });

  it('lets safe values, fields without path arguments and fetches outside a resolver through', () => {
    expect(unsafePathAtFetch(infoOf('{ getUserByName(username: "alice") { id } }'))).toBeUndefined();
    expect(unsafePathAtFetch(infoOf('{ getInventory }'))).toBeUndefined();
    expect(unsafePathAtFetch(undefined)).toBeUndefined();
  });
});

import { GraphQLError, parse, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/upstream/classify-error';

const fromService = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { serviceName: 'reviews', ...extensions } });

describe('classifyError', () => {
  it.each([
    ['a runtime timeout', fromService('Timeout', { code: 'GATEWAY_TIMEOUT' }), 'UPSTREAM_UNAVAILABLE', 504],
    // Two identical calls share one fetch; the first one's timeout aborts it for both.
    ['a shared call aborted by another call\'s timeout', fromService('The operation was aborted'), 'UPSTREAM_UNAVAILABLE', 504],
    ['a refused connection', fromService('fetch failed: connect ECONNREFUSED 127.0.0.1:1'), 'UPSTREAM_UNAVAILABLE', 502],
    ['an upstream 5xx', fromService('boom', { response: { status: 503 } }), 'UPSTREAM_UNAVAILABLE', 502],
    ['an upstream 404', fromService('not found', { response: { status: 404 } }), 'NOT_FOUND', 200],
    ['an upstream 4xx', fromService('bad', { response: { status: 422 } }), 'BAD_USER_INPUT', 200],
    ['a GraphQL upstream\'s own error', fromService('Review r9 does not exist'), 'UPSTREAM_ERROR', 200],
    ['a path value refused by a fetch hook', fromService('Argument username of Query.getUserByName must not contain "/".', { code: 'BAD_USER_INPUT' }), 'BAD_USER_INPUT', 200],
    ['a GraphQL upstream\'s NOT_FOUND', fromService('No such review.', { code: 'NOT_FOUND' }), 'NOT_FOUND', 200],
    ['a bare 431 without a JSON body (use-upstream-responses)', fromService('The upstream refused the request.', { response: { status: 431 } }), 'BAD_USER_INPUT', 200],
  ])('%s', (_, error, code, status) => {
    const classified = classifyError(error);
    expect([classified.code, classified.status]).toEqual([code, status]);
    // Upstream addresses never reach the client.
    expect(classified.message).not.toContain('127.0.0.1');
  });
});

describe('classifyError: request-level errors the executor raises without a code', () => {
  const operation = parse('query($n: Int, $when: DateTime) { a }').definitions[0] as OperationDefinitionNode;
  const [intVariable, scalarVariable] = operation.variableDefinitions!;
  // What graphql-js's coerceVariableValues hands the executor, which marks it HTTP 400.
  const coercionError = (node: VariableDefinitionNode, cause: Error, message: string) =>
    new GraphQLError(message, { nodes: node, originalError: cause, extensions: { http: { status: 400 } } });

  it.each([
    ['a built-in scalar refusing a value', coercionError(intVariable!, new GraphQLError('Int cannot represent non-integer value: 1.5'), 'Variable "$n" got invalid value 1.5'), 'BAD_USER_INPUT'],
    ['a required variable not given', new GraphQLError('Variable "$n" of required type "Int!" was not provided.', { nodes: intVariable, extensions: { http: { status: 400 } } }), 'BAD_USER_INPUT'],
    ['no operation to run', new GraphQLError('Unknown operation named "Nope".', { extensions: { http: { status: 400 } } }), 'BAD_REQUEST'],
  ])('%s: %s 400', (_, error, code) => {
    expect([classifyError(error).code, classifyError(error).status]).toEqual([code, 400]);
  });

  it("a custom scalar's own error is not echoed", () => {
    const thrown = new TypeError('Cannot read properties of undefined at /srv/app/scalars.js:12');
    const inner = new GraphQLError(`Expected type "DateTime". ${thrown.message}`, { originalError: thrown });
    const classified = classifyError(coercionError(scalarVariable!, inner, `Variable "$when" got invalid value 1; ${inner.message}`));
    expect([classified.code, classified.status]).toEqual(['BAD_USER_INPUT', 400]);
    expect(classified.message).not.toContain('/srv/app');
  });

  it('a field error with an internal cause stays INTERNAL', () => {
    const error = new GraphQLError('boom at /srv/app/x.js', { path: ['a'], originalError: new Error('boom at /srv/app/x.js') });
    expect([classifyError(error).code, classifyError(error).status]).toEqual(['INTERNAL', 500]);
    expect(classifyError(error).message).not.toContain('/srv/app');
  });
});

import { GraphQLError } from 'graphql';
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
  ])('%s', (_, error, code, status) => {
    const classified = classifyError(error);
    expect([classified.code, classified.status]).toEqual([code, status]);
    // Upstream addresses never reach the client.
    expect(classified.message).not.toContain('127.0.0.1');
  });
});

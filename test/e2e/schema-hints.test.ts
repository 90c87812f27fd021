import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, startTestGateway, tokenFor } from '../support/gateway';

// A client that may not introspect must not learn the schema from validation messages either:
// no "Did you mean" lists of real names, and no way to tell a directive the schema has (the
// gateway's internal @httpOperation among them) from one it has not.

let gw: RunningGateway;
let plain: string;
let schemaReader: string;

beforeAll(async () => {
  gw = await startTestGateway({ authz: { introspection: { allowed: false, allowedScopes: ['schema:read'] } }, feedback: { mode: 'off' } });
  [plain, schemaReader] = await Promise.all([tokenFor({ sub: 'hints-plain', scope: 'pet:read' }), tokenFor({ sub: 'hints-reader', scope: 'pet:read schema:read' })]);
});
afterAll(() => gw?.close());

const message = (res: Awaited<ReturnType<typeof postGraphQL>>) => res.body.errors?.[0]?.message ?? '';

describe('schema hints in validation errors', () => {
  it('no "Did you mean" for a client that may not introspect; the suggestion for one that may', async () => {
    const typo = { query: '{ getPetByI(petId: 1) { name } }' };
    const hidden = await postGraphQL(gw, typo, { token: plain });
    expect([hidden.status, errorCodes(hidden)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
    expect(message(hidden)).toContain('getPetByI');
    expect(message(hidden)).not.toContain('Did you mean');
    expect(message(hidden)).not.toContain('getPetById');
    const shown = await postGraphQL(gw, typo, { token: schemaReader });
    expect(message(shown)).toContain('Did you mean "getPetById"');
  });

  it('an internal directive and a made-up one read the same to a client that may not introspect', async () => {
    const internal = await postGraphQL(gw, { query: '{ __typename @httpOperation }' }, { token: plain });
    const madeUp = await postGraphQL(gw, { query: '{ __typename @madeUpDirective }' }, { token: plain });
    expect(message(internal)).toBe('Directive "@httpOperation" is unknown or not allowed here.');
    expect(message(madeUp)).toBe('Directive "@madeUpDirective" is unknown or not allowed here.');
    expect(errorCodes(internal)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const shown = await postGraphQL(gw, { query: '{ __typename @httpOperation }' }, { token: schemaReader });
    expect(message(shown)).toMatch(/may not be used on FIELD/);
  });
});

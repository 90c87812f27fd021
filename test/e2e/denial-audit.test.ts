import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackLogger } from '../../src/feedback/feedback-loop';
import { startGateway, type RunningGateway } from '../../src/server';
import { parsePrometheus } from '../metrics/parse-prometheus';
import { errorCodes, postGraphQL, testKeySource, tokenFor } from '../support/gateway';

// Every denial is an audit event: a structured log line naming the client, each denied
// coordinate and path and the reason, and a Prometheus counter by coordinate and reason.

const lines: Array<{ message: string; fields: Record<string, unknown> }> = [];
const logger: FeedbackLogger = {
  info: (message, fields) => lines.push({ message, fields: fields as Record<string, unknown> }),
  warn: (message, fields) => lines.push({ message, fields: fields as Record<string, unknown> }),
};
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({
    config: { server: { port: 0, host: '127.0.0.1' }, auth: { keySources: [testKeySource] }, feedback: { mode: 'off' } },
    feedbackLogger: logger,
  });
});
afterAll(() => gateway?.close());

const denialLines = () => lines.filter((l) => l.message === 'authorization denied');

describe('denial audit', () => {
  it('logs who was denied what and why, once per request, and counts it by coordinate', async () => {
    const token = await tokenFor({ sub: 'audited-client', scope: 'pet:read' });
    const r = await postGraphQL(gateway, { query: '{ owner(id: "o1") { name mail: email phone } }' }, { token });
    expect(errorCodes(r)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE', 'UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(denialLines()).toHaveLength(1);
    expect(denialLines()[0]!.fields).toMatchObject({
      clientId: 'audited-client',
      enforced: true,
      count: 2,
      denials: [
        { coordinate: 'Owner.email', path: 'owner.mail', reason: 'missing_scopes' },
        { coordinate: 'Owner.phone', path: 'owner.phone', reason: 'missing_scopes' },
      ],
    });
    const samples = parsePrometheus(await gateway.services.metrics.registry.metrics());
    const denials = samples.filter((s) => s.name === 'loopgate_authz_denials_total');
    expect(denials).toContainEqual({ name: 'loopgate_authz_denials_total', labels: { coordinate: 'Owner.email', reason: 'missing_scopes' }, value: 1 });
    expect(denials).toContainEqual({ name: 'loopgate_authz_denials_total', labels: { coordinate: 'Owner.phone', reason: 'missing_scopes' }, value: 1 });
  });

  it('writes nothing for a request with nothing denied', async () => {
    const before = denialLines().length;
    const token = await tokenFor({ sub: 'allowed-client', scope: 'pet:read owner:contact owner:phone' });
    const r = await postGraphQL(gateway, { query: '{ owner(id: "o1") { name email phone } }' }, { token });
    expect(r.body.errors).toBeUndefined();
    expect(denialLines()).toHaveLength(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsOptions } from '../../src/config';
import type { RunningGateway } from '../../src/server';
import { startTestGateway } from '../support/gateway';
import { coreConfig } from './helpers';

// `server.cors`: only the configured origins get CORS headers (the default, no CORS at all, is
// in bad-requests.test.ts). A foreign origin must never be told it may call with credentials.

const app = 'https://app.example';
const evil = 'https://evil.example';

interface CorsAnswer {
  status: number;
  origin: string | null;
  credentials: string | null;
  vary: string | null;
}

async function corsOf(gateway: RunningGateway, origin: string, preflight: boolean): Promise<CorsAnswer> {
  const response = preflight
    ? await fetch(gateway.graphqlUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', accept: 'text/html' } })
    : await fetch(gateway.graphqlUrl, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  await response.arrayBuffer();
  const header = (name: string) => response.headers.get(name);
  return { status: response.status, origin: header('access-control-allow-origin'), credentials: header('access-control-allow-credentials'), vary: header('vary') };
}

function withCors(cors: CorsOptions): { gateway: () => RunningGateway } {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ ...coreConfig, server: { cors } });
  });
  afterAll(() => gateway?.close());
  return { gateway: () => gateway };
}

describe('one origin with credentials', () => {
  const { gateway } = withCors({ origins: [app], credentials: true });

  it.each([true, false])('the configured origin is allowed, with credentials (preflight: %s)', async (preflight) => {
    const answer = await corsOf(gateway(), app, preflight);
    expect(answer).toMatchObject({ status: preflight ? 204 : 200, origin: app, credentials: 'true' });
    expect(answer.vary).toMatch(/origin/i);
  });

  it.each([true, false])('another origin gets no CORS headers at all (preflight: %s)', async (preflight) => {
    expect(await corsOf(gateway(), evil, preflight)).toMatchObject({ origin: null, credentials: null });
  });
});

describe('any origin without credentials', () => {
  const { gateway } = withCors({ origins: ['*'] });

  it('every origin may read, none with credentials', async () => {
    for (const preflight of [true, false]) {
      expect(await corsOf(gateway(), evil, preflight)).toMatchObject({ origin: evil, credentials: null });
    }
  });
});

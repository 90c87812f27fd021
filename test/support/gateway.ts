import { SignJWT } from 'jose';
import { startGateway, type RunningGateway } from '../../src/server';
import type { LoopgateConfig } from '../../src/config';

/** The HMAC key source every gateway test trusts (besides any the test adds). */
export const testIssuer = 'https://issuer.test';
export const testAudience = 'loopgate-tests';
const testSecret = 'test-secret-for-loopgate-at-least-32-bytes!';

export const testKeySource = {
  kind: 'hmac' as const,
  issuer: testIssuer,
  audience: testAudience,
  secret: testSecret,
};

export interface TokenClaims {
  sub?: string;
  scope?: string;
  tier?: string;
  azp?: string;
  ttlSeconds?: number;
  [claim: string]: unknown;
}

/** A real HS256 token the test gateways accept. */
export async function tokenFor(claims: TokenClaims = {}): Promise<string> {
  const { ttlSeconds = 300, sub = 'client-1', ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(testIssuer)
    .setAudience(testAudience)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(testSecret));
}

/**
 * Starts a gateway on a free loopback port with the embedded demo backends, trusting the test
 * key source. `config` is merged on top (shallowly per section).
 */
export function startTestGateway(config: LoopgateConfig = {}): Promise<RunningGateway> {
  const auth = (config.auth ?? {}) as Record<string, unknown>;
  return startGateway({
    config: {
      ...config,
      server: { port: 0, host: '127.0.0.1', ...config.server },
      auth: { keySources: [testKeySource], ...auth },
    },
  });
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

/** POSTs one GraphQL operation (or a batch, when `body` is an array). */
export async function postGraphQL(
  gateway: RunningGateway,
  body: unknown,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse> {
  const response = await fetch(gateway.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLResponse['body'];
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`gateway answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Collects the `extensions.code` of every error in a response. */
export function errorCodes(response: GraphQLResponse): unknown[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.code);
}

import { createServer, type Server } from 'node:http';
import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { createAdminHandler, type AdminHandler, type AdminHandlerOptions } from '../../src/admin';
import { nodeListener } from '../../src/admin/node-adapter';

export const adminToken = 'test-admin-token-0123456789';
export const issuer = 'https://issuer.test';

export interface AdminServer {
  url: string;
  handler: AdminHandler;
  close(): Promise<void>;
}

/** The admin handler on a real loopback node:http server; other paths answer 418 to prove the fallback. */
export async function startAdminServer(options: AdminHandlerOptions): Promise<AdminServer> {
  const handler = createAdminHandler(options);
  const server: Server = createServer(
    nodeListener(handler, (_req, res) => {
      res.writeHead(418, { 'content-type': 'text/plain' });
      res.end('fallback');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A real signing key and a verifier built on jose, as an operator would wire it. */
export async function createJwtKit(): Promise<{
  sign(subject: string, scope: string, key?: CryptoKey): Promise<string>;
  verifyJwt(token: string): Promise<{ subject: string; scopes: Set<string> } | undefined>;
  otherKey: CryptoKey;
}> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const other = await generateKeyPair('ES256');
  return {
    otherKey: other.privateKey,
    async sign(subject, scope, key = privateKey) {
      return new SignJWT({ scope })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(issuer)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(key);
    },
    async verifyJwt(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer, algorithms: ['ES256'] });
        if (typeof payload.sub !== 'string') return undefined;
        const scope = typeof payload.scope === 'string' ? payload.scope : '';
        return { subject: payload.sub, scopes: new Set(scope.split(' ').filter(Boolean)) };
      } catch {
        return undefined;
      }
    },
  };
}

/** fetch with the admin token (or the given one; null = no header) and the JSON answer. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const token = options.token === undefined ? adminToken : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

export const codeOf = (json: any): string | undefined => json?.errors?.[0]?.extensions?.code;
export const fieldOf = (json: any): string | undefined => json?.errors?.[0]?.extensions?.field;

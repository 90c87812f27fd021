import type http from 'node:http';
import { listenOnLoopback, type RunningBackend } from './listen';
import { seedPets, type PetRecord } from './seed';

/**
 * An in-process implementation of the Swagger Petstore 3.0 API (mesh/petstore/openapi.json),
 * served under `/v2` like the public one. It follows the document's paths, parameters, status
 * codes and JSON shapes (404 for a missing pet, 400 for a bad id), with seed data.
 */
export function startPetstoreBackend(port = 0): Promise<RunningBackend> {
  const state = createPetstoreState();
  return listenOnLoopback((req, res, body) => routePetstore(state, req, res, body), port, '/v2');
}

interface OrderRecord { id: number; petId: number; quantity: number; shipDate?: string; status: string; complete: boolean }
interface UserRecord { id?: number; username: string; [k: string]: unknown }

function createPetstoreState() {
  return {
    pets: new Map<number, PetRecord>(seedPets().map((p) => [p.id, p])),
    orders: new Map<number, OrderRecord>([[1, { id: 1, petId: 4, quantity: 1, status: 'delivered', complete: true }]]),
    users: new Map<string, UserRecord>([
      ['alice', { id: 1, username: 'alice', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', phone: '+1-555-0101', userStatus: 1 }],
      // The Petstore document says "Use user1 for testing".
      ['user1', { id: 2, username: 'user1', firstName: 'Test', lastName: 'User', email: 'user1@example.com', phone: '+1-555-0102', userStatus: 1 }],
    ]),
    nextPetId: 100,
  };
}
type PetstoreState = ReturnType<typeof createPetstoreState>;

function send(res: http.ServerResponse, status: number, payload?: unknown): void {
  if (payload === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

function apiError(res: http.ServerResponse, status: number, message: string): void {
  send(res, status, { code: status, type: 'error', message });
}

/** Parses an int64 path id; the document answers 400 for an id that is not an integer. */
function parseId(raw: string): number | undefined {
  return /^-?\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

function isPet(value: unknown): value is PetRecord {
  const v = value as PetRecord | undefined;
  return !!v && typeof v === 'object' && typeof v.name === 'string' && Array.isArray(v.photoUrls);
}

function routePetstore(state: PetstoreState, req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://petstore.local');
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/^\/v2/, '');
  const segments = path.split('/').filter(Boolean);

  if (segments[0] === 'pet') return routePet(state, method, segments.slice(1), url, res, body);
  if (segments[0] === 'store') return routeStore(state, method, segments.slice(1), res, body);
  if (segments[0] === 'user') return routeUser(state, method, segments.slice(1), url, res, body);
  apiError(res, 404, 'not found');
}

function routePet(state: PetstoreState, method: string, rest: string[], url: URL, res: http.ServerResponse, body: string): void {
  if (rest.length === 0) {
    const pet = parseJson(body);
    if (!isPet(pet)) return apiError(res, 405, 'Invalid input');
    if (method === 'POST') {
      const created = { ...pet, id: pet.id ?? state.nextPetId++, tags: pet.tags ?? [] };
      state.pets.set(created.id, created);
      return send(res, 200, created);
    }
    if (method === 'PUT') {
      if (typeof pet.id !== 'number') return apiError(res, 400, 'Invalid ID supplied');
      if (!state.pets.has(pet.id)) return apiError(res, 404, 'Pet not found');
      state.pets.set(pet.id, { ...pet, tags: pet.tags ?? [] });
      return send(res, 200, state.pets.get(pet.id));
    }
    return apiError(res, 405, 'Method not allowed');
  }
  if (rest[0] === 'findByStatus' && method === 'GET') {
    const statuses = url.searchParams.getAll('status').flatMap((s) => s.split(','));
    const valid = ['available', 'pending', 'sold'];
    if (statuses.length === 0 || statuses.some((s) => !valid.includes(s))) return apiError(res, 400, 'Invalid status value');
    return send(res, 200, [...state.pets.values()].filter((p) => statuses.includes(p.status)));
  }
  if (rest[0] === 'findByTags' && method === 'GET') {
    const tags = url.searchParams.getAll('tags').flatMap((s) => s.split(','));
    if (tags.length === 0) return apiError(res, 400, 'Invalid tag value');
    return send(res, 200, [...state.pets.values()].filter((p) => p.tags.some((t) => tags.includes(t.name))));
  }
  const id = parseId(rest[0] ?? '');
  if (id === undefined) return apiError(res, 400, 'Invalid ID supplied');
  const pet = state.pets.get(id);
  if (rest[1] === 'uploadImage' && method === 'POST') {
    if (!pet) return apiError(res, 404, 'Pet not found');
    return send(res, 200, { code: 200, type: 'unknown', message: `uploaded ${body.length} bytes` });
  }
  if (rest.length !== 1) return apiError(res, 404, 'not found');
  if (method === 'GET') return pet ? send(res, 200, pet) : apiError(res, 404, 'Pet not found');
  if (method === 'POST') {
    if (!pet) return apiError(res, 405, 'Invalid input');
    const form = new URLSearchParams(body);
    const name = url.searchParams.get('name') ?? form.get('name');
    const status = url.searchParams.get('status') ?? form.get('status');
    if (name) pet.name = name;
    if (status === 'available' || status === 'pending' || status === 'sold') pet.status = status;
    return send(res, 200, pet);
  }
  if (method === 'DELETE') {
    if (!pet) return apiError(res, 404, 'Pet not found');
    state.pets.delete(id);
    return send(res, 200, pet);
  }
  apiError(res, 405, 'Method not allowed');
}

function routeStore(state: PetstoreState, method: string, rest: string[], res: http.ServerResponse, body: string): void {
  if (rest[0] === 'inventory' && method === 'GET') {
    const counts: Record<string, number> = {};
    for (const p of state.pets.values()) counts[p.status] = (counts[p.status] ?? 0) + 1;
    return send(res, 200, counts);
  }
  if (rest[0] !== 'order') return apiError(res, 404, 'not found');
  if (rest.length === 1 && method === 'POST') {
    const order = parseJson(body) as Partial<OrderRecord> | undefined;
    if (!order || typeof order !== 'object' || typeof order.petId !== 'number') return apiError(res, 400, 'Invalid Order');
    const created: OrderRecord = { id: order.id ?? state.orders.size + 1, petId: order.petId, quantity: order.quantity ?? 1, shipDate: order.shipDate, status: order.status ?? 'placed', complete: order.complete ?? false };
    state.orders.set(created.id, created);
    return send(res, 200, created);
  }
  const id = parseId(rest[1] ?? '');
  if (method === 'GET') {
    // The document: "valid response for IDs >= 1 and <= 10; other values generate exceptions".
    if (id === undefined || id < 1 || id > 10) return apiError(res, 400, 'Invalid ID supplied');
    const order = state.orders.get(id);
    return order ? send(res, 200, order) : apiError(res, 404, 'Order not found');
  }
  if (method === 'DELETE') {
    if (id === undefined || id < 1) return apiError(res, 400, 'Invalid ID supplied');
    return state.orders.delete(id) ? send(res, 200) : apiError(res, 404, 'Order not found');
  }
  apiError(res, 405, 'Method not allowed');
}

function routeUser(state: PetstoreState, method: string, rest: string[], url: URL, res: http.ServerResponse, body: string): void {
  if (rest.length === 0 && method === 'POST') {
    const user = parseJson(body) as UserRecord | undefined;
    if (!user || typeof user.username !== 'string') return apiError(res, 400, 'Invalid user');
    state.users.set(user.username, user);
    return send(res, 200, user);
  }
  if ((rest[0] === 'createWithArray' || rest[0] === 'createWithList') && method === 'POST') {
    const users = parseJson(body);
    if (!Array.isArray(users)) return apiError(res, 400, 'Invalid user list');
    for (const u of users as UserRecord[]) if (u && typeof u.username === 'string') state.users.set(u.username, u);
    return send(res, 200, { code: 200, type: 'unknown', message: 'ok' });
  }
  if (rest[0] === 'login' && method === 'GET') {
    const username = url.searchParams.get('username');
    const password = url.searchParams.get('password');
    if (!username || !password) return apiError(res, 400, 'Invalid username/password supplied');
    return send(res, 200, `logged in user session:${Date.now()}`);
  }
  if (rest[0] === 'logout' && method === 'GET') return send(res, 200, { code: 200, type: 'unknown', message: 'ok' });
  const username = decodeURIComponent(rest[0] ?? '');
  if (!username || rest.length !== 1) return apiError(res, 400, 'Invalid username supplied');
  const user = state.users.get(username);
  if (method === 'GET') return user ? send(res, 200, user) : apiError(res, 404, 'User not found');
  if (method === 'PUT') {
    const update = parseJson(body) as UserRecord | undefined;
    if (!update || typeof update !== 'object') return apiError(res, 400, 'Invalid user supplied');
    if (!user) return apiError(res, 404, 'User not found');
    state.users.set(username, { ...user, ...update, username: update.username ?? username });
    return send(res, 200, state.users.get(update.username ?? username));
  }
  if (method === 'DELETE') return state.users.delete(username) ? send(res, 200) : apiError(res, 404, 'User not found');
  apiError(res, 405, 'Method not allowed');
}

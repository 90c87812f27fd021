import { Kind, parse, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal';
import type { LoopgateConfig } from '../../src/config';
import type { RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, startTestGateway, tokenFor, type GraphQLResponse } from '../support/gateway';

/**
 * Authorization through the real gateway (issue 4), over the demo schema: scope requirements on
 * REST and GraphQL fields and on types, @authenticated, @policy, every spelling of a selection,
 * the partial-data shape, the three modes, and, above all, the upstream request logs showing
 * that no denied selection ever left the gateway.
 */

// Budgets and the feedback loop stay out of the way: this file is about authorization only.
const quiet: LoopgateConfig = {
  budgets: { tiers: { anonymous: { capacity: 1_000_000, restoreRatePerSecond: 1_000_000 } } },
  feedback: { mode: 'off' },
};

let subjects = 0;
/** A token with these scopes, for a fresh subject each time (no shared budget, no cached identity). */
function tokenWith(scope: string): Promise<string> {
  subjects += 1;
  return tokenFor({ sub: `authz-${subjects}`, ...(scope ? { scope } : {}) });
}

/** Runs a request and returns what each embedded backend received during it. */
async function traced(gw: RunningGateway, body: unknown, token?: string) {
  const reviews = gw.sources.embedded.reviews!.requests;
  const petstore = gw.sources.embedded.petstore!.requests;
  const [r0, p0] = [reviews.length, petstore.length];
  const res = await postGraphQL(gw, body, { token });
  return { res, reviews: reviews.slice(r0).map((e) => e.body ?? ''), petstore: petstore.slice(p0).map((e) => `${e.method} ${e.url}`) };
}

function denialPaths(res: GraphQLResponse): string[] {
  return (res.body.errors ?? []).filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE').map((e) => (e.path ?? []).join('.'));
}

/** Whether @include/@skip leave this selection in, with the variables sent along. */
function kept(node: SelectionNode, variables: Record<string, unknown>): boolean {
  for (const d of node.directives ?? []) {
    const arg = d.arguments?.find((a) => a.name.value === 'if')?.value;
    if (!arg) continue;
    const value = arg.kind === Kind.VARIABLE ? variables[arg.name.value] : arg.kind === Kind.BOOLEAN ? arg.value : undefined;
    if (d.name.value === 'include' && value === false) return false;
    if (d.name.value === 'skip' && value === true) return false;
  }
  return true;
}

/** True when a GraphQL request sent upstream really selects `field` (directives applied, fragments followed). */
function selects(bodies: string[], field: string): boolean {
  return bodies.some((b) => {
    const { query, variables = {} } = JSON.parse(b) as { query: string; variables?: Record<string, unknown> };
    const document = parse(query);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    const walk = (set: SelectionSetNode | undefined, seen: Set<string>): boolean =>
      (set?.selections ?? []).some((sel) => {
        if (!kept(sel, variables)) return false;
        if (sel.kind === Kind.FIELD) return sel.name.value === field || walk(sel.selectionSet, seen);
        if (sel.kind === Kind.INLINE_FRAGMENT) return walk(sel.selectionSet, seen);
        if (seen.has(sel.name.value)) return false;
        return walk(fragments.get(sel.name.value)?.selectionSet, new Set([...seen, sel.name.value]));
      });
    return document.definitions.some((def) => def.kind === Kind.OPERATION_DEFINITION && walk(def.selectionSet, new Set()));
  });
}

describe('scope matrix (prune mode)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startTestGateway(quiet);
  });
  afterAll(async () => {
    await gw?.close();
  });

  interface Row {
    what: string;
    query: string;
    scope: string | null; // null: anonymous
    allowed: boolean;
    /** Denied: the field that must not reach the reviews backend, or 'petstore' for no REST call at all. */
    guard: string;
  }
  const rows: Row[] = [
    // REST fields: scopes from mesh/policy.graphql.
    { what: 'getPetById needs pet:read', query: '{ getPetById(petId: 1) { name } }', scope: 'pet:read', allowed: true, guard: 'petstore' },
    { what: 'getPetById: admin is no alternative', query: '{ getPetById(petId: 1) { name } }', scope: 'admin store:read', allowed: false, guard: 'petstore' },
    { what: 'getPetById: anonymous', query: '{ getPetById(petId: 1) { name } }', scope: null, allowed: false, guard: 'petstore' },
    { what: 'getInventory with store:read', query: '{ getInventory }', scope: 'store:read', allowed: true, guard: 'petstore' },
    { what: 'getInventory with admin', query: '{ getInventory }', scope: 'admin', allowed: true, guard: 'petstore' },
    { what: 'getInventory with pet:read only', query: '{ getInventory }', scope: 'pet:read', allowed: false, guard: 'petstore' },
    // GraphQL fields: scopes from mesh/reviews/schema.graphql.
    { what: 'Owner.email with owner:contact', query: '{ owner(id: "o1") { name email } }', scope: 'owner:contact', allowed: true, guard: 'email' },
    { what: 'Owner.email with admin', query: '{ owner(id: "o1") { name email } }', scope: 'admin', allowed: true, guard: 'email' },
    { what: 'Owner.email with owner:phone only', query: '{ owner(id: "o1") { name email } }', scope: 'owner:phone', allowed: false, guard: 'email' },
    { what: 'Owner.phone with owner:contact AND owner:phone', query: '{ owner(id: "o1") { name phone } }', scope: 'owner:contact owner:phone', allowed: true, guard: 'phone' },
    { what: 'Owner.phone with owner:contact alone', query: '{ owner(id: "o1") { name phone } }', scope: 'owner:contact', allowed: false, guard: 'phone' },
    { what: 'Owner.phone with owner:phone alone', query: '{ owner(id: "o1") { name phone } }', scope: 'owner:phone', allowed: false, guard: 'phone' },
    { what: 'Owner.phone: admin is no alternative', query: '{ owner(id: "o1") { name phone } }', scope: 'admin', allowed: false, guard: 'phone' },
    // Type-level: Adoption needs adoption:read OR admin wherever it is returned.
    { what: 'Adoption with adoption:read', query: '{ adoptions { id petId } }', scope: 'adoption:read', allowed: true, guard: 'adoptions' },
    { what: 'Adoption with admin', query: '{ adoptions { id petId } }', scope: 'admin', allowed: true, guard: 'adoptions' },
    { what: 'Adoption with other scopes', query: '{ adoptions { id petId } }', scope: 'owner:contact pet:read', allowed: false, guard: 'adoptions' },
    // @authenticated on Query.owner.
    { what: '@authenticated owner with any token', query: '{ owner(id: "o1") { name } }', scope: '', allowed: true, guard: 'owner' },
    { what: '@authenticated owner anonymous', query: '{ owner(id: "o1") { name } }', scope: null, allowed: false, guard: 'owner' },
  ];

  for (const row of rows) {
    it(`${row.what}: ${row.allowed ? 'allowed' : 'denied, never sent upstream'}`, async () => {
      const token = row.scope === null ? undefined : await tokenWith(row.scope);
      const { res, reviews, petstore } = await traced(gw, { query: row.query }, token);
      expect(res.status).toBe(200);
      if (row.allowed) {
        expect(res.body.errors).toBeUndefined();
        expect(JSON.stringify(res.body.data)).not.toContain('null');
        if (row.guard === 'petstore') expect(petstore).toHaveLength(1);
        else expect(selects(reviews, row.guard)).toBe(true);
        return;
      }
      expect(errorCodes(res)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      if (row.guard === 'petstore') expect(petstore).toEqual([]);
      else expect(selects(reviews, row.guard)).toBe(false);
    });
  }

  it('nulls a denied field and keeps its authorized siblings (HTTP 200, one error at its path)', async () => {
    const { res, reviews } = await traced(gw, { query: '{ owner(id: "o1") { id name email phone } }' }, await tokenWith('owner:contact'));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ owner: { id: 'o1', name: 'Alice', email: 'alice@example.com', phone: null } });
    expect(denialPaths(res)).toEqual(['owner.phone']);
    expect(selects(reviews, 'phone')).toBe(false);
    expect(selects(reviews, 'email')).toBe(true);
  });

  it('returns authorized root fields beside a denied nullable one, calling only the allowed upstream', async () => {
    const { res, reviews, petstore } = await traced(gw, { query: '{ reviewsForPet(petId: 1) { text } getInventory }' }, await tokenWith(''));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ reviewsForPet: [{ text: 'Rex is a good boy' }, { text: 'Barks a bit' }], getInventory: null });
    expect(denialPaths(res)).toEqual(['getInventory']);
    expect(petstore).toEqual([]);
    expect(reviews).toHaveLength(1);
  });

  it('propagates a denied non-null root field (adoptions: [Adoption!]!) to data: null', async () => {
    const { res, reviews } = await traced(gw, { query: '{ reviewsForPet(petId: 1) { text } adoptions { id } }' }, await tokenWith('pet:read'));
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(denialPaths(res)).toEqual(['adoptions']);
    expect(selects(reviews, 'adoptions')).toBe(false);
  });

  it('gives data: null and calls no upstream when nothing authorized is left', async () => {
    const { res, reviews, petstore } = await traced(gw, { query: '{ getPetById(petId: 1) { name } getInventory }' }, await tokenWith(''));
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(denialPaths(res).sort()).toEqual(['getInventory', 'getPetById']);
    expect(petstore).toEqual([]);
    expect(reviews).toEqual([]);
  });

  it('denies the mutation adoptPet (Adoption!) when the type scope is missing: no adoption is made upstream', async () => {
    const mutation = { query: 'mutation { adoptPet(petId: 2, ownerId: "o2") { id petId } }' };
    const denied = await traced(gw, mutation, await tokenWith('adoption:write pet:read'));
    expect(denied.res.status).toBe(200);
    expect(denied.res.body.data).toBeNull();
    expect(denialPaths(denied.res)).toEqual(['adoptPet']);
    expect(denied.reviews).toEqual([]);
    const allowed = await traced(gw, mutation, await tokenWith('adoption:write pet:read adoption:read'));
    expect(allowed.res.body.errors).toBeUndefined();
    expect(allowed.res.body.data).toEqual({ adoptPet: { id: expect.any(String), petId: 2 } });
    expect(selects(allowed.reviews, 'adoptPet')).toBe(true);
  });

  it('denies Adoption.fee (@policy) by default even to adoption:read, and sends no fee upstream', async () => {
    const { res, reviews } = await traced(gw, { query: '{ adoptions(first: 1) { id fee } }' }, await tokenWith('adoption:read finance'));
    expect(res.body.data).toEqual({ adoptions: [{ id: 'a1', fee: null }] });
    expect(denialPaths(res)).toEqual(['adoptions.fee']);
    expect(selects(reviews, 'fee')).toBe(false);
  });
});

describe('every spelling of a selection gets the same decision', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startTestGateway(quiet);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('inline fragment on the union SearchResult: Owner.email nulled on owners only, never requested', async () => {
    const { res, reviews } = await traced(gw, { query: '{ search(text: "o") { ... on Owner { name email } ... on Review { id } } }' }, await tokenWith(''));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ search: [{ id: 'r1' }, { id: 'r3' }, { name: 'Bob', email: null }] });
    expect(denialPaths(res)).toEqual(['search.email']);
    expect(selects(reviews, 'email')).toBe(false);
  });

  it('the same through a named fragment defined after use, with owner:contact: emails returned', async () => {
    const query = '{ search(text: "o") { ...Contact } } fragment Contact on Owner { name email }';
    const denied = await traced(gw, { query }, await tokenWith(''));
    expect(denied.res.body.data).toEqual({ search: [{}, {}, { name: 'Bob', email: null }] });
    expect(denialPaths(denied.res)).toEqual(['search.email']);
    expect(selects(denied.reviews, 'email')).toBe(false);
    const granted = await traced(gw, { query }, await tokenWith('owner:contact'));
    expect(granted.res.body.errors).toBeUndefined();
    expect(granted.res.body.data).toEqual({ search: [{}, {}, { name: 'Bob', email: 'bob@example.com' }] });
  });

  it('interface Node: node(id) needs what every implementation needs (Adoption: adoption:read)', async () => {
    const { res, reviews } = await traced(gw, { query: '{ node(id: "o1") { id } }' }, await tokenWith('owner:contact'));
    expect(res.body.data).toBeNull();
    expect(denialPaths(res)).toEqual(['node']);
    expect(reviews).toEqual([]);
  });

  it('interface Node with adoption:read: ... on Owner { email } nulled without owner:contact, nested fragments alike', async () => {
    const query = '{ node(id: "o1") { ...N } } fragment N on Node { id ... on Owner { ...E } } fragment E on Owner { name email }';
    const denied = await traced(gw, { query }, await tokenWith('adoption:read'));
    expect(denied.res.body.data).toEqual({ node: { id: 'o1', name: 'Alice', email: null } });
    expect(denialPaths(denied.res)).toEqual(['node.email']);
    expect(selects(denied.reviews, 'email')).toBe(false);
    const granted = await traced(gw, { query: '{ node(id: "o1") { ... on Owner { email } } }' }, await tokenWith('adoption:read owner:contact'));
    expect(granted.res.body.errors).toBeUndefined();
    expect(granted.res.body.data).toEqual({ node: { email: 'alice@example.com' } });
  });

  it('aliases of a denied field: each alias nulled, one error per alias path, none sent upstream', async () => {
    const query = '{ a: owner(id: "o1") { name e1: email e2: email } b: owner(id: "o2") { mail: email } }';
    const { res, reviews } = await traced(gw, { query }, await tokenWith('owner:phone'));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ a: { name: 'Alice', e1: null, e2: null }, b: { mail: null } });
    expect(denialPaths(res).sort()).toEqual(['a.e1', 'a.e2', 'b.mail']);
    expect(selects(reviews, 'email')).toBe(false);
  });

  it('a bad variable value is refused even when its only use is in a denied (pruned) selection', async () => {
    const nobody = await tokenWith('');
    for (const [query, variables] of [
      ['query($s: Boolean!) { owner(id: "o1") { name email @skip(if: $s) } }', { s: 'false' }],
      ['query($n: Int!) { owner(id: "o1") { name } adoptions(first: $n) { id } }', { n: 'not-an-int' }],
    ] as const) {
      const { res, reviews } = await traced(gw, { query, variables }, nobody);
      expect({ status: res.status, codes: errorCodes(res) }).toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
      expect(reviews).toEqual([]);
    }
  });

  it('@include/@skip with variables: one document, different variables and tokens in a row, decisions never reused', async () => {
    const query = 'query($withEmail: Boolean!, $skipPhone: Boolean!) { owner(id: "o1") { name email @include(if: $withEmail) phone @skip(if: $skipPhone) } }';
    const [contact, nobody, both] = await Promise.all([tokenWith('owner:contact'), tokenWith(''), tokenWith('owner:contact owner:phone')]);
    const steps: Array<{ token: string; variables: { withEmail: boolean; skipPhone: boolean }; data: unknown; denied: string[]; sent: string[] }> = [
      { token: contact, variables: { withEmail: true, skipPhone: true }, data: { name: 'Alice', email: 'alice@example.com' }, denied: [], sent: ['email'] },
      { token: nobody, variables: { withEmail: true, skipPhone: true }, data: { name: 'Alice', email: null }, denied: ['owner.email'], sent: [] },
      { token: nobody, variables: { withEmail: false, skipPhone: true }, data: { name: 'Alice' }, denied: [], sent: [] },
      { token: contact, variables: { withEmail: true, skipPhone: false }, data: { name: 'Alice', email: 'alice@example.com', phone: null }, denied: ['owner.phone'], sent: ['email'] },
      { token: both, variables: { withEmail: true, skipPhone: false }, data: { name: 'Alice', email: 'alice@example.com', phone: '+1-555-0101' }, denied: [], sent: ['email', 'phone'] },
      { token: nobody, variables: { withEmail: true, skipPhone: false }, data: { name: 'Alice', email: null, phone: null }, denied: ['owner.email', 'owner.phone'], sent: [] },
      { token: contact, variables: { withEmail: true, skipPhone: true }, data: { name: 'Alice', email: 'alice@example.com' }, denied: [], sent: ['email'] },
    ];
    for (const [i, step] of steps.entries()) {
      const { res, reviews } = await traced(gw, { query, variables: step.variables }, step.token);
      expect({ step: i, data: res.body.data }).toEqual({ step: i, data: { owner: step.data } });
      expect({ step: i, denied: denialPaths(res).sort() }).toEqual({ step: i, denied: step.denied });
      for (const field of ['email', 'phone']) {
        expect({ step: i, field, sent: selects(reviews, field) }).toEqual({ step: i, field, sent: step.sent.includes(field) });
      }
    }
  });
});

describe('modes, denial reporting and policies', () => {
  const policyCalls: string[][] = [];
  let reject: RunningGateway;
  let dryRun: RunningGateway;
  let inExtensions: RunningGateway;
  let withPolicy: RunningGateway;
  beforeAll(async () => {
    [reject, dryRun, inExtensions, withPolicy] = await Promise.all([
      startTestGateway({ ...quiet, authz: { mode: 'reject' } }),
      startTestGateway({ ...quiet, authz: { mode: 'dry-run' } }),
      startTestGateway({ ...quiet, authz: { denialsIn: 'extensions' } }),
      startTestGateway({
        ...quiet,
        authz: {
          policy: async (principal: Principal, policies: string[]) => {
            policyCalls.push(policies);
            return { finance: principal.scopes.has('finance') };
          },
        },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([reject?.close(), dryRun?.close(), inExtensions?.close(), withPolicy?.close()]);
  });

  it('reject: the whole operation is refused with 403 and no upstream is called', async () => {
    const { res, reviews, petstore } = await traced(reject, { query: '{ owner(id: "o1") { name email } getPetById(petId: 1) { name } }' }, await tokenWith('pet:read'));
    expect(res.status).toBe(403);
    expect(res.body.data ?? null).toBeNull();
    expect(new Set(errorCodes(res))).toEqual(new Set(['UNAUTHORIZED_FIELD_OR_TYPE']));
    expect(reviews).toEqual([]);
    expect(petstore).toEqual([]);
    const ok = await traced(reject, { query: '{ owner(id: "o1") { name email } }' }, await tokenWith('owner:contact'));
    expect(ok.res.status).toBe(200);
    expect(ok.res.body.data).toEqual({ owner: { name: 'Alice', email: 'alice@example.com' } });
  });

  it('dry run: data in full, no errors, extensions.authorization lists what would be denied', async () => {
    const { res } = await traced(dryRun, { query: '{ owner(id: "o1") { name email phone } }' }, await tokenWith('owner:contact'));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ owner: { name: 'Alice', email: 'alice@example.com', phone: '+1-555-0101' } });
    const report = res.body.extensions?.authorization as { dryRun?: boolean; denied: Array<{ path: string[]; code: string }> };
    expect(report.dryRun).toBe(true);
    expect(report.denied).toEqual([{ path: ['owner', 'phone'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' }]);
  });

  it("denialsIn: 'extensions': pruned and nulled, reported in extensions.authorization instead of errors", async () => {
    const { res, reviews } = await traced(inExtensions, { query: '{ owner(id: "o1") { name email } }' }, await tokenWith(''));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ owner: { name: 'Alice', email: null } });
    expect(res.body.extensions?.authorization).toEqual({ denied: [{ path: ['owner', 'email'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' }] });
    expect(selects(reviews, 'email')).toBe(false);
  });

  it('@policy answered by the configured function: finance sees the fee, others do not', async () => {
    const query = { query: '{ adoptions(first: 1) { id fee } }' };
    const granted = await traced(withPolicy, query, await tokenWith('adoption:read finance'));
    expect(granted.res.body.errors).toBeUndefined();
    expect(granted.res.body.data).toEqual({ adoptions: [{ id: 'a1', fee: 120 }] });
    expect(selects(granted.reviews, 'fee')).toBe(true);
    const denied = await traced(withPolicy, query, await tokenWith('adoption:read'));
    expect(denied.res.body.data).toEqual({ adoptions: [{ id: 'a1', fee: null }] });
    expect(denialPaths(denied.res)).toEqual(['adoptions.fee']);
    expect(selects(denied.reviews, 'fee')).toBe(false);
    expect(policyCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of policyCalls) expect(call).toEqual(['finance']);
  });
});

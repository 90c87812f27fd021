import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';

// Composition run as `npm run compose` / `npm start` run it, in a copy of mesh/ so the repo's
// own supergraph is never touched: an SDL edit shows up in the supergraph, `--if-stale` leaves
// a fresh supergraph alone, and broken inputs fail with exit code 1 and the culprit's name.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const composeCli = join(repo, 'src/compose/cli.ts');
const composeTimeoutMs = 120_000;
const workspaces: string[] = [];

afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder with a copy of mesh/ (minus the generated supergraph) and the repo's node_modules. */
function workspace(): { dir: string; sdl: string; policy: string; supergraph: string } {
  const dir = mkdtempSync(join(tmpdir(), 'loopgate-compose-'));
  workspaces.push(dir);
  cpSync(join(repo, 'mesh'), join(dir, 'mesh'), { recursive: true, filter: (src) => !src.endsWith('supergraph.graphql') });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    sdl: join(dir, 'mesh/reviews/schema.graphql'),
    policy: join(dir, 'mesh/policy.graphql'),
    supergraph: join(dir, 'mesh/supergraph.graphql'),
  };
}

function compose(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    // Source overrides would point composition outside the workspace.
    delete env.LOOPGATE_PETSTORE_OPENAPI;
    delete env.LOOPGATE_REVIEWS_SDL;
    execFile(process.execPath, ['--import', 'tsx', composeCli, ...args], { cwd, env, timeout: composeTimeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function queryFields(supergraphPath: string): string[] {
  const schema = buildSchema(readFileSync(supergraphPath, 'utf8'), { assumeValidSDL: true });
  return Object.keys((schema.getQueryType() as GraphQLObjectType).getFields());
}

/** Adds a field to the reviews service's Query type. */
function addQueryField(sdlPath: string, field: string): void {
  const sdl = readFileSync(sdlPath, 'utf8');
  const updated = sdl.replace(/type Query \{/, `type Query {\n  ${field}`);
  expect(updated).not.toBe(sdl);
  writeFileSync(sdlPath, updated);
}

describe('recomposition after an SDL edit', () => {
  const ws = workspace();

  it('an SDL edit shows up in the composed supergraph', async () => {
    addQueryField(ws.sdl, 'hello: String');
    const result = await compose(ws.dir);
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
    const fields = queryFields(ws.supergraph);
    expect(fields).toContain('hello');
    // The REST fields and the links are still there.
    expect(fields).toEqual(expect.arrayContaining(['getPetById', 'reviewsForPet']));
    expect(readFileSync(ws.supergraph, 'utf8')).toMatch(/hello: String @join__field\(graph: REVIEWS\)/);
  }, composeTimeoutMs);

  it('--if-stale does nothing when no input changed', async () => {
    const before = statSync(ws.supergraph).mtimeMs;
    const text = readFileSync(ws.supergraph, 'utf8');
    const result = await compose(ws.dir, '--if-stale');
    expect(result.code).toBe(0);
    expect(statSync(ws.supergraph).mtimeMs).toBe(before);
    expect(readFileSync(ws.supergraph, 'utf8')).toBe(text);
  }, composeTimeoutMs);

  it('--if-stale recomposes after another edit', async () => {
    addQueryField(ws.sdl, 'goodbye: String');
    const result = await compose(ws.dir, '--if-stale');
    expect(result.code).toBe(0);
    expect(queryFields(ws.supergraph)).toEqual(expect.arrayContaining(['hello', 'goodbye']));
  }, composeTimeoutMs);
});

describe('composition refuses broken inputs', () => {
  it('a policy file naming a misspelled field fails with exit code 1 and the coordinate', async () => {
    const ws = workspace();
    writeFileSync(ws.policy, 'extend type Query {\n  getPetByIdd: Pet @requiresScopes(scopes: [["x"]])\n}\n');
    const result = await compose(ws.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Query.getPetByIdd');
    // Nothing half-made is left for the gateway to serve.
    expect(existsSync(ws.supergraph)).toBe(false);
  }, composeTimeoutMs);

  it('a broken reviews SDL fails with exit code 1 naming the reviews source', async () => {
    const ws = workspace();
    appendFileSync(ws.sdl, '\ntype Broken {\n');
    const result = await compose(ws.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\breviews\b/);
    expect(existsSync(ws.supergraph)).toBe(false);
  }, composeTimeoutMs);

  it('a broken SDL makes --if-stale fail too, leaving the previous supergraph in place', async () => {
    const ws = workspace();
    expect((await compose(ws.dir)).code).toBe(0);
    const good = readFileSync(ws.supergraph, 'utf8');
    appendFileSync(ws.sdl, '\ntype Broken {\n');
    const result = await compose(ws.dir, '--if-stale');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\breviews\b/);
    expect(readFileSync(ws.supergraph, 'utf8')).toBe(good);
  }, composeTimeoutMs * 2);
});

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { schema as published } from '@octokit/graphql-schema';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let githubSdl = '';
const cli = ['--import', 'tsx', 'src/cli/cost.ts'];

async function queryFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loopgate-cost-'));
  const file = join(dir, 'query.graphql');
  await writeFile(file, text);
  return file;
}

describe('cost CLI', () => {
  beforeAll(async () => {
    githubSdl = join(await mkdtemp(join(tmpdir(), 'loopgate-schema-')), 'github.graphql');
    await writeFile(githubSdl, published.idl);
  });

  it('prints the GitHub breakdown as JSON and nothing else', async () => {
    const query = await queryFile('query($n: Int) { viewer { repositories(first: $n) { edges { node { name issues(first: 10) { totalCount } } } } } }');
    const { stdout } = await run(process.execPath, [...cli, '--schema', githubSdl, '--query', query, '--variables', '{"n":50}', '--model', 'github']);
    const report = JSON.parse(stdout);
    expect(report.total).toBe(1);
    expect(report.details).toEqual({ nodes: 550, requests: 51 });
    expect(report.perPath['viewer.repositories']).toBe(550);
    expect(report.limits.measured.depth).toBe(5);
    expect(report.errors).toEqual([]);
  });

  it('reports limits hit', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: viewer { login }`).join(' ');
    const query = await queryFile(`{ ${aliases} }`);
    const { stdout } = await run(process.execPath, [...cli, '--schema', githubSdl, '--query', query]);
    const report = JSON.parse(stdout);
    expect(report.limits.hit.map((v: { code: string }) => v.code)).toEqual(['MAX_ALIASES_LIMIT', 'MAX_ROOT_FIELDS_LIMIT']);
  });

  it.each([
    ['no arguments', []],
    ['unknown flag', ['--nope', 'x']],
    ['bad variables', ['--schema', 'SDL', '--query', 'q.graphql', '--variables', '{nope']],
    ['bad model', ['--schema', 'SDL', '--query', 'q.graphql', '--model', 'other']],
    ['missing schema file', ['--schema', '/nonexistent.graphql', '--query', 'q.graphql']],
    ['a field the schema lacks', ['--schema', 'SDL', '--query', 'UNKNOWN_FIELD']],
  ])('%s: exit 2, message on stderr, empty stdout', async (_, args) => {
    const unknownField = await queryFile('{ viewer { login notAFieldOfUser } }');
    const resolved = args.map((arg) => (arg === 'SDL' ? githubSdl : arg === 'UNKNOWN_FIELD' ? unknownField : arg));
    const failure = await run(process.execPath, [...cli, ...resolved]).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).not.toBe('');
  });
});

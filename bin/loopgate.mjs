#!/usr/bin/env node
// The `loopgate` command: one entry for the TypeScript CLIs, run through tsx.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commands = {
  start: 'src/main.ts',
  compose: 'src/compose/cli.ts',
  token: 'src/cli/token.ts',
  cost: 'src/cli/cost.ts',
  budgets: 'src/cli/budgets.ts',
};
const [command, ...args] = process.argv.slice(2);
if (!command || !(command in commands)) {
  process.stderr.write(`usage: loopgate <${Object.keys(commands).join('|')}> [options]\n`);
  process.exit(2);
}
const tsx = createRequire(import.meta.url).resolve('tsx');
const result = spawnSync(process.execPath, ['--import', tsx, join(root, commands[command]), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);

/**
 * Gateway throughput benchmark (issue 8): the same query through the raw upstream, a bare Hive
 * gateway runtime, loopgate with its features added one at a time, full loopgate on the memory
 * and Redis stores, and the peer stack users would assemble instead, all measured in one
 * invocation in interleaved rounds. Prints medians and the target ratios and writes the table
 * to bench/results/latest.md.
 *
 *   npm run bench -- [--rounds 5] [--duration 5] [--connections 16] [--only bare,peer] [--query reviews|cross]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseBenchArgs, type BenchOptions } from './harness/options';
import { formatMarkdown, formatText, summarize } from './harness/report';
import { repoRoot, runBenchmark } from './harness/run-bench';

let options: BenchOptions;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

// Ctrl-C stops after the current run; the finally blocks then stop every server and process.
const abort = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nstopping after the current run...\n');
  abort.abort();
});

// Runtime warnings (e.g. MaxListenersExceededWarning under load) are counted and shown once at
// the end instead of interleaving with the progress lines.
const runtimeWarnings = new Map<string, number>();
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  const key = `${warning.name}: ${warning.message}`;
  runtimeWarnings.set(key, (runtimeWarnings.get(key) ?? 0) + 1);
});

const report = await runBenchmark(options, { signal: abort.signal });
process.stdout.write(`\n${formatText(report)}\n`);

const warnings: string[] = [];
const bare = report.results.find((r) => r.name === 'bare');
for (const result of report.results) {
  if (result.excluded) warnings.push(`${result.name} was NOT measured: ${result.excluded}`);
  else if (summarize(result, bare).failures > 0) {
    warnings.push(`${result.name} had ${summarize(result, bare).failures} failed requests: ${result.samples.map((s) => s.failureDetail).filter(Boolean).join('; ')}`);
  }
}
if (warnings.length) {
  const bar = '!'.repeat(78);
  process.stdout.write(`\n${bar}\n${warnings.map((w) => `!!! ${w}`).join('\n')}\n!!! Figures of these scenarios are not valid.\n${bar}\n`);
}

if (runtimeWarnings.size) {
  process.stdout.write(`\nruntime warnings during the run:\n${[...runtimeWarnings].map(([w, n]) => `  ${n}x ${w}`).join('\n')}\n`);
}

if (report.options.markdownPath) {
  const path = resolve(repoRoot, report.options.markdownPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatMarkdown(report));
  process.stdout.write(`\nwrote ${path}\n`);
}
process.exitCode = warnings.length ? 1 : 0;

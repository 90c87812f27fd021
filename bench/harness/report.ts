import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { LoadSample } from './load';
import type { NormalizedBenchOptions, ScenarioName } from './options';
import { median, pairedRatios } from './stats';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage: string;
  platform: string;
  node: string;
  commit: string;
  date: string;
}

/** What the figures were measured on: they mean little without it. */
export function describeMachine(cwd: string): MachineInfo {
  let commit = 'unknown';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    commit = dirty ? `${head} (uncommitted changes)` : head;
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    commit,
    date: new Date().toISOString(),
  };
}

export interface ScenarioResult {
  name: ScenarioName;
  describe: string;
  /** Why the scenario was not measured (failed to start, or answered wrongly); undefined when measured. */
  excluded?: string;
  /** The checked response was correct (data present, no errors). */
  correct: boolean;
  /** One sample per round, in round order (index r = round r). */
  samples: LoadSample[];
}

export interface ScenarioSummary {
  name: ScenarioName;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** req/s over bare's, paired per round; NaN without bare. */
  vsBare: number;
}

export interface RatioResult {
  label: string;
  /** Median of the per-round ratios; NaN when a side is missing. */
  value: number;
  min: number;
  max: number;
  target?: number;
  unit: 'x' | 'ms';
}

export function summarize(result: ScenarioResult, bare: ScenarioResult | undefined): ScenarioSummary {
  const s = result.samples;
  const bareRps = bare && !bare.excluded ? bare.samples.map((x) => x.requestsPerSecond) : [];
  return {
    name: result.name,
    requestsPerSecond: median(s.map((x) => x.requestsPerSecond)),
    p50Ms: median(s.map((x) => x.p50Ms)),
    p99Ms: median(s.map((x) => x.p99Ms)),
    failures: s.reduce((sum, x) => sum + x.failures, 0),
    vsBare: median(pairedRatios(s.map((x) => x.requestsPerSecond), bareRps)),
  };
}

/** The ratios issue 8 sets targets for, each the median of per-round (paired) values. */
export function computeRatios(results: ReadonlyMap<ScenarioName, ScenarioResult>): RatioResult[] {
  const measured = (name: ScenarioName) => {
    const r = results.get(name);
    return r && !r.excluded ? r.samples : undefined;
  };
  const rps = (name: ScenarioName) => measured(name)?.map((x) => x.requestsPerSecond);
  const p99 = (name: ScenarioName) => measured(name)?.map((x) => x.p99Ms);
  const ratio = (label: string, a: ScenarioName, b: ScenarioName, target: number): RatioResult => {
    const values = pairedRatios(rps(a) ?? [], rps(b) ?? []);
    return { label, value: median(values), min: Math.min(...values), max: Math.max(...values), target, unit: 'x' };
  };
  const added = (label: string, a: ScenarioName, b: ScenarioName): RatioResult => {
    const x = p99(a) ?? [];
    const y = p99(b) ?? [];
    const values = x.slice(0, y.length).map((v, i) => v - y[i]!);
    return { label, value: median(values), min: Math.min(...values), max: Math.max(...values), unit: 'ms' };
  };
  return [
    ratio('full-memory / bare (req/s)', 'loopgate-full-memory', 'bare', 0.93),
    ratio('full-memory / peer (req/s)', 'loopgate-full-memory', 'peer', 1.15),
    ratio('full-redis / full-memory (req/s)', 'loopgate-full-redis', 'loopgate-full-memory', 0.97),
    added('added p99, full-memory - bare', 'loopgate-full-memory', 'bare'),
    added('added p99, full-redis - bare', 'loopgate-full-redis', 'bare'),
  ];
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function ratioVerdict(r: RatioResult): string {
  if (!Number.isFinite(r.value)) return 'not measured';
  if (r.target === undefined) return 'no target';
  return r.value >= r.target ? `target >= ${r.target} met` : `BELOW target >= ${r.target}`;
}

function ratioValue(r: RatioResult): string {
  if (!Number.isFinite(r.value)) return 'n/a';
  const digits = r.unit === 'x' ? 3 : 1;
  return `${fmt(r.value, digits)}${r.unit === 'ms' ? ' ms' : ''} (rounds: ${fmt(r.min, digits)} to ${fmt(r.max, digits)})`;
}

export interface Report {
  machine: MachineInfo;
  options: NormalizedBenchOptions;
  results: ScenarioResult[];
  ratios: RatioResult[];
}

function headerLines(report: Report): string[] {
  const { machine: m, options: o } = report;
  return [
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}; Node ${m.node}; load average at start ${m.loadAverage}`,
    `commit ${m.commit}; ${m.date}`,
    `query "${o.query}", ${o.rounds} interleaved rounds x ${o.durationSeconds} s per run (after ${o.warmupSeconds} s warm-up), ${o.connections} connections, autocannon in a worker thread, backends in a child process`,
  ];
}

function rows(report: Report): string[][] {
  const bare = report.results.find((r) => r.name === 'bare');
  return report.results.map((r) => {
    if (r.excluded) return [r.name, 'not measured', '', '', '', '', r.excluded];
    const s = summarize(r, bare);
    return [
      r.name,
      fmt(s.requestsPerSecond, 0),
      fmt(s.vsBare, 3),
      fmt(s.p50Ms, 1),
      fmt(s.p99Ms, 1),
      String(s.failures),
      r.correct ? 'yes' : 'NO',
    ];
  });
}

const columns = ['scenario', 'req/s (median)', 'vs bare', 'p50 ms', 'p99 ms', 'errors + non-2xx', 'correct response'];

/** The plain-text report printed at the end of a run. */
export function formatText(report: Report): string {
  const table = [columns, ...rows(report)];
  const widths = columns.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [...headerLines(report), '', line(columns), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of table.slice(1)) out.push(line(row));
  out.push('');
  for (const r of report.ratios) out.push(`${r.label.padEnd(36)} ${ratioValue(r)}  ${ratioVerdict(r)}`);
  return out.join('\n');
}

/** The same report as Markdown, for bench/results/latest.md and the README. */
export function formatMarkdown(report: Report): string {
  const out = ['# loopgate benchmark', '', ...headerLines(report).map((l) => `- ${l}`), ''];
  out.push(`| ${columns.join(' | ')} |`, `| ${columns.map((_, i) => (i === 0 || i === columns.length - 1 ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows(report)) out.push(`| ${row.join(' | ')} |`);
  out.push('', '| ratio | value (median of per-round ratios; range over rounds) | target |', '| --- | ---: | --- |');
  for (const r of report.ratios) out.push(`| ${r.label} | ${ratioValue(r)} | ${ratioVerdict(r)} |`);
  out.push(
    '',
    'Scenarios:',
    '',
    ...report.results.map((r) => `- \`${r.name}\`: ${r.describe}`),
    '',
    'Latency percentiles come from autocannon (1 ms resolution); "vs bare" and the ratios are medians of per-round ratios, so drift during a run affects both sides of each pair alike.',
    '',
  );
  return out.join('\n');
}

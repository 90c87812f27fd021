import type { ActorStats, RunResult, SimulationResult } from './run';

/** The simulation's numbers as plain-text tables: one per run, then the comparison. */
export function formatReport(result: SimulationResult, command: string): string {
  const f = result.feedback;
  const overrides = Object.keys(result.feedbackOverrides).length
    ? `tuned: ${JSON.stringify(result.feedbackOverrides)}`
    : 'policy defaults, nothing tuned';
  const tiers = Object.entries(result.tiers)
    .map(([name, t]) => `${name} ${fmt(t.capacity)} pts +${fmt(t.restoreRatePerSecond)}/s`)
    .join(' | ');
  const lines = [
    `loopgate traffic simulation, ${result.ranAt}`,
    `command: ${command}`,
    `seed ${result.seed}; ${result.minutes} virtual min per run in ${result.tickMs} ms ticks; ` +
      `${result.adaptive.requests} requests per run; wall ${seconds(result.wallMs)} (adaptive ${seconds(result.adaptive.wallMs)}, static ${seconds(result.static.wallMs)})`,
    `tiers, both runs: ${tiers}`,
    `adaptive run: feedback 'enforce', ${overrides} (window ${f.windowMs / 1000} s, cooldown ${f.cooldownMs / 1000} s, ` +
      `x${f.decreaseFactor} per cut, +${f.recoveryStep} per clean window, floor ${f.minMultiplier})`,
    `static run:   feedback 'off': the multiplier stays 1, same base budgets, never adapted`,
    '',
    ...runTable(result.adaptive),
    '',
    ...runTable(result.static),
    '',
    'abusive actors, cost served (estimated cost admitted; actual cost in brackets):',
    ...table(
      ['actor', 'adaptive', 'static', 'adaptive/static', 'throttled adaptive', 'throttled static'],
      [1, 2, 3, 4, 5],
      result.abusers.map((a) => [
        a.name,
        `${fmt(a.adaptive.costServed)} (${fmt(a.adaptive.actualCostServed)})`,
        `${fmt(a.static.costServed)} (${fmt(a.static.actualCostServed)})`,
        percent(a.costRatio),
        fmt(a.adaptive.throttled),
        fmt(a.static.throttled),
      ]),
    ),
    '',
    `legitimate actors, false throttles: adaptive ${falseLine(result.legitimate.adaptive)}; static ${falseLine(result.legitimate.static)}`,
  ];
  return lines.join('\n');
}

function runTable(run: RunResult): string[] {
  const header = ['actor', 'label', 'tier', 'sent', 'throttled', '1st throttle', 'false thr.', 'cost served', 'actual', 'multiplier', 'rules (first cut)'];
  const rows = run.actors.map((a) => [
    a.name,
    a.label,
    a.tier,
    fmt(a.requests),
    fmt(a.throttled),
    a.firstThrottleSeconds === null ? '-' : `${a.firstThrottleSeconds.toFixed(1)} s`,
    a.label === 'legit' ? fmt(a.throttled) : '',
    fmt(a.costServed),
    fmt(a.actualCostServed),
    String(a.finalMultiplier),
    rulesOf(a),
  ]);
  const title = `${run.mode.toUpperCase()} (${run.mode === 'adaptive' ? "feedback 'enforce'" : "feedback 'off'"})`;
  return [title, ...table(header, [3, 4, 5, 6, 7, 8, 9], rows)];
}

function rulesOf(a: ActorStats): string {
  if (!a.rules.length) return '-';
  return `${a.rules.join(', ')} (${a.firstCutSeconds === null ? '-' : `${a.firstCutSeconds.toFixed(1)} s`})`;
}

/** Text columns left-aligned, the `numeric` ones right-aligned, two spaces apart. */
function table(header: string[], numeric: readonly number[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function falseLine(f: { requests: number; throttled: number; rate: number }): string {
  return `${fmt(f.throttled)} of ${fmt(f.requests)} requests (${percent(f.rate)})`;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2));
const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

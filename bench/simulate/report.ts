import type { ServedCost } from './compare';
import type { ActorStats, RunResult, SimulationResult } from './run';

/** The simulation's numbers as plain-text tables: one per run, then the comparison. */
export function formatReport(result: SimulationResult, command: string): string {
  const f = result.feedback;
  const m = result.matched;
  const overrides = Object.keys(result.feedbackOverrides).length
    ? `tuned: ${JSON.stringify(result.feedbackOverrides)}`
    : 'policy defaults, nothing tuned';
  const runs = [result.adaptive, result.static, result.staticMatched];
  const legit = result.legitimate;
  const matchedLegit = result.staticMatched.actors.filter((a) => a.label === 'legit');
  const legitCost = (run: RunResult) => run.actors.filter((a) => a.label === 'legit').reduce((sum, a) => sum + a.costServed, 0);
  const lines = [
    `loopgate traffic simulation, ${result.ranAt}`,
    `command: ${command}`,
    `seed ${result.seed}; ${result.minutes} virtual min per run in ${result.tickMs} ms ticks; ` +
      `requests ${runs.map((r) => `${r.mode} ${r.requests}`).join(', ')}; ` +
      `wall ${seconds(result.wallMs)} (${runs.map((r) => `${r.mode} ${seconds(r.wallMs)}`).join(', ')})`,
    `tiers, adaptive and static runs: ${tierList(result.static)}`,
    `tiers, static-matched run:       ${tierList(result.staticMatched)}`,
    `adaptive run: feedback 'enforce', ${overrides} (window ${f.windowMs / 1000} s, cooldown ${f.cooldownMs / 1000} s, ` +
      `x${f.decreaseFactor} per cut, +${f.recoveryStep} per clean window, floor ${f.minMultiplier})`,
    `static run:   feedback 'off': the multiplier stays 1, same base budgets, never adapted`,
    `static-matched run: feedback 'off', every tier's capacity and restore rate x m, never adapted; m = ${factor(m.factor)}, ` +
      `the mean over the ${m.actors.length} actors of each one's multiplier in the adaptive run,`,
    `  averaged over its ${m.runSeconds} virtual s (1 until the first decision, then each decision's multiplier from its time on): ` +
      m.actors.map((a) => `${a.name} ${factor(a.averageMultiplier)}`).join(', '),
    '',
    ...runTable(result.adaptive, "feedback 'enforce'"),
    '',
    ...runTable(result.static, "feedback 'off'"),
    '',
    ...runTable(result.staticMatched, `feedback 'off', every tier x${factor(m.factor)}`),
    '',
    'abusive actors, cost served (estimated cost admitted; actual cost in brackets):',
    ...table(
      ['actor', 'adaptive', 'static', 'static-matched', 'adaptive/static', 'adaptive/matched', 'throttled adaptive', 'throttled static', 'throttled matched'],
      [1, 2, 3, 4, 5, 6, 7, 8],
      result.abusers.map((a) => [
        a.name,
        served(a.adaptive),
        served(a.static),
        served(a.staticMatched),
        percent(a.costRatio),
        percent(a.matchedCostRatio),
        fmt(a.adaptive.throttled),
        fmt(a.static.throttled),
        fmt(a.staticMatched.throttled),
      ]),
    ),
    '',
    `legitimate actors, false throttles: adaptive ${falseLine(legit.adaptive)}; static ${falseLine(legit.static)}; ` +
      `static-matched ${falseLine(legit.staticMatched)}`,
    `legitimate actors under static-matched: throttled ${matchedLegit.map((a) => `${a.name} ${fmt(a.throttled)}`).join(', ')}; ` +
      `cost served ${fmt(legitCost(result.staticMatched))} against ${fmt(legitCost(result.adaptive))} adaptive`,
  ];
  return lines.join('\n');
}

function runTable(run: RunResult, how: string): string[] {
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
  return [`${run.mode.toUpperCase()} (${how})`, ...table(header, [3, 4, 5, 6, 7, 8, 9], rows)];
}

function tierList(run: RunResult): string {
  return Object.entries(run.tiers)
    .map(([name, t]) => `${name} ${fmt(t.capacity)} pts +${fmt(t.restoreRatePerSecond)}/s`)
    .join(' | ');
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

function served(c: ServedCost): string {
  return `${fmt(c.costServed)} (${fmt(c.actualCostServed)})`;
}

function falseLine(f: { requests: number; throttled: number; rate: number }): string {
  return `${fmt(f.throttled)} of ${fmt(f.requests)} requests (${percent(f.rate)})`;
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const factor = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));
const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Traffic simulator: replays a labelled mix of legitimate and abusive clients through the
 * real gateway three times, on a virtual clock: with the adaptive feedback policy, with the
 * static base budgets, and with static budgets scaled to the adaptive run's average multiplier;
 * prints per actor what each policy let through.
 *   npx tsx bench/simulate.ts [--minutes 10] [--seed 42] [--feedback '{"cooldownMs":10000}'] [--json]
 */
import { pathToFileURL } from 'node:url';
import type { FeedbackOptions } from '../src/feedback/options';
import { formatReport } from './simulate/report';
import { defaultSimulationOptions, runSimulation, type SimulationOptions } from './simulate/run';

export { runSimulation, defaultSimulationOptions } from './simulate/run';
export type { ActorStats, RunResult, SimulationOptions, SimulationResult } from './simulate/run';
export type { AbuserComparison, FalseThrottles, ServedCost } from './simulate/compare';
export { timeAveragedMultiplier, type MatchedFactor } from './simulate/matched';
export { actors } from './simulate/actors';

interface CliOptions extends SimulationOptions {
  json: boolean;
}

/** Reads the flags; a bad one ends the run with its name, before any gateway starts. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new TypeError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--minutes': {
        const minutes = Number(value());
        if (!(Number.isFinite(minutes) && minutes > 0)) throw new TypeError('--minutes must be a number > 0');
        out.minutes = minutes;
        break;
      }
      case '--seed': {
        const seed = Number(value());
        if (!Number.isInteger(seed)) throw new TypeError('--seed must be an integer');
        out.seed = seed;
        break;
      }
      case '--feedback': {
        const parsed: unknown = JSON.parse(value());
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('--feedback must be a JSON object of feedback options');
        out.feedback = parsed as FeedbackOptions;
        break;
      }
      case '--json':
        out.json = true;
        break;
      default:
        throw new TypeError(`unknown flag ${flag} (known: --minutes N, --seed S, --feedback JSON, --json)`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const { json, ...options } = parseArgs(process.argv.slice(2));
  const result = await runSimulation(options);
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const minutes = options.minutes ?? defaultSimulationOptions.minutes;
  const seed = options.seed ?? defaultSimulationOptions.seed;
  const feedback = options.feedback ? ` --feedback '${JSON.stringify(options.feedback)}'` : '';
  process.stdout.write(`${formatReport(result, `npx tsx bench/simulate.ts --minutes ${minutes} --seed ${seed}${feedback}`)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    // The gateway runtime may keep handles open after close; the report is out, so leave.
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

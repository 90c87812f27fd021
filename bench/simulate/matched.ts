import type { ActorStats, RunResult } from './run';

/**
 * The factor of the static-matched run: the budget the adaptive policy handed out on average,
 * as one multiplier of the base tiers. Each actor's multiplier is integrated over the virtual
 * run (1 until its first decision, each decision's multiplier from its time on) and divided by
 * the run's length; m is the mean of those over all actors, legitimate and abusive alike.
 */

export interface MatchedFactor {
  /** m: the mean of `actors[].averageMultiplier`, in (0, 1] under the default bounds. */
  factor: number;
  /** Length of the adaptive run the multipliers are averaged over, virtual seconds. */
  runSeconds: number;
  /** Each actor's time-averaged multiplier in the adaptive run, in table order. */
  actors: Array<{ name: string; averageMultiplier: number }>;
}

/** ∫ multiplier dt / runSeconds over [0, runSeconds], from decisions oldest first. */
export function timeAveragedMultiplier(decisions: ActorStats['decisions'], runSeconds: number): number {
  let area = 0;
  let multiplier = 1;
  let fromSeconds = 0;
  for (const decision of decisions) {
    // Clamped so a decision stamped at or past the end adds no time.
    const atSeconds = Math.min(Math.max(decision.atSeconds, fromSeconds), runSeconds);
    area += multiplier * (atSeconds - fromSeconds);
    multiplier = decision.multiplier;
    fromSeconds = atSeconds;
  }
  area += multiplier * (runSeconds - fromSeconds);
  return area / runSeconds;
}

export function matchedFactor(adaptive: RunResult, runSeconds: number): MatchedFactor {
  const actors = adaptive.actors.map((a) => ({ name: a.name, averageMultiplier: timeAveragedMultiplier(a.decisions, runSeconds) }));
  const factor = actors.reduce((sum, a) => sum + a.averageMultiplier, 0) / actors.length;
  return { factor, runSeconds, actors };
}

import type { RunResult } from './run';

/** What each run let the abusers take, and what it cost the legitimate actors. */

export interface ServedCost {
  costServed: number;
  actualCostServed: number;
  throttled: number;
}

export interface AbuserComparison {
  name: string;
  adaptive: ServedCost;
  static: ServedCost;
  staticMatched: ServedCost;
  /** adaptive / static cost served (estimates); below 1 means the adaptive policy held it back. */
  costRatio: number;
  /** adaptive / static-matched cost served (estimates); below 1 means adapting beat the matched uniform limit. */
  matchedCostRatio: number;
}

export interface FalseThrottles {
  requests: number;
  /** Throttles suffered by legitimate actors. */
  throttled: number;
  /** throttled / requests. */
  rate: number;
}

export function compareAbusers(adaptive: RunResult, statik: RunResult, matched: RunResult): AbuserComparison[] {
  const served = (run: RunResult, name: string): ServedCost => {
    const s = run.actors.find((x) => x.name === name)!;
    return { costServed: s.costServed, actualCostServed: s.actualCostServed, throttled: s.throttled };
  };
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return adaptive.actors
    .filter((a) => a.label === 'abusive')
    .map((a) => {
      const s = served(statik, a.name);
      const m = served(matched, a.name);
      return {
        name: a.name,
        adaptive: served(adaptive, a.name),
        static: s,
        staticMatched: m,
        costRatio: ratio(a.costServed, s.costServed),
        matchedCostRatio: ratio(a.costServed, m.costServed),
      };
    });
}

export function falseThrottles(run: RunResult): FalseThrottles {
  const legit = run.actors.filter((a) => a.label === 'legit');
  const requests = legit.reduce((sum, a) => sum + a.requests, 0);
  const throttled = legit.reduce((sum, a) => sum + a.throttled, 0);
  return { requests, throttled, rate: requests > 0 ? throttled / requests : 0 };
}

import type { RunningScenario } from './scenarios';

export interface CheckOutcome {
  /** Undefined when the response was correct. */
  problem?: string;
  /** The exact body returned: every measured response must equal it. */
  body: string;
  status: number;
}

/**
 * Sends the scenario's request once and judges the answer: HTTP 200, JSON, data present, no
 * errors. Run before measuring, so a scenario that answers errors fast is never reported as fast.
 * A scenario that enforces tokens must also refuse the same request without one (401), which
 * proves its authentication is live rather than skipped.
 */
export async function checkScenario(scenario: RunningScenario, timeoutMs = 10_000): Promise<CheckOutcome> {
  const send = (headers: Record<string, string>) =>
    fetch(scenario.url, { method: 'POST', headers, body: scenario.body, signal: AbortSignal.timeout(timeoutMs) });
  let response: Response;
  try {
    if (scenario.enforcesToken) {
      const { authorization: _token, ...withoutToken } = scenario.headers;
      const anonymous = await send(withoutToken);
      await anonymous.arrayBuffer();
      if (anonymous.status !== 401) return { problem: `answered ${anonymous.status}, not 401, without a token`, body: '', status: anonymous.status };
    }
    response = await send(scenario.headers);
  } catch (error) {
    return { problem: `request failed: ${(error as Error).message}`, body: '', status: 0 };
  }
  const body = await response.text();
  if (response.status !== 200) return { problem: `HTTP ${response.status}: ${body.slice(0, 300)}`, body, status: response.status };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problem: `not JSON: ${body.slice(0, 200)}`, body, status: response.status };
  }
  return { problem: scenario.problemWith(parsed), body, status: response.status };
}

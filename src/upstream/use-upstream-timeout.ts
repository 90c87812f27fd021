import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { gatewayError } from '../errors';

export interface UpstreamTimeoutOptions {
  /** Longest one subgraph call may take, body included, in milliseconds. */
  timeoutMs: number;
}

/**
 * Bounds every subgraph call by `timeoutMs` with one AbortController and one timer per call,
 * both released when the call settles. The fetch gets that controller's signal, so a timed-out
 * call is really cancelled, and the field gets UPSTREAM_UNAVAILABLE (504).
 *
 * Why not the runtime's own `upstreamTimeout`: it gives every call a request-level signal, and
 * the HTTP executor then joins that signal to its long-lived dispose signal with a listener
 * that is only removed when the call's signal is garbage-collected. Listeners pile up on that
 * one signal, every new one walks the pile, and throughput fell by about a third under load
 * (bench/results: loopgate-full-memory, before and after).
 */
export function useUpstreamTimeout(options: UpstreamTimeoutOptions): GatewayPlugin {
  const { timeoutMs } = options;
  const controllerOf = new WeakMap<object, AbortController>();
  const inFlight = new Set<AbortController>();
  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      const timed = (executionRequest: Parameters<typeof executor>[0]) => {
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = gatewayError('UPSTREAM_UNAVAILABLE', `Upstream "${subgraphName}" did not answer in time.`, {
              status: 504,
              extensions: { serviceName: subgraphName },
            });
            reject(error);
            controller.abort(error);
          }, timeoutMs);
        });
        const release = () => {
          clearTimeout(timer);
          inFlight.delete(controller);
        };
        controllerOf.set(executionRequest, controller);
        inFlight.add(controller);
        let result: ReturnType<typeof executor>;
        try {
          result = executor(executionRequest);
        } catch (error) {
          release();
          throw error;
        }
        if (!(result instanceof Promise)) {
          release();
          return result;
        }
        // Nobody awaits timedOut once the call has settled: keep its rejection from being unhandled.
        timedOut.catch(() => {});
        // Once the timer fired, the answer is the timeout whatever the executor made of the
        // aborted fetch (it may resolve with an "operation was aborted" error of its own).
        const timeoutWins = <T>(settle: () => T): T => {
          if (controller.signal.aborted) throw controller.signal.reason;
          return settle();
        };
        return Promise.race([result, timedOut])
          .then(
            (value) => timeoutWins(() => value),
            (error: unknown) => timeoutWins(() => Promise.reject(error)),
          )
          .finally(release);
      };
      setExecutor(timed as typeof executor);
    },
    onFetch({ executionRequest, options: fetchOptions, setOptions }) {
      const controller = executionRequest ? controllerOf.get(executionRequest) : undefined;
      if (controller) setOptions({ ...fetchOptions, signal: controller.signal });
    },
    onDispose() {
      for (const controller of inFlight) controller.abort(gatewayError('UPSTREAM_UNAVAILABLE', 'The gateway is shutting down.'));
      inFlight.clear();
    },
  };
}

import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors';

interface FetchDonePayload {
  response: Response;
  setResponse(response: Response): void;
}

/**
 * Refuses upstream answers that cannot be data: a 5xx, or a successful answer with a body that
 * is not JSON. Without this, a REST field typed `JSON` would hand the client whatever the
 * upstream sent (an HTML error page, a stack trace). The field gets UPSTREAM_UNAVAILABLE instead.
 */
export function useUpstreamResponses(): Plugin {
  const unavailable = () => gatewayError('UPSTREAM_UNAVAILABLE', 'An upstream service is unavailable.');
  return {
    onFetch() {
      return async ({ response, setResponse }: FetchDonePayload) => {
        if (response.status >= 500) {
          void response.body?.cancel().catch(() => {});
          throw unavailable();
        }
        const mediaType = (response.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
        if (!response.ok || mediaType === 'application/json' || mediaType.endsWith('+json')) return;
        // Rare path (no JSON media type on a success): only an empty body is acceptable.
        const text = await response.text();
        if (text.trim() !== '') throw unavailable();
        setResponse(new Response(null, { status: response.status, headers: response.headers }));
      };
    },
  } as Plugin;
}

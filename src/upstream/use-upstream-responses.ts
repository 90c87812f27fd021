import { GraphQLError } from 'graphql';
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
 * A 4xx without a JSON body (a proxy's or a server's bare refusal, e.g. 414 or 431 for a long
 * URL) is the upstream rejecting the input: NOT_FOUND for 404, else BAD_USER_INPUT, never an
 * empty string handed out as the field's value.
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
        const json = mediaType === 'application/json' || mediaType.endsWith('+json');
        if (!response.ok && !json) {
          void response.body?.cancel().catch(() => {});
          // Carries the upstream status the way the transport's own errors do, so classifyError
          // maps it like any other upstream 4xx (404 NOT_FOUND, else BAD_USER_INPUT).
          throw new GraphQLError('The upstream refused the request.', { extensions: { response: { status: response.status } } });
        }
        if (!response.ok || json) return;
        // Rare path (no JSON media type on a success): only an empty body is acceptable.
        const text = await response.text();
        if (text.trim() !== '') throw unavailable();
        setResponse(new Response(null, { status: response.status, headers: response.headers }));
      };
    },
  } as Plugin;
}

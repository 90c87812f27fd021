import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors';

/** Media types a GraphQL POST may use; anything else gets a 415 with code BAD_REQUEST. */
const acceptedMediaTypes = ['application/json', 'application/graphql-response+json', 'application/graphql+json'];

/**
 * Refuses malformed HTTP before Yoga parses it, with a code: POST bodies that are not JSON by
 * media type, and methods other than GET/POST on the GraphQL endpoint.
 */
export function useRequestShape(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method === 'GET') return;
      if (request.method !== 'POST') {
        throw gatewayError('METHOD_NOT_ALLOWED', `Method ${request.method} is not allowed; use GET or POST.`, {
          headers: { allow: 'GET, POST' },
        });
      }
      const mediaType = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
      if (!acceptedMediaTypes.includes(mediaType)) {
        throw gatewayError('BAD_REQUEST', 'POST requests must send Content-Type: application/json.', { status: 415 });
      }
    },
  };
}

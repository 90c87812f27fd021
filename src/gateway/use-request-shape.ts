import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors';
import { readJsonBody } from './read-json-body';

/** Media types a GraphQL POST may use; anything else gets a 415 with code BAD_REQUEST. */
const acceptedMediaTypes = ['application/json', 'application/graphql-response+json', 'application/graphql+json'];

type GraphQLParams = { query?: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> };

/**
 * Refuses malformed HTTP before Yoga parses it, with a code: methods other than GET/POST, POST
 * bodies that are not JSON by media type, bodies over `maxBodyBytes` (even when chunked), and
 * JSON that is not an operation or a batch of operations.
 */
export function useRequestShape(options: { maxBodyBytes: number }): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
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
      setRequestParser(async (req) => {
        const body = await readJsonBody(req, options.maxBodyBytes);
        if (Array.isArray(body)) {
          if (body.length === 0 || !body.every(isParams)) throw gatewayError('BAD_REQUEST', 'A batch must be a non-empty array of operations.');
          return body as GraphQLParams[];
        }
        if (!isParams(body)) throw gatewayError('BAD_REQUEST', 'The request body must be a JSON object with a "query".');
        return body as GraphQLParams;
      });
    },
  };
}

function isParams(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

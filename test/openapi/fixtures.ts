import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadGraphQLSchemaFromOpenAPI } from '@omnigraph/openapi';
import { buildSchema, type GraphQLSchema } from 'graphql';
import type { OpenApiDocument } from '../../src/openapi';

const root = resolve(import.meta.dirname, '../..');

/** The real Petstore document and the real composed supergraph. */
export function petstore(): { doc: OpenApiDocument; schema: GraphQLSchema } {
  const doc = JSON.parse(readFileSync(resolve(root, 'mesh/petstore/openapi.json'), 'utf8')) as OpenApiDocument;
  const schema = buildSchema(readFileSync(resolve(root, 'mesh/supergraph.graphql'), 'utf8'), { assumeValidSDL: true });
  return { doc, schema };
}

/** Composes an inline document with Mesh itself, so tests see the field shapes Mesh really makes. */
export async function meshSchema(name: string, doc: OpenApiDocument): Promise<GraphQLSchema> {
  // Mesh annotates the object it is given; hand it a copy so the test keeps the pristine one.
  return loadGraphQLSchemaFromOpenAPI(name, { source: structuredClone(doc) as never, endpoint: 'http://127.0.0.1:1' });
}

const response = (schema: object) => ({ '200': { description: 'ok', content: { 'application/json': { schema } } } });

/** Items: every rule, nested and recursive input objects, renamed parameters, list sizing. */
export const itemsDoc: OpenApiDocument = {
  openapi: '3.0.3',
  info: { title: 'items', version: '1' },
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100, default: 20 } },
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 5 } },
          { name: 'code', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' } },
          { name: 'mode', in: 'query', schema: { type: 'string', enum: ['in-progress', 'done'] } },
          { name: 'score', in: 'query', schema: { type: 'number', minimum: 0, maximum: 5, exclusiveMaximum: true } },
          { name: 'ids', in: 'query', schema: { type: 'array', maxItems: 3, items: { type: 'integer', minimum: 1 } } },
          { $ref: '#/components/parameters/PageSize' },
        ],
        responses: response({ type: 'array', maxItems: 50, items: { $ref: '#/components/schemas/Item' } }),
      },
      post: {
        operationId: 'createItem',
        requestBody: { $ref: '#/components/requestBodies/ItemBody' },
        responses: response({ $ref: '#/components/schemas/Item' }),
      },
    },
    '/items/{item-id}': {
      parameters: [{ name: 'item-id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9]+$', maxLength: 12 } }],
      get: {
        operationId: 'getItem',
        parameters: [
          { name: 'X-Trace', in: 'header', schema: { type: 'string', maxLength: 8 } },
          { name: 'session', in: 'cookie', schema: { type: 'string', minLength: 4 } },
          { name: 'big', in: 'query', schema: { type: 'integer', format: 'int64', minimum: 1, maximum: 9007199254740992 } },
        ],
        responses: response({ $ref: '#/components/schemas/Item' }),
      },
    },
    '/search': {
      get: {
        operationId: 'search',
        parameters: [
          { name: 'per_page', in: 'query', schema: { type: 'integer', default: 30 } },
          { name: 'slug', in: 'query', schema: { type: 'string', maxLength: 64, pattern: '^(a+)+$' } },
          { name: 'free', in: 'query', schema: { type: 'string', pattern: '^(a+)+$' } },
        ],
        responses: response({
          type: 'object',
          properties: { total: { type: 'integer' }, results: { type: 'array', items: { $ref: '#/components/schemas/Item' } } },
        }),
      },
    },
  },
  components: {
    parameters: { PageSize: { name: 'page-size', in: 'query', schema: { type: 'integer', minimum: 1 } } },
    requestBodies: {
      ItemBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
    },
    schemas: {
      Item: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 2, maxLength: 10 },
          tags: { type: 'array', maxItems: 3, items: { $ref: '#/components/schemas/Tag' } },
          parent: { $ref: '#/components/schemas/Item' },
          dims: { allOf: [{ $ref: '#/components/schemas/Dims' }, { type: 'object', required: ['w'] }] },
        },
      },
      Tag: { type: 'object', properties: { label: { type: 'string', maxLength: 4 } } },
      Dims: { type: 'object', properties: { w: { type: 'number', minimum: 1, maximum: 10 }, unit: { type: 'string', enum: ['cm', 'in'] } } },
    },
  },
};

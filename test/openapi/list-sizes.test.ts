import { describe, expect, it } from 'vitest';
import { deriveListSizes } from '../../src/openapi';
import type { OpenApiDocument } from '../../src/openapi';
import { itemsDoc, meshSchema } from './fixtures';

const json = (schema: object) => ({ '200': { description: 'ok', content: { 'application/json': { schema } } } });

describe('deriveListSizes', () => {
  it('reads maxItems, slicing parameters and nested list fields from the inline document', async () => {
    const schema = await meshSchema('items', itemsDoc);
    expect(deriveListSizes(itemsDoc, schema, 'items')).toEqual({
      // response maxItems 50 and limit maximum 100: the tighter bound wins
      'Query.listItems': { assumedSize: 50, slicingArguments: ['limit'], requireOneSlicingArgument: false },
      // an object wrapping one list: the slicing argument sizes that field
      'Query.search': { slicingArguments: ['per_page'], sizedFields: ['results'], requireOneSlicingArgument: false },
      'Item.tags': { assumedSize: 3 },
    });
  });

  it('uses the parameter maximum as the bound when the response states none, and ignores unbounded ones', async () => {
    const doc: OpenApiDocument = {
      openapi: '3.0.3',
      info: { title: 'p', version: '1' },
      paths: {
        '/a': {
          get: {
            operationId: 'a',
            parameters: [{ name: 'pageSize', in: 'query', required: true, schema: { type: 'integer', maximum: 25 } }],
            responses: json({ type: 'array', items: { type: 'string' } }),
          },
        },
        '/b': {
          get: {
            operationId: 'b',
            parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
            responses: json({ type: 'array', items: { type: 'string' } }),
          },
        },
        '/c': { get: { operationId: 'c', responses: json({ type: 'array', maxItems: 7, items: { type: 'integer' } }) } },
      },
    };
    const schema = await meshSchema('p', doc);
    expect(deriveListSizes(doc, schema, 'p')).toEqual({
      'Query.a': { assumedSize: 25, slicingArguments: ['pageSize'], requireOneSlicingArgument: true },
      'Query.c': { assumedSize: 7 },
    });
    expect(deriveListSizes(doc, schema, 'p', { slicingParameterNames: ['top'] })).toEqual({ 'Query.c': { assumedSize: 7 } });
  });
});

import { buildSchema, GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { extractArgumentConstraints, validateArguments, type OpenApiDocument } from '../../src/openapi';
import { deref } from '../../src/openapi/openapi-document';

const directiveSDL = `
scalar ObjMap
enum HTTPMethod { GET POST }
directive @httpOperation(subgraph: String, path: String, operationSpecificHeaders: [[String]], httpMethod: HTTPMethod, queryParamArgMap: ObjMap) repeatable on FIELD_DEFINITION
`;

const loopDoc: OpenApiDocument = {
  openapi: '3.0.3',
  info: { title: 'loop', version: '1' },
  paths: {
    '/loop': {
      get: {
        parameters: [
          { name: 'a', in: 'query', schema: { $ref: '#/components/schemas/Loop' } },
          { name: 'b', in: 'query', schema: { $ref: '#/components/schemas/Short' } },
          { $ref: '#/components/parameters/Self' },
        ],
        responses: {},
      },
    },
  },
  components: {
    parameters: { Self: { $ref: '#/components/parameters/Self' } },
    schemas: {
      Loop: { $ref: '#/components/schemas/Loop2' },
      Loop2: { $ref: '#/components/schemas/Loop' },
      Short: { $ref: '#/components/schemas/Short~1Real' },
      'Short/Real': { type: 'string', maxLength: 2 },
    },
  },
};

describe('$ref resolution', () => {
  it('gives up on a ref chain that loops, and follows escaped pointers', () => {
    expect(deref(loopDoc, { $ref: '#/components/schemas/Loop' })).toBeUndefined();
    expect(deref(loopDoc, { $ref: '#/components/schemas/Short' })).toEqual({ type: 'string', maxLength: 2 });
    expect(deref(loopDoc, { $ref: 'other.yaml#/x' })).toBeUndefined();
  });

  it('extracts around looping refs without hanging', () => {
    const schema = buildSchema(`${directiveSDL}
      type Query { loop(a: String, b: String): String @httpOperation(subgraph: "s", path: "/loop", httpMethod: GET, queryParamArgMap: "{\\"a\\":\\"a\\",\\"b\\":\\"b\\"}") }`);
    const index = extractArgumentConstraints(loopDoc, schema, 's');
    expect(index.constraints['Query.loop']).toEqual({ b: { maxLength: 2 } });
    expect(validateArguments(index, 'Query.loop', { a: 'anything', b: 'abc' }).map((v) => v.rule)).toEqual(['maxLength']);
  });

  it('warns about a field whose operation the document lacks', () => {
    const schema = buildSchema(`${directiveSDL}
      type Query { gone: String @httpOperation(subgraph: "s", path: "/gone/{args.id}", httpMethod: GET) }`);
    expect(extractArgumentConstraints(loopDoc, schema, 's').warnings).toEqual([
      { coordinate: 'Query.gone', message: 'no GET /gone/{args.id} operation in the OpenAPI document' },
    ]);
  });
});

describe('@httpOperation kept in extensions (in-memory schemas)', () => {
  it('reads the directive from extensions.directives when the AST has none', () => {
    const doc: OpenApiDocument = {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: { '/n/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', maximum: 3 } }], responses: {} } } },
    };
    const query = new GraphQLObjectType({
      name: 'Query',
      fields: {
        n: {
          type: GraphQLString,
          args: { id: { type: GraphQLInt } },
          extensions: { directives: { httpOperation: [{ subgraph: 'x', path: '/n/{args.id}', httpMethod: 'GET' }] } },
        },
      },
    });
    const index = extractArgumentConstraints(doc, new GraphQLSchema({ query }), 'x');
    expect(index.constraints['Query.n']).toEqual({ id: { integer: true, maximum: 3, required: true } });
    expect(validateArguments(index, 'Query.n', { id: 4 }).map((v) => `${v.path}:${v.rule}`)).toEqual(['id:maximum']);
    expect(validateArguments(index, 'Query.n', {}).map((v) => `${v.path}:${v.rule}`)).toEqual(['id:required']);
  });
});

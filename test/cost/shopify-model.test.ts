import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileCostPlan } from '../../src/cost';

// A slice of Shopify's Admin API shape, enough for its documented examples.
const shopify = buildSchema(`
type Query { shop: Shop products(first: Int, last: Int): ProductConnection! node(id: ID!): Node }
type Mutation { productCreate(title: String): ProductCreatePayload }
type ProductCreatePayload { product: Product }
type Shop { id: ID! name: String! timezoneOffsetMinutes: Int! currencyCode: CurrencyCode! }
enum CurrencyCode { USD EUR }
interface Node { id: ID! }
type Product implements Node { id: ID! title: String! variants(first: Int, last: Int): ProductVariantConnection! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
type ProductEdge { node: Product! cursor: String! }
type ProductVariant implements Node { id: ID! price: String! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! pageInfo: PageInfo! }
type ProductVariantEdge { node: ProductVariant! cursor: String! }
type PageInfo { hasNextPage: Boolean! }
`);

const price = (query: string) => compileCostPlan(shopify, parse(query), null, { model: 'shopify' }).evaluate({});

describe('shopify model', () => {
  it.each([
    ['an object with scalars and an enum costs 1', '{ shop { id name timezoneOffsetMinutes currencyCode } }', 1],
    ['a connection: 2 + 10 x node 1', '{ products(first: 10) { edges { node { title } } } }', 12],
    ['nodes shortcut costs the same', '{ products(first: 10) { nodes { title } } }', 12],
    ['pageInfo rides on the connection', '{ products(first: 10) { pageInfo { hasNextPage } edges { node { title } } } }', 12],
    ['nested: 2 + 10 x (1 + (2 + 5 x 1)) = 82', '{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }', 82],
    ['interface: largest possible selection', '{ node(id: "1") { ... on Product { variants(first: 3) { edges { node { id } } } } ... on ProductVariant { price } } }', 1 + 2 + 3],
    ['a mutation field costs 10', 'mutation { productCreate(title: "x") { product { id } } }', 11],
  ])('%s', (_, query, cost) => {
    const estimate = price(query);
    expect(estimate.errors).toEqual([]);
    expect(estimate.cost).toBe(cost);
  });
});

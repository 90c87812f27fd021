import { buildSchema } from 'graphql';
import { costDirectivesSDL } from '../../src/cost';

/** A small schema using every directive location the analysis reads. */
export const costSchema = buildSchema(`${costDirectivesSDL}
type Query {
  users(first: Int, last: Int): [User] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
  usersDefault(first: Int = 7): [User] @listSize(slicingArguments: ["first"])
  search(input: SearchInput): [User] @listSize(slicingArguments: ["input.first"])
  strict(first: Int, last: Int): [User] @listSize(slicingArguments: ["first", "last"])
  conn(first: Int): UserConnection @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
  both(first: Int): [User] @listSize(assumedSize: 3, slicingArguments: ["first"], requireOneSlicingArgument: false)
  assumed: [User] @listSize(assumedSize: 3)
  unsized: [User]
  tags: [String]
  expensive: Int @cost(weight: 5)
  heavyUser: HeavyUser
  filter(by: Filter @cost(weight: 2)): Int
  node: Node
  result: SearchResult
  color: Color
  thing: Thing
}
type Mutation { addUser(name: String): User }
input SearchInput { first: Int = 5, term: String }
input Filter { term: String @cost(weight: 3) }
interface Node { id: ID! }
type User implements Node {
  id: ID!
  name: String
  friends(first: Int): [User] @listSize(slicingArguments: ["first"])
}
type Post implements Node { id: ID! title: String author: User }
type HeavyUser @cost(weight: 4) { id: ID }
type UserConnection { edges: [UserEdge] pageInfo: PageInfo }
type UserEdge { node: User cursor: String }
type PageInfo { hasNextPage: Boolean }
union SearchResult = User | Post
enum Color @cost(weight: 2) { RED }
type Thing { id: ID }
extend type Thing @cost(weight: 7)
`);

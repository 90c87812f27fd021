import { gatewayError } from '../../errors';
import { foldOperation, type FieldRule } from '../fold';
import { isConnection, pageSize } from './connections';
import type { CostModel } from './types';

export interface GitHubModelOptions {
  /** Largest first/last a connection accepts. Default 100 (GitHub's documented bound). */
  maxPageSize?: number;
  /** Most nodes one call may request. Default 500,000 (GitHub's documented node limit). */
  maxNodes?: number;
}

/**
 * GitHub's published GraphQL model ("Rate limits and node limits for the GraphQL API",
 * docs.github.com): every connection needs first or last within 1..maxPageSize; the node count
 * multiplies first/last down the nesting; the request count adds, per connection, the product
 * of its parents' first/last; points = round(requests / 100), at least 1.
 */
export function createGitHubModel(options: GitHubModelOptions = {}): CostModel {
  const maxPageSize = options.maxPageSize ?? 100;
  const maxNodes = options.maxNodes ?? 500_000;

  const nodes: FieldRule = (field, ctx) => {
    const children = ctx.selection(field.selection);
    if (!isConnection(field)) return children;
    const size = pageSize(field, ctx.variables);
    if (size === undefined || size < 1 || size > maxPageSize) {
      ctx.errors.push(
        gatewayError(
          'BAD_USER_INPUT',
          size === undefined
            ? `You must provide a first or last value to paginate ${field.info!.coordinate}.`
            : `first/last on ${field.info!.coordinate} must be within 1-${maxPageSize}.`,
          { extensions: { coordinate: field.info!.coordinate } },
        ),
      );
      return children;
    }
    return size * (1 + children);
  };

  const requests: FieldRule = (field, ctx) => {
    const children = ctx.selection(field.selection);
    if (!isConnection(field)) return children;
    const size = pageSize(field, ctx.variables);
    return 1 + (size === undefined || size < 1 ? 0 : size) * children;
  };

  return (operation, variables, evaluate) => {
    const perPath = evaluate?.perPath ? ({} as Record<string, number>) : undefined;
    const record = perPath ? (path: string, value: number) => (perPath[path] = (perPath[path] ?? 0) + value) : undefined;
    const counted = foldOperation(operation, variables, nodes, { record });
    const requested = foldOperation(operation, variables, requests, { errors: [] }).value;
    const errors = counted.errors;
    if (counted.value > maxNodes) {
      errors.push(gatewayError('COST_ESTIMATED_TOO_EXPENSIVE', `This query requests more than ${maxNodes} nodes.`));
    }
    const points = Math.max(1, Math.round(requested / 100));
    return { cost: points, details: { nodes: counted.value, requests: requested }, errors, ...(perPath ? { perPath } : {}) };
  };
}

export const githubCostModel: CostModel = createGitHubModel();

import { defaultCostModel } from './default';
import { githubCostModel } from './github';
import { shopifyCostModel } from './shopify';
import type { CostModel } from './types';

const registry = new Map<string, CostModel>([
  ['default', defaultCostModel],
  ['github', githubCostModel],
  ['shopify', shopifyCostModel],
]);

/** Adds or replaces a model; plans compiled afterwards with `model: name` use it. */
export function registerCostModel(name: string, model: CostModel): void {
  if (typeof name !== 'string' || name === '' || typeof model !== 'function') {
    throw new TypeError('registerCostModel needs a name and a function');
  }
  registry.set(name, model);
}

export function getCostModel(name: string): CostModel {
  const model = registry.get(name);
  if (!model) throw new TypeError(`cost option "model": unknown model "${name}" (known: ${[...registry.keys()].join(', ')})`);
  return model;
}

export { defaultCostModel, githubCostModel, shopifyCostModel };
export { createGitHubModel, type GitHubModelOptions } from './github';
export type { CostEstimate, CostModel, EvaluateOptions } from './types';

import type { ConstraintNode } from './constraint-graph';
import type { ArgumentConstraintIndex } from './extract-constraints';
import type { ConstraintRule } from './rules';

/** One broken constraint. `path` is concrete: `input.tags[2].name`. */
export interface ArgumentViolation {
  path: string;
  rule: ConstraintRule;
  message: string;
}

type Segment = string | number;

function format(path: ReadonlyArray<Segment>, last?: string): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  if (last !== undefined) out += out === '' ? last : `.${last}`;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks the value along the compiled graph; path strings are built only for violations. */
function visit(node: ConstraintNode, value: unknown, path: Segment[], out: ArgumentViolation[], max: number): void {
  for (const check of node.checks) {
    if (out.length >= max) return;
    const message = check.test(value);
    if (message !== null) out.push({ path: format(path), rule: check.rule, message });
  }
  if (node.items !== undefined && Array.isArray(value)) {
    for (let i = 0; i < value.length && out.length < max; i++) {
      const item = value[i];
      if (item === null || item === undefined) continue;
      path.push(i);
      visit(node.items, item, path, out, max);
      path.pop();
    }
    return;
  }
  if (!isRecord(value)) return;
  for (const { key, nullable } of node.required) {
    const v = value[key];
    if ((v === undefined || (v === null && !nullable)) && out.length < max) {
      out.push({ path: format(path, key), rule: 'required', message: 'is required' });
    }
  }
  for (const [key, child] of node.props) {
    const v = value[key];
    if (v === null || v === undefined) continue;
    path.push(key);
    visit(child, v, path, out, max);
    path.pop();
    if (out.length >= max) return;
  }
}

/**
 * Checks one field call's coerced argument values (as `getArgumentValues` returns them) against
 * the OpenAPI constraints of `coordinate`. Unknown coordinates have nothing to check. At most
 * `index.maxViolations` violations are returned.
 */
export function validateArguments(
  index: ArgumentConstraintIndex,
  coordinate: string,
  args: Record<string, unknown>,
): ArgumentViolation[] {
  const root = index.roots.get(coordinate);
  if (root === undefined) return [];
  const out: ArgumentViolation[] = [];
  visit(root, args, [], out, index.maxViolations);
  return out;
}

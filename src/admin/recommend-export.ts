import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Evidence, Recommendations } from './recommend';

/**
 * Text forms of recommendations for review: a policy SDL snippet (the shape of
 * mesh/policy.graphql) and a gateway.config.ts snippet. Both are proposals to read and edit.
 */

const evidenceText = (e: Evidence): string => `n=${e.samples} p50=${e.p50} p95=${e.p95} p99=${e.p99} max=${e.max}`;

/** `extend type Query { findPetsByStatus: [Pet] @listSize(assumedSize: 12) }`, one block per type. */
export function recommendationsToPolicySdl(recs: Recommendations, fieldType: (coordinate: string) => string | undefined = () => undefined): string {
  const byType = new Map<string, string[]>();
  for (const rec of recs.listSizes) {
    const dot = rec.coordinate.indexOf('.');
    if (dot <= 0 || dot === rec.coordinate.length - 1) continue;
    const typeName = rec.coordinate.slice(0, dot);
    const field = rec.coordinate.slice(dot + 1);
    if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(typeName) || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(field)) continue;
    // The merge ignores field types in a policy file; when unknown, a placeholder keeps it parseable.
    const type = fieldType(rec.coordinate) ?? '[JSON]';
    const lines = byType.get(typeName) ?? [];
    lines.push(`  # ${evidenceText(rec.evidence)}${rec.enoughEvidence ? '' : ' (few samples)'}`);
    lines.push(`  ${field}: ${type} @listSize(assumedSize: ${rec.assumedSize})`);
    byType.set(typeName, lines);
  }
  const header = `# Recommended by loopgate from ${recs.observations} observations: assumedSize = ceil(p99 x ${recs.margin}).\n# Review before merging into mesh/policy.graphql; nothing was applied.\n`;
  const blocks = [...byType.entries()].map(([typeName, lines]) => `extend type ${typeName} {\n${lines.join('\n')}\n}\n`);
  return header + (blocks.length ? `\n${blocks.join('\n')}` : '# no list sizes observed yet\n');
}

/** A `gateway.config.ts` fragment with the recommended maximum cost and tier budgets. */
export function recommendationsToConfig(recs: Recommendations): string {
  const lines = [
    `// Recommended by loopgate from ${recs.observations} observations (margin ${recs.margin}, window ${recs.windowMs} ms).`,
    '// Review before copying into gateway.config.ts; nothing was applied.',
  ];
  if (recs.maxCost) {
    lines.push(`limits: {`, `  // actual cost per operation: ${evidenceText(recs.maxCost.evidence)}`, `  maxCost: ${recs.maxCost.maxCost},`, `},`);
  }
  if (recs.tiers.length) {
    lines.push('budgets: {', '  tiers: {');
    for (const t of recs.tiers) {
      lines.push(
        `    // cost per client per window: ${evidenceText(t.evidence)}, ${t.clients} clients${t.enoughEvidence ? '' : ' (few samples)'}`,
        `    ${JSON.stringify(t.tier)}: { capacity: ${t.capacity}, restoreRatePerSecond: ${t.restoreRatePerSecond} },`,
      );
    }
    lines.push('  },', '},');
  }
  return `${lines.join('\n')}\n`;
}

/** Field types from a schema for the SDL snippet (`[Pet]`); graphql caches getFields, so this stays cheap. */
export function fieldTypeFromSchema(schema: GraphQLSchema): (coordinate: string) => string | undefined {
  return (coordinate) => {
    const dot = coordinate.indexOf('.');
    const type = schema.getType(coordinate.slice(0, dot));
    if (!isObjectType(type) && !isInterfaceType(type)) return undefined;
    return type.getFields()[coordinate.slice(dot + 1)]?.type.toString();
  };
}

/**
 * Keeps a label's distinct values bounded: the first `max` values seen pass through, later new
 * ones become "other". Callers pass codes and names (reasons, rules, subgraphs), which are
 * few in practice; the bound protects Prometheus when a caller passes something unbounded.
 */
export function boundedLabel(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}

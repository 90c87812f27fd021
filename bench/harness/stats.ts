/** Median of a non-empty list (mean of the two middle values for even lengths); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Ratios of paired samples (same round), for drift that hits both sides of a pair alike. */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(numerators.length, denominators.length); i++) {
    if (denominators[i]! > 0) out.push(numerators[i]! / denominators[i]!);
  }
  return out;
}

/** Round r's order: the list rotated left by r, so no scenario always runs first or last. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

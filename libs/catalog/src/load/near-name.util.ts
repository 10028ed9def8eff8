import { closest } from 'fastest-levenshtein';

/** The candidate a misspelt name most likely meant, if one is near enough to be a typo. */
export function nearName(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const near = closest(
    name.toLowerCase(),
    candidates.map((c) => c.toLowerCase()),
  );
  const index = candidates.findIndex((c) => c.toLowerCase() === near);
  const found = candidates[index];
  return found !== undefined &&
    found !== name &&
    distance(name, found) <= Math.max(2, Math.floor(name.length / 3))
    ? found
    : undefined;
}

/** Levenshtein distance, ignoring case. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export type ProblemSeverity = 'error' | 'warning';

/** One thing wrong with the catalog, located in its file. Line and column are 1-based. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  severity: ProblemSeverity;
  message: string;
  /** Path of the offending field, such as `spec.slos[0].objective`. */
  path?: string;
}

export function formatProblem(p: Problem): string {
  const where = p.path ? `${p.path}: ` : '';
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${where}${p.message}`;
}

export const isError = (p: Problem): boolean => p.severity === 'error';

/** Stable order: by file, then position, so output never depends on load order. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
  );
}

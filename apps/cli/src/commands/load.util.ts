import { formatProblem, loadCatalog, type Catalog, type Problem } from '@burnrate/catalog';
import { CliError, EXIT } from '../cli.exception.js';

export interface Loaded {
  catalog: Catalog;
  problems: Problem[];
  errors: number;
  warnings: number;
}

export async function loadOrExplain(paths: string[], strict: boolean): Promise<Loaded> {
  if (paths.length === 0) throw new CliError('no catalog path given', EXIT.usage);
  const { catalog, problems } = await loadCatalog(paths, { strict });
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { catalog, problems, errors, warnings: problems.length - errors };
}

export function printProblems(problems: Problem[], write: (line: string) => void): void {
  for (const problem of problems) write(formatProblem(problem));
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

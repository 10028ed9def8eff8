export * from './model/catalog.model.js';
export * from './model/defaults.js';
export * from './model/conventions.js';
export * from './query/query-grammar.js';
export { formatProblem, isError, type Problem, type ProblemSeverity } from './problems/problem.js';
export {
  loadCatalog,
  loadCatalogFromSources,
  MAX_FILE_BYTES,
  type CatalogSource,
  type LoadOptions,
  type LoadResult,
} from './load/load-catalog.js';
export { UNOWNED_TEAM } from './link/link-catalog.js';
export { parseSloWindow } from './load/checks.js';
export { parseDuration as parsePrometheusDuration } from './query/promql-literals.util.js';

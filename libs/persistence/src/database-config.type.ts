/** Where the data lives: a PostgreSQL server, or PGlite embedded in the process. */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string }
  /** `dataDir` undefined keeps the embedded database in memory (tests, throwaway runs). */
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined };

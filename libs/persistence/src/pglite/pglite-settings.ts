import { PGlite } from '@electric-sql/pglite';

/**
 * PostgreSQL settings of the embedded database. initdb picks shared_buffers=128MB, all of it
 * touched inside PGlite's WASM memory at start: measured, 16MB cuts PGlite's resident memory
 * from about 260 MB to 130 MB, and Burnrate's tables (SLO status, outbox, cost lines) fit in it
 * many times over. `-c` on the command line wins over postgresql.conf, so this holds for data
 * folders created before it too.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=16MB',
];

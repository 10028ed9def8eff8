import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeneratedFile } from '@burnrate/catalog';
import { CliError, EXIT } from '../cli.exception.js';

/**
 * `<out>/.burnrate-manifest.json` records every file the last `generate` wrote, with its hash.
 * Only the files it lists are ever removed; a file beside them that it does not list is kept.
 */
export const MANIFEST_PATH = '.burnrate-manifest.json';

/** The directories under `--out` generation writes into. The folders themselves are never replaced. */
export const MANAGED_DIRS = ['rules/prometheus', 'rules/loki', 'dashboards', 'alertmanager'] as const;

export interface Manifest {
  /** Generated path (relative to `--out`, `/`-separated) -> sha256 of the content written. */
  readonly files: ReadonlyMap<string, string>;
}

export const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

/** True for a relative path inside one of the managed directories that cannot climb out of it. */
export const isManagedPath = (path: string): boolean =>
  MANAGED_DIRS.some((dir) => path.startsWith(`${dir}/`)) &&
  !path.split('/').some((part) => part === '..' || part === '.' || part === '');

/** The manifest text a generation writes: stable key order, one path a line, prettier's layout. */
export function manifestContent(files: readonly GeneratedFile[]): string {
  const entries = [...files]
    .map((f) => [f.path, sha256(f.content)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const body = {
    generator: 'burnrate',
    note: 'Files burnrate generate wrote; only these are removed when no longer generated. Do not edit.',
    version: 1,
    files: Object.fromEntries(entries),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Reads the manifest; `undefined` when there is none yet (the first run, see `adoptable`). */
export async function readManifest(
  outDir: string,
): Promise<{ manifest: Manifest; text: string } | undefined> {
  const text = await readFile(join(outDir, MANIFEST_PATH), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return undefined;
  const refuse = (why: string): never => {
    // A manifest decides what gets deleted: never guess from a damaged one.
    throw new CliError(
      `${join(outDir, MANIFEST_PATH)}:1:1: ${why}; fix it, or delete it to adopt only files that carry burnrate's generated header`,
      EXIT.invalid,
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse('not valid JSON');
  }
  const body = parsed as { generator?: unknown; version?: unknown; files?: unknown };
  if (body === null || typeof body !== 'object' || body.generator !== 'burnrate' || body.version !== 1) {
    return refuse('not a burnrate manifest of version 1');
  }
  if (body.files === null || typeof body.files !== 'object' || Array.isArray(body.files)) {
    return refuse('"files" must map generated paths to their sha256');
  }
  const files = new Map<string, string>();
  for (const [path, hash] of Object.entries(body.files as Record<string, unknown>)) {
    if (!isManagedPath(path)) refuse(`"${path}" is outside ${MANAGED_DIRS.join(', ')}`);
    if (typeof hash !== 'string') refuse(`"${path}" must map to a sha256 string`);
    files.set(path, hash as string);
  }
  return { manifest: { files }, text };
}

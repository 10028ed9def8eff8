import { readFileSync } from 'node:fs';

/** The version in the repository's package.json, the same from src/ (tests) and dist/ (built). */
export function burnrateVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const { version } = JSON.parse(text) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

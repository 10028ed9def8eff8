import { open } from 'node:fs/promises';

/** Files over this size are refused before they are read. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A file's text, or why it is not one: too large, binary, not UTF-8, absent. */
export type TextFileResult = { text: string } | { missing: true } | { unreadable: string };

/**
 * Reads a UTF-8 text file of at most `MAX_FILE_BYTES`; `noun` names what it should be
 * (`YAML file`, `template`) in the reasons.
 */
export async function readTextFile(file: string, noun: string): Promise<TextFileResult> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return { missing: true };
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { unreadable: `is a folder, not a ${noun}` };
    if (info.size > MAX_FILE_BYTES)
      return {
        unreadable: `is ${(info.size / 1048576).toFixed(1)} MiB; a ${noun} may be at most ${MAX_FILE_BYTES / 1048576} MiB`,
      };
    const bytes = await handle.readFile();
    if (bytes.includes(0)) return { unreadable: `is not a text ${noun} (it holds NUL bytes): is it binary?` };
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { unreadable: `is not a text ${noun}: it is not valid UTF-8` };
    }
  } finally {
    await handle.close();
  }
}

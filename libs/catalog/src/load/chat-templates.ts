import Handlebars from 'handlebars';

import type { Problem } from '../problems/problem.js';
import type { TemplateUse } from './drafts.js';
import type { TextFileResult } from './text-file.util.js';

/**
 * Gives each destination that names a template its source, once the file is found and
 * compiles with Handlebars; otherwise reports at the `template` field, naming the file and,
 * for a syntax error, the template's own line.
 */
export function attachTemplates(
  uses: readonly TemplateUse[],
  read: (file: string) => TextFileResult,
  problems: Problem[],
): void {
  const verdicts = new Map<string, { source: string } | { error: string }>();
  for (const use of uses) {
    let verdict = verdicts.get(use.file);
    if (!verdict) {
      verdict = check(use.file, read(use.file));
      verdicts.set(use.file, verdict);
    }
    if ('error' in verdict) {
      const { path, ...at } = use.at;
      problems.push({
        ...at,
        path,
        severity: 'error',
        message: `template \`${use.written}\`: ${verdict.error}`,
      });
    } else if (use.target) use.target.template = { file: use.file, source: verdict.source };
  }
}

function check(file: string, read: TextFileResult): { source: string } | { error: string } {
  if ('missing' in read) return { error: `no file ${file}: the path is relative to this catalog file` };
  if ('unreadable' in read) return { error: `${file} ${read.unreadable}` };
  const error = templateSyntaxError(read.text);
  return error ? { error: `${file}:${error}` } : { source: read.text };
}

/**
 * Parses and precompiles a Handlebars template; answers `line: reason` (or `line:column: reason`)
 * when it does not compile, undefined when it does.
 */
export function templateSyntaxError(source: string): string | undefined {
  try {
    Handlebars.precompile(Handlebars.parse(source));
    return undefined;
  } catch (error) {
    return describeError(error as Error & { lineNumber?: number; column?: number });
  }
}

function describeError(error: Error & { lineNumber?: number; column?: number }): string {
  // Parse errors: "Parse error on line N:\n<excerpt>\n---^\nExpecting 'A', 'B', got 'X'".
  const parse = /^Parse error on line (\d+):\n[\s\S]*\nExpecting (.*), got ('[^']*')$/.exec(error.message);
  if (parse) {
    const expected = parse[2]!.split(', ');
    const shown =
      expected.length > 3 ? `${expected.slice(0, 3).join(', ')} or ${expected.length - 3} others` : parse[2];
    const unclosed = parse[3] === "'EOF'" ? '; a block or `{{` is not closed' : '';
    return `${parse[1]}: Handlebars parse error: got ${parse[3]}, expecting ${shown}${unclosed}`;
  }
  const lexical = /^Lexical error on line (\d+)\. ([^\n]*)/.exec(error.message);
  if (lexical) return `${lexical[1]}: Handlebars: ${lexical[2]} (an unclosed \`{{!--\` or \`[\`?)`;
  // Compile errors carry their position: "if doesn't match each - 2:3".
  const reason = error.message.replace(/ - \d+:\d+$/, '').split('\n')[0] ?? error.message;
  if (error.lineNumber !== undefined) {
    return `${error.lineNumber}:${(error.column ?? 0) + 1}: Handlebars: ${reason}`;
  }
  return `1: Handlebars: ${reason}`;
}

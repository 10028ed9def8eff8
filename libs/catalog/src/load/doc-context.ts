import type { LineCounter } from 'yaml';
import type { Problem, ProblemSeverity } from '../problems/problem.js';

/**
 * Everything a reader needs to report a problem in one file: its name, how to turn an offset
 * into line and column, and where problems go. Embedded documents (Backstage annotations) map
 * their offsets back into the outer file.
 */
export class DocContext {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly lines: LineCounter,
    readonly problems: Problem[],
    private readonly mapOffset: (offset: number) => number = (o) => o,
  ) {}

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(this.mapOffset(offset));
    return { line, column: col };
  }

  report(severity: ProblemSeverity, offset: number, message: string, path?: string): void {
    this.problems.push({
      file: this.file,
      ...this.position(offset),
      severity,
      message,
      ...(path ? { path } : {}),
    });
  }

  /** A context for a document parsed from a string inside this file. */
  embedded(text: string, mapOffset: (offset: number) => number): DocContext {
    return new DocContext(this.file, text, this.lines, this.problems, (o) => this.mapOffset(mapOffset(o)));
  }
}

/**
 * A one-line progress bar on standard error, redrawn at most ten times a second, and only on a
 * terminal: piped or in CI, a command prints its one-line summary and nothing else.
 */
export class ProgressBar {
  private shown = false;
  private last = 0;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Done of total (a bar with a percentage), or a running count when the total is unknown. */
  update(done: number, total: number | undefined, unit: (n: number) => string = String): void {
    const width = 24;
    let text = unit(done);
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(ratio * 100)
        .toString()
        .padStart(3)}% ${unit(done)} of ${unit(total)}`;
    }
    this.show(text);
  }

  /** Any status after the label; `now` draws it even inside the tenth of a second (a wait starts). */
  show(text: string, now = false): void {
    if (!this.stream.isTTY) return;
    const time = Date.now();
    if (!now && time - this.last < 100) return;
    this.last = time;
    this.stream.write(`\r${this.label}: ${text}\x1b[K`);
    this.shown = true;
  }

  /** Clears the line, so the summary that follows starts clean. */
  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/** Bytes as a person reads them: 512 B, 12.3 MB, 1.2 GB. */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

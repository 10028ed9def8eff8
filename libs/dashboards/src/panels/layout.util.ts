import type { GridPos } from '@grafana/grafana-foundation-sdk/dashboard';

const WIDTH = 24;

/**
 * Places panels on Grafana's 24-column grid left to right, wrapping to a new line when a panel
 * would overflow, and hands out unique panel ids. The SDK's own auto-layout overflows rows.
 */
export class Grid {
  private x = 0;
  private y = 0;
  private lineHeight = 0;
  private nextId = 1;

  id(): number {
    return this.nextId++;
  }

  /** A full-width row header on a line of its own. */
  row(): GridPos {
    this.newline();
    const pos = { x: 0, y: this.y, w: WIDTH, h: 1 };
    this.y += 1;
    return pos;
  }

  place(w: number, h: number): GridPos {
    if (this.x + w > WIDTH) this.newline();
    const pos = { x: this.x, y: this.y, w, h };
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return pos;
  }

  private newline(): void {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}

/** Query refIds: A, B, ... Z, AA, AB ... */
export const refId = (index: number): string =>
  index < 26 ? String.fromCharCode(65 + index) : refId(Math.floor(index / 26) - 1) + refId(index % 26);

import { describe, expect, it } from 'vitest';
import { Grid, refId } from './layout.util.js';
import { exploreUrl } from './links.util.js';
import { narrow } from './traceql.util.js';

describe('Grid', () => {
  it('places panels left to right and wraps before overflowing 24 columns', () => {
    const grid = new Grid();
    expect(grid.place(12, 8)).toEqual({ x: 0, y: 0, w: 12, h: 8 });
    expect(grid.place(12, 4)).toEqual({ x: 12, y: 0, w: 12, h: 4 });
    expect(grid.place(24, 6)).toEqual({ x: 0, y: 8, w: 24, h: 6 });
    expect(grid.row()).toEqual({ x: 0, y: 14, w: 24, h: 1 });
    expect(grid.place(6, 4)).toEqual({ x: 0, y: 15, w: 6, h: 4 });
  });

  it('hands out unique ids', () => {
    const grid = new Grid();
    expect([grid.id(), grid.id(), grid.id()]).toEqual([1, 2, 3]);
  });
});

describe('refId', () => {
  it('counts like spreadsheet columns', () => {
    expect([0, 1, 25, 26, 27].map(refId)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
  });
});

describe('narrow', () => {
  it('adds a condition inside a single spanset', () => {
    expect(narrow('{resource.service.name="a"}', 'status=error')).toBe(
      '{resource.service.name="a" && status=error}',
    );
  });

  it('adds a second spanset to a longer query', () => {
    expect(narrow('{a="b"} >> {c="d"}', 'status=error')).toBe('{a="b"} >> {c="d"} && {status=error}');
  });
});

describe('exploreUrl', () => {
  it('keeps the dashboard time range variables raw and encodes the rest', () => {
    const url = exploreUrl({ type: 'tempo', uid: 'tempo' }, { query: '{a="b" && status=error}' });
    expect(url).toContain('${__from}');
    expect(url).toContain('${__to}');
    expect(url).not.toContain('&&');
    expect(decodeURIComponent(url)).toContain(JSON.stringify('{a="b" && status=error}'));
  });
});

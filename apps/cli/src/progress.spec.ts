import { describe, expect, it } from 'vitest';

import { bytes, ProgressBar } from './progress.js';

const terminal = (isTTY: boolean) => {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream,
  };
};

describe('ProgressBar', () => {
  it('draws a bar with its percentage on a terminal and clears the line after', () => {
    const { written, stream } = terminal(true);
    const bar = new ProgressBar('importing', stream);
    bar.update(126_000_000, 252_000_000, bytes);
    bar.clear();
    expect(written).toEqual([
      '\rimporting: [############............]  50% 126.0 MB of 252.0 MB\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('redraws at most ten times a second, except when told now', () => {
    const { written, stream } = terminal(true);
    const bar = new ProgressBar('pulling aws', stream);
    bar.show('1 page, 10 rows');
    bar.show('2 pages, 20 rows');
    bar.show('2 pages, 20 rows; throttled, waiting 3 s', true);
    expect(written).toEqual([
      '\rpulling aws: 1 page, 10 rows\x1b[K',
      '\rpulling aws: 2 pages, 20 rows; throttled, waiting 3 s\x1b[K',
    ]);
  });

  it('writes nothing when standard error is not a terminal', () => {
    const { written, stream } = terminal(false);
    const bar = new ProgressBar('importing', stream);
    bar.update(1, 2);
    bar.clear();
    expect(written).toEqual([]);
  });
});

describe('bytes', () => {
  it('reads as a person reads sizes', () => {
    expect([512, 12_345, 252_033_674, 1_200_000_000].map(bytes)).toEqual([
      '512 B',
      '12.3 kB',
      '252.0 MB',
      '1.2 GB',
    ]);
  });
});

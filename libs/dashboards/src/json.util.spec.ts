import { describe, expect, it } from 'vitest';
import { stableJson } from './json.util.js';

describe('stableJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined and ends with a newline', () => {
    expect(stableJson({ b: 1, a: [{ z: 1, y: undefined, x: 2 }, 0] })).toBe(
      '{\n  "a": [\n    {\n      "x": 2,\n      "z": 1\n    },\n    0\n  ],\n  "b": 1\n}\n',
    );
  });

  it('gives the same text whatever order the keys were set in', () => {
    expect(stableJson({ title: 't', uid: 'u' })).toBe(stableJson({ uid: 'u', title: 't' }));
  });
});

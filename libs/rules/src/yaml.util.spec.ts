import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from './yaml.util.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Strings that trip YAML writers: indicators, reserved words, numbers, spaces, lines, controls. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '<<',
    '=',
    '~',
    'null',
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    '0x1F',
    '1e3',
    '.inf',
    '-.NaN',
    '12:30',
    '08',
    '1_000',
    '+1',
  ),
  fc.constantFrom(
    '-x',
    '? x',
    ': x',
    'a: b',
    'a #b',
    '#x',
    '&a',
    '*a',
    '!tag',
    '|',
    '>',
    "'q",
    '"q',
    '%x',
    '@x',
    '`x',
    '[a]',
    '{a}',
    'a,b',
  ),
  fc.constantFrom(
    ' lead',
    'trail ',
    '',
    '\t',
    'a\nb',
    'a\n',
    '\nb',
    'a\n\nb',
    'a\r\nb',
    '\u0000',
    '\u007f',
    '\u2028',
    'é',
    '日本',
    '🔥',
  ),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
);

const document = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double({ noDefaultInfinity: false, noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nasty, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('the YAML writer', () => {
  it('writes documents the yaml parser reads back as the same data, keys included', () => {
    fc.assert(
      fc.property(fc.dictionary(nasty, document, { maxKeys: 5 }), (doc) => {
        expect(parse(toYaml(doc))).toEqual(normalise(doc));
      }),
      { numRuns: RUNS },
    );
  });

  it('quotes a merge key, which promtool would otherwise read as a merge', () => {
    expect(toYaml({ annotations: { '<<': 'x', '=': 'y' } })).toBe('annotations:\n  "<<": x\n  "=": "y"\n');
  });
});

/** What YAML can hold of a JS value: -0 reads back as 0, and `undefined` members are left out. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'number' && Object.is(value, -0)) return 0;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

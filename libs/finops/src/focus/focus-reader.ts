import { createReadStream, type ReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

import { parse } from 'csv-parse';
import { InvalidInputError } from '@burnrate/contracts';

/** A FOCUS file that breaks the spec: `file:line: column: what is wrong`. Nothing of it is written. */
export class FocusFileError extends InvalidInputError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | undefined,
    problem: string,
  ) {
    super('invalid-focus-file', `${file}:${line}: ${column ? `${column}: ` : ''}${problem}`);
  }
}

/** One charge of a FOCUS file, reduced to what Burnrate keeps, in day precision. */
export interface FocusCharge {
  billingAccount: string;
  subAccount: string;
  serviceName: string;
  region: string;
  chargeCategory: string;
  /** First day (inclusive) and end day (exclusive) the charge covers, `YYYY-MM-DD`. */
  dayStart: string;
  dayEnd: string;
  /** Decimal strings, as written in the file. */
  billedCost: string;
  effectiveCost: string | null;
  currency: string;
  /** The Tags column as a JSON object text ('{}' when empty). */
  tags: string;
}

/** The columns every FOCUS 1.0 to 1.2 file must carry for Burnrate to place a charge. */
export const REQUIRED_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'ChargeCategory',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'EffectiveCost',
  'ServiceName',
] as const;

const CHARGE_CATEGORIES = new Set(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']);
/** FOCUS numeric format: a plain decimal or E-notation, no symbols, no thousands separators. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** FOCUS date/time format: ISO 8601 in UTC; a bare date is taken as midnight UTC. */
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]00:?00)?)?$/;
const CURRENCY = /^[A-Z]{3}$/;

const DAY_MS = 86_400_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Reads a FOCUS date/time; undefined when it is not one (or not UTC). */
function instant(text: string): number | undefined {
  const match = DATETIME.exec(text);
  if (!match) return undefined;
  const [, date, hh = '00', mm = '00', ss = '00'] = match;
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}Z`);
  // Date.parse rolls 2026-11-31 over to December 1st: a day that does not exist is refused.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date ? undefined : ms;
}

/** `1f 8b`: the gzip magic, so `.csv.gz` and a gzip without the suffix read alike. */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Told how many bytes of a file were read so far (of the file as stored, compressed or not). */
export type BytesRead = (bytes: number) => void;

/**
 * A FOCUS file's CSV text, decompressed when it is gzip, piped into `sink`. `pipeline`, not
 * `pipe`: a truncated gzip or a read error reaches the sink as an error. Returns the file
 * stream, to stop it early.
 */
export async function pipeFocusFile(
  path: string,
  sink: NodeJS.WritableStream & { destroy(error?: Error): unknown },
  onBytes?: BytesRead,
): Promise<ReadStream> {
  const gzip = await isGzip(path);
  // Reads of 1 MiB: a FOCUS export runs to gigabytes, and each read is a message to the sink.
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  if (onBytes) {
    let bytes = 0;
    source.on('data', (chunk: Buffer | string) => onBytes((bytes += chunk.length)));
  }
  const onError = (error: NodeJS.ErrnoException | null) => error && sink.destroy(error);
  if (gzip) pipeline(source, createGunzip(), sink, onError);
  else pipeline(source, sink, onError);
  return source;
}

/**
 * The header row of a FOCUS file, checked for the required columns: the column names in file
 * order. Throws {@link FocusFileError} for a missing file, an empty one or a missing column.
 */
export async function readFocusHeader(path: string): Promise<string[]> {
  const parser = parse({ bom: true, to_line: 1 });
  let header: string[] | undefined;
  try {
    const source = await pipeFocusFile(path, parser);
    for await (const record of parser as AsyncIterable<string[]>) {
      header = record.map((name) => name.trim());
      source.destroy();
    }
  } catch (error) {
    throw readError(path, error, 1);
  }
  if (!header)
    throw new FocusFileError(path, 1, undefined, 'empty file: a FOCUS CSV starts with a header row');
  const missing = REQUIRED_COLUMNS.filter((name) => !header.includes(name));
  if (missing.length > 0)
    throw new FocusFileError(
      path,
      1,
      undefined,
      `missing required FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  return header;
}

/** A read, CSV or gzip failure as the file's own error, naming the line; anything else as it is. */
function readError(path: string, error: unknown, line: number): unknown {
  if (error instanceof FocusFileError) return error;
  const code = (error as { code?: string }).code;
  const at = (error as { lines?: number }).lines ?? line;
  if (code === 'ENOENT') return new FocusFileError(path, 0, undefined, 'no such file');
  if (code?.startsWith('CSV_'))
    return new FocusFileError(path, at, undefined, `not valid CSV: ${(error as Error).message}`);
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
    return new FocusFileError(path, at, undefined, `not a valid gzip file: ${(error as Error).message}`);
  return error;
}

/**
 * Streams a FOCUS 1.0-1.2 CSV file (plain or gzip) as batches of charges, checking every row:
 * the required columns, decimals, ISO 8601 UTC date/times, an end after its start, a currency
 * code, a charge category, Tags as a JSON object. The first broken row throws
 * {@link FocusFileError} naming the file, line and column; a caller that writes inside one
 * transaction then writes nothing of the file.
 */
export async function* readFocusFile(
  path: string,
  options: { batchSize?: number; onBytes?: BytesRead } = {},
): AsyncGenerator<FocusCharge[]> {
  const batchSize = options.batchSize ?? 10_000;
  const parser = parse({ bom: true, relax_column_count: false, skip_empty_lines: true, info: false });
  let source: ReadStream | undefined;
  try {
    source = await pipeFocusFile(path, parser, options.onBytes);
  } catch (error) {
    throw readError(path, error, 0);
  }
  const fail = (line: number, column: string | undefined, problem: string): never => {
    source?.destroy();
    throw new FocusFileError(path, line, column, problem);
  };

  let header: string[] | undefined;
  let index: Record<string, number> = {};
  let line = 0;
  let batch: FocusCharge[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      if (!header) {
        header = record.map((name) => name.trim());
        const missing = REQUIRED_COLUMNS.filter((name) => !header!.includes(name));
        if (missing.length > 0)
          fail(
            1,
            undefined,
            `missing required FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
          );
        index = Object.fromEntries(header.map((name, i) => [name, i]));
        continue;
      }
      const get = (name: string): string =>
        index[name] === undefined ? '' : (record[index[name]] ?? '').trim();
      const decimal = (name: string, required: boolean): string | null => {
        const value = get(name);
        if (value === '') return required ? fail(line, name, 'required, got an empty value') : null;
        return DECIMAL.test(value)
          ? value
          : fail(line, name, `must be a decimal number such as 12.34, got "${value}"`);
      };
      const billedCost = decimal('BilledCost', true)!;
      const effectiveCost = decimal('EffectiveCost', true);
      const start = instant(get('ChargePeriodStart'));
      if (start === undefined)
        fail(
          line,
          'ChargePeriodStart',
          `must be an ISO 8601 UTC date/time such as 2024-01-01T00:00:00Z, got "${get('ChargePeriodStart')}"`,
        );
      const end = instant(get('ChargePeriodEnd'));
      if (end === undefined)
        fail(
          line,
          'ChargePeriodEnd',
          `must be an ISO 8601 UTC date/time such as 2024-01-02T00:00:00Z, got "${get('ChargePeriodEnd')}"`,
        );
      if (end! <= start!)
        fail(
          line,
          'ChargePeriodEnd',
          `must be after ChargePeriodStart (${get('ChargePeriodStart')}), got "${get('ChargePeriodEnd')}"`,
        );
      const currency = get('BillingCurrency');
      if (!CURRENCY.test(currency))
        fail(line, 'BillingCurrency', `must be an ISO 4217 code such as USD, got "${currency}"`);
      const category = get('ChargeCategory');
      if (!CHARGE_CATEGORIES.has(category))
        fail(
          line,
          'ChargeCategory',
          `must be one of ${[...CHARGE_CATEGORIES].join(', ')}, got "${category}"`,
        );
      const account = get('BillingAccountId');
      if (account === '') fail(line, 'BillingAccountId', 'required, got an empty value');
      const service = get('ServiceName');
      if (service === '') fail(line, 'ServiceName', 'required, got an empty value');
      let tags = get('Tags') || '{}';
      if (tags !== '{}') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(tags);
        } catch {
          fail(line, 'Tags', 'must be a JSON object of key-value pairs');
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          fail(line, 'Tags', 'must be a JSON object of key-value pairs');
        tags = JSON.stringify(parsed);
      }
      const dayStart = Math.floor(start! / DAY_MS) * DAY_MS;
      batch.push({
        billingAccount: account,
        subAccount: get('SubAccountId'),
        serviceName: service,
        region: get('RegionId'),
        chargeCategory: category,
        dayStart: dayOf(dayStart),
        dayEnd: dayOf(Math.max(dayStart + DAY_MS, Math.ceil(end! / DAY_MS) * DAY_MS)),
        billedCost,
        effectiveCost,
        currency,
        tags,
      });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw readError(path, error, line + 1);
  }
  if (!header)
    throw new FocusFileError(path, 1, undefined, 'empty file: a FOCUS CSV starts with a header row');
  if (batch.length > 0) yield batch;
}

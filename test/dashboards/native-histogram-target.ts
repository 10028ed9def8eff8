/**
 * A scrape target exposing one native (sparse) histogram, which prom-client cannot: Prometheus
 * reads native histograms only from its protobuf exposition format (`--enable-feature=
 * native-histograms`). It encodes `io.prometheus.client.MetricFamily` (metrics.proto) by hand,
 * the few fields a native histogram needs, length-delimited as Prometheus asks for.
 */
import { createServer, type Server } from 'node:http';

const CONTENT_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const SCHEMA = 3; // bucket boundaries grow by 2^(1/8), about 9%
const HISTOGRAM_TYPE = 4;

export interface NativeHistogramTarget {
  port: number;
  /** Records one observation, in seconds. */
  observe(seconds: number): void;
  stop(): Promise<void>;
}

export async function startNativeHistogramTarget(
  name: string,
  labels: Record<string, string>,
): Promise<NativeHistogramTarget> {
  const buckets = new Map<number, number>(); // bucket index -> observations
  let count = 0;
  let sum = 0;
  const observe = (seconds: number) => {
    const index = Math.ceil(Math.log2(seconds) * 2 ** SCHEMA);
    buckets.set(index, (buckets.get(index) ?? 0) + 1);
    count++;
    sum += seconds;
  };
  const server: Server = createServer((_req, res) => {
    res
      .writeHead(200, { 'Content-Type': CONTENT_TYPE })
      .end(encodeFamily(name, labels, { count, sum, buckets }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    observe,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function encodeFamily(
  name: string,
  labels: Record<string, string>,
  h: { count: number; sum: number; buckets: Map<number, number> },
): Buffer {
  const indices = [...h.buckets.keys()].sort((a, b) => a - b);
  const histogram = new Proto()
    .uint(1, h.count)
    .double(2, h.sum)
    .sint(5, SCHEMA)
    .double(6, 2 ** -128)
    .uint(7, 0);
  // Spans of consecutive buckets (offset from the previous span's end), counts as deltas.
  let previousEnd = 0;
  for (let i = 0; i < indices.length;) {
    let length = 1;
    while (indices[i + length] === indices[i]! + length) length++;
    histogram.message(12, new Proto().sint(1, indices[i]! - previousEnd).uint(2, length));
    previousEnd = indices[i]! + length;
    i += length;
  }
  let previous = 0;
  for (const index of indices) {
    const current = h.buckets.get(index)!;
    histogram.sint(13, current - previous);
    previous = current;
  }
  const metric = new Proto();
  for (const [key, value] of Object.entries(labels))
    metric.message(1, new Proto().string(1, key).string(2, value));
  metric.message(7, histogram);
  const family = new Proto()
    .string(1, name)
    .string(2, 'Native histogram.')
    .uint(3, HISTOGRAM_TYPE)
    .message(4, metric)
    .bytes();
  return Buffer.concat([varint(BigInt(family.length)), family]);
}

/** Just enough of the protobuf wire format: varints, zigzag, doubles, strings and sub-messages. */
class Proto {
  private readonly parts: Buffer[] = [];

  uint(field: number, value: number): this {
    this.parts.push(varint(BigInt(field << 3)), varint(BigInt(value)));
    return this;
  }

  sint(field: number, value: number): this {
    const zigzag = value >= 0 ? BigInt(value) * 2n : BigInt(-value) * 2n - 1n;
    this.parts.push(varint(BigInt(field << 3)), varint(zigzag));
    return this;
  }

  double(field: number, value: number): this {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    this.parts.push(varint(BigInt((field << 3) | 1)), bytes);
    return this;
  }

  string(field: number, value: string): this {
    return this.delimited(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, value: Proto): this {
    return this.delimited(field, value.bytes());
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private delimited(field: number, bytes: Buffer): this {
    this.parts.push(varint(BigInt((field << 3) | 2)), varint(BigInt(bytes.length)), bytes);
    return this;
  }
}

function varint(value: bigint): Buffer {
  const out: number[] = [];
  let rest = value;
  do {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest > 0n ? byte | 0x80 : byte);
  } while (rest > 0n);
  return Buffer.from(out);
}

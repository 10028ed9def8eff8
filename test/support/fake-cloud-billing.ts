/**
 * Local stand-ins for AWS Cost Explorer and Azure Cost Management that speak their documented
 * wire formats (see `test/fixtures/finops/` and `../shared/notes/finops-anchors.md` §4.5, §5.3):
 * the official SDK clients are pointed at them. Both hold a bill of daily charges and answer
 * each query by grouping and filtering it as the real API does, paginated, with throttling on
 * request. Sums are exact (BigInt at 10 decimal places), so tests can check totals to the cent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Charge {
  day: string;
  /** AWS linked account or Azure subscription. */
  account: string;
  service: string;
  /** The team tag's value, undefined when untagged. */
  team?: string;
  /** Decimal strings. */
  unblended: string;
  amortized: string;
  estimated?: boolean;
  currency?: string;
}

const SCALE = 10;
export const toUnits = (decimal: string): bigint => {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = decimal.replace(/^-/, '').split('.');
  const units = BigInt(whole + fraction.padEnd(SCALE, '0').slice(0, SCALE));
  return negative ? -units : units;
};
export const fromUnits = (units: bigint): string => {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(SCALE + 1, '0');
  const text = `${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`.replace(/0+$/, '').replace(/\.$/, '');
  return negative ? `-${text}` : text;
};
export const sum = (amounts: readonly string[]): string =>
  fromUnits(amounts.reduce((a, x) => a + toUnits(x), 0n));

interface Recorded {
  headers: IncomingMessage['headers'];
  url: string;
  body: Record<string, unknown>;
}

abstract class FakeBilling {
  readonly requests: Recorded[] = [];
  /** Status codes to answer before the next real answers, one per request (429, 400...). */
  throttle: number[] = [];
  protected server!: Server;
  url = '';

  constructor(
    public bill: Charge[],
    public pageSize = 7,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
        this.requests.push({ headers: req.headers, url: req.url ?? '/', body });
        this.answer(req, body, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected abstract answer(req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse): void;
}

type Expression = {
  Not?: Expression;
  And?: Expression[];
  Or?: Expression[];
  Dimensions?: { Key: string; Values: string[] };
};

/** Cost Explorer: `POST /`, awsJson1_1, `X-Amz-Target: AWSInsightsIndexService.GetCostAndUsage`. */
export class FakeCostExplorer extends FakeBilling {
  protected answer(req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse): void {
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
    };
    if (req.headers['x-amz-target'] !== 'AWSInsightsIndexService.GetCostAndUsage')
      return json(400, { __type: 'UnknownOperationException' });
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
      return json(400, { __type: 'MissingAuthenticationTokenException', Message: 'not signed' });
    const throttled = this.throttle.shift();
    if (throttled === 429) return json(429, { __type: 'ThrottlingException', Message: 'Rate exceeded' });
    if (throttled) return json(400, { __type: 'LimitExceededException', Message: 'Rate limit exceeded' });
    const request = body as {
      TimePeriod: { Start: string; End: string };
      GroupBy: { Type: string; Key: string }[];
      Filter?: Expression;
      NextPageToken?: string;
    };
    const keysOf = (c: Charge) =>
      request.GroupBy.map((g) =>
        g.Type === 'TAG' ? `${g.Key}$${c.team ?? ''}` : g.Key === 'SERVICE' ? c.service : c.account,
      );
    const groups = new Map<string, { day: string; keys: string[]; charges: Charge[] }>();
    for (const c of this.bill) {
      if (c.day < request.TimePeriod.Start || c.day >= request.TimePeriod.End) continue;
      if (request.Filter && !matches(request.Filter, c)) continue;
      const keys = keysOf(c);
      const id = `${c.day}|${keys.join('|')}`;
      const group = groups.get(id) ?? { day: c.day, keys, charges: [] };
      group.charges.push(c);
      groups.set(id, group);
    }
    const all = [...groups.values()].sort((a, b) => (a.day + a.keys.join() < b.day + b.keys.join() ? -1 : 1));
    const offset = request.NextPageToken
      ? Number(Buffer.from(request.NextPageToken, 'base64').toString())
      : 0;
    const page = all.slice(offset, offset + this.pageSize);
    const days = new Map<string, typeof page>();
    for (const g of page) days.set(g.day, [...(days.get(g.day) ?? []), g]);
    const next = offset + this.pageSize < all.length ? offset + this.pageSize : undefined;
    json(200, {
      GroupDefinitions: request.GroupBy,
      ...(next ? { NextPageToken: Buffer.from(String(next)).toString('base64') } : {}),
      ResultsByTime: [...days].map(([day, gs]) => ({
        TimePeriod: { Start: day, End: nextDay(day) },
        Total: {},
        Groups: gs.map((g) => ({
          Keys: g.keys,
          Metrics: {
            UnblendedCost: {
              Amount: sum(g.charges.map((c) => c.unblended)),
              Unit: g.charges[0]!.currency ?? 'USD',
            },
            AmortizedCost: {
              Amount: sum(g.charges.map((c) => c.amortized)),
              Unit: g.charges[0]!.currency ?? 'USD',
            },
          },
        })),
        Estimated: gs.some((g) => g.charges.some((c) => c.estimated)),
      })),
      DimensionValueAttributes: [],
    });
  }
}

function matches(e: Expression, c: Charge): boolean {
  if (e.Not) return !matches(e.Not, c);
  if (e.And) return e.And.every((x) => matches(x, c));
  if (e.Or) return e.Or.some((x) => matches(x, c));
  if (e.Dimensions?.Key === 'LINKED_ACCOUNT') return e.Dimensions.Values.includes(c.account);
  if (e.Dimensions?.Key === 'SERVICE') return e.Dimensions.Values.includes(c.service);
  throw new Error(`fake Cost Explorer: filter ${JSON.stringify(e)} not supported`);
}

const nextDay = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * Cost Management: `POST /{scope}/providers/Microsoft.CostManagement/query?api-version=...`,
 * rows of `[Cost, UsageDate (yyyymmdd), TagKey, TagValue, ServiceName, Currency]`, pages
 * linked by `properties.nextLink` (with `$skiptoken`), amounts written as JSON numbers with
 * all their digits, 429s carrying only the Cost Management retry-after header.
 */
export class FakeCostManagement extends FakeBilling {
  /** Seconds in `x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after` of a 429. */
  retryAfterSeconds = 1;

  protected answer(req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const match = /^\/(.+)\/providers\/Microsoft\.CostManagement\/query$/i.exec(url.pathname);
    if (req.method !== 'POST' || !match) return void res.writeHead(404).end();
    if (req.headers.authorization !== 'Bearer test-token')
      return void res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":{"code":"AuthenticationFailed"}}');
    if (this.throttle.shift())
      return void res
        .writeHead(429, {
          'content-type': 'application/json',
          'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': String(this.retryAfterSeconds),
          'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after': '0',
        })
        .end('{"error":{"code":"429","message":"Too many requests. Please retry."}}');
    const scope = match[1]!;
    const subscription = /^subscriptions\/([^/]+)$/.exec(scope)?.[1];
    const query = body as {
      type: 'ActualCost' | 'AmortizedCost' | 'Usage';
      timePeriod: { from: string; to: string };
      dataset: { grouping: { name: string }[] };
    };
    const tagKey = query.dataset.grouping[0]!.name;
    const from = query.timePeriod.from.slice(0, 10);
    const to = query.timePeriod.to.slice(0, 10);
    const groups = new Map<string, Charge[]>();
    for (const c of this.bill) {
      if (c.day < from || c.day > to || (subscription && c.account !== subscription)) continue;
      const id = `${c.day}|${c.team ?? ''}|${c.service}|${c.currency ?? 'USD'}`;
      groups.set(id, [...(groups.get(id) ?? []), c]);
    }
    const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : 1));
    const offset = Number(url.searchParams.get('$skiptoken') ?? '0');
    const page = rows.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < rows.length ? offset + this.pageSize : undefined;
    const nextLink =
      next === undefined
        ? null
        : `${this.url}/${scope}/providers/Microsoft.CostManagement/query?api-version=2021-10-01&$skiptoken=${next}`;
    const rowText = page.map(([, charges]) => {
      const c = charges[0]!;
      const tag =
        c.team === undefined ? 'null, null' : `${JSON.stringify(tagKey)}, ${JSON.stringify(c.team)}`;
      const amount = sum(charges.map((x) => (query.type === 'AmortizedCost' ? x.amortized : x.unblended)));
      return `[${amount}, ${c.day.replace(/-/g, '')}, ${tag}, ${JSON.stringify(c.service)}, ${JSON.stringify(c.currency ?? 'USD')}]`;
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{
  "id": "${scope}/providers/Microsoft.CostManagement/Query/00000000-0000-0000-0000-000000000000",
  "name": "00000000-0000-0000-0000-000000000000",
  "type": "microsoft.costmanagement/Query",
  "properties": {
    "nextLink": ${JSON.stringify(nextLink)},
    "columns": [
      { "name": "Cost", "type": "Number" }, { "name": "UsageDate", "type": "Number" },
      { "name": "TagKey", "type": "String" }, { "name": "TagValue", "type": "String" },
      { "name": "ServiceName", "type": "String" }, { "name": "Currency", "type": "String" }
    ],
    "rows": [${rowText.join(',\n')}]
  }
}`);
  }
}

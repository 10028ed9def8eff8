import { setTimeout as sleep } from 'node:timers/promises';

import { CostManagementClient, type QueryDefinition } from '@azure/arm-costmanagement';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';

import {
  decimalAmount,
  ProviderResponseError,
  type DailyCostLine,
  type PullProgress,
} from '../ingest/cost-lines.js';

export const AZURE_ENDPOINT = 'https://management.azure.com';

export interface AzureClientOptions {
  /** `AZURE_COST_ENDPOINT`; default the public Resource Manager endpoint. */
  endpoint?: string;
  /** `AZURE_COST_TOKEN`: a fixed bearer token (tests, CI); else `@azure/identity`'s default chain. */
  token?: string;
}

/**
 * The Cost Management client. With a fixed token the SDK's bearer policy (which refuses plain
 * HTTP) gives way to one that sets the header, so a local endpoint works; with the default
 * credential chain the endpoint must be HTTPS and tokens never travel in the clear.
 */
export async function costManagementClient(options: AzureClientOptions = {}): Promise<CostManagementClient> {
  const endpoint = (options.endpoint || AZURE_ENDPOINT).replace(/\/+$/, '');
  const token = options.token;
  const credential: TokenCredential = token
    ? { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) }
    : new (await import('@azure/identity')).DefaultAzureCredential();
  const client = new CostManagementClient(credential, {
    endpoint,
    allowInsecureConnection: token !== undefined && endpoint.startsWith('http:'),
  });
  if (token) {
    client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    client.pipeline.addPolicy({
      name: 'burnrateFixedToken',
      sendRequest: (request, next) => {
        request.headers.set('authorization', `Bearer ${token}`);
        return next(request);
      },
    });
  }
  return client;
}

export interface AzurePullOptions {
  client: CostManagementClient;
  /** `AZURE_COST_SCOPES`: subscriptions or billing scopes, with or without the leading `/`. */
  scopes: readonly string[];
  from: string;
  to: string;
  tagKey: string;
  /** Attempts per request when Cost Management answers 429 (default 6). */
  maxAttempts?: number;
  /** Follow plain-HTTP `nextLink`s (a local endpoint with a fixed token, as the client allows). */
  allowInsecureConnection?: boolean;
  /** Longest wait it is worth honouring, in ms (default 5 min); longer gives up. */
  maxWaitMs?: number;
  /** Told after every page, and before every wait for a 429. */
  onPage?: (progress: PullProgress) => void;
}

export interface AzurePullResult {
  lines: DailyCostLine[];
  requests: number;
  /** Waits taken for 429s, in ms. */
  throttled: number[];
  /** The scopes as stored (`subscriptions/<id>`). */
  scopes: string[];
}

const RETRY_AFTER = /^x-ms-ratelimit-microsoft\.costmanagement-[a-z]+-retry-after$/;

/**
 * Daily costs per scope from `query.usage`, grouped by the team tag and service name, every
 * `nextLink` page. Cost Management's 429s carry their wait in
 * `x-ms-ratelimit-microsoft.costmanagement-*-retry-after` headers, which the SDK does not read:
 * the longest of them (or `Retry-After`) is waited out before asking again. Amounts keep the
 * digits they had on the wire (parsed with the JSON source text, never through a float).
 */
export async function fetchAzureCosts(options: AzurePullOptions): Promise<AzurePullResult> {
  const result: AzurePullResult = { lines: [], requests: 0, throttled: [], scopes: [] };
  const query = (type: CostType): QueryDefinition => ({
    type,
    timeframe: 'Custom',
    timePeriod: { from: new Date(`${options.from}T00:00:00Z`), to: new Date(`${options.to}T23:59:59Z`) },
    dataset: {
      granularity: 'Daily',
      aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
      grouping: [
        { type: 'TagKey', name: options.tagKey },
        { type: 'Dimension', name: 'ServiceName' },
      ],
    },
  });
  for (const raw of options.scopes) {
    const scope = raw.trim().replace(/^\/+|\/+$/g, '');
    result.scopes.push(scope);
    const subscription = /^subscriptions\/([^/]+)$/i.exec(scope)?.[1] ?? '';
    // The billed cost from ActualCost, the effective one from AmortizedCost (reservations and
    // savings plans spread over the days they cover): the pull sums the two into one line.
    for (const type of COST_TYPES) await queryScope(options, result, scope, subscription, query(type));
  }
  return result;
}

type CostType = 'ActualCost' | 'AmortizedCost';
const COST_TYPES: readonly CostType[] = ['ActualCost', 'AmortizedCost'];

/** One query of one scope, every `nextLink` page, its rows as lines of `result`. */
async function queryScope(
  options: AzurePullOptions,
  result: AzurePullResult,
  scope: string,
  subscription: string,
  definition: QueryDefinition,
): Promise<void> {
  const { client } = options;
  const insecure = options.allowInsecureConnection === true;
  const type = definition.type as CostType;
  let body = '';
  let page = await withThrottling(options, result, async () => {
    let text = '';
    await client.query.usage(scope, definition, {
      onResponse: (response) => {
        text = response.bodyAsText ?? '';
        body = typeof response.request.body === 'string' ? response.request.body : JSON.stringify(definition);
      },
    });
    return text;
  });
  for (;;) {
    const parsed = parsePage(page, scope);
    for (const row of parsed.rows)
      result.lines.push(toLine(row, parsed.columns, scope, subscription, options.tagKey, type));
    options.onPage?.({ requests: result.requests, rows: result.lines.length });
    if (!parsed.nextLink) break;
    const url = parsed.nextLink;
    page = await withThrottling(options, result, async () => {
      const response = await client.pipeline.sendRequest(
        client,
        createPipelineRequest({
          url,
          method: 'POST',
          body,
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          allowInsecureConnection: insecure,
        }),
      );
      ensureOk(response, scope);
      return response.bodyAsText ?? '';
    });
  }
}

/** An ActualCost row is billed cost, an AmortizedCost row effective cost; zero in the other. */
const amounts = (type: CostType, amount: string) =>
  type === 'ActualCost'
    ? { billedCost: amount, effectiveCost: '0' }
    : { billedCost: '0', effectiveCost: amount };

class Throttled extends Error {
  constructor(readonly waitMs: number) {
    super('429');
  }
}

function ensureOk(response: PipelineResponse, scope: string): void {
  if (response.status === 429) throw new Throttled(retryAfterMs(response));
  if (response.status === 204) return;
  if (response.status < 200 || response.status >= 300)
    throw new ProviderResponseError(
      `Cost Management ${scope}: HTTP ${response.status}: ${(response.bodyAsText ?? '').slice(0, 200)}`,
    );
}

/** The longest wait any rate-limit header asks for, in ms (60 s when none says). */
function retryAfterMs(response: Pick<PipelineResponse, 'headers'>): number {
  let seconds = -1;
  for (const [name, value] of response.headers) {
    if (RETRY_AFTER.test(name.toLowerCase()) || name.toLowerCase() === 'retry-after') {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 0) seconds = Math.max(seconds, n);
    }
  }
  return (seconds < 0 ? 60 : seconds) * 1000;
}

async function withThrottling(
  options: AzurePullOptions,
  result: AzurePullResult,
  call: () => Promise<string>,
): Promise<string> {
  const attempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      result.requests += 1;
      return await call();
    } catch (error) {
      const wait =
        error instanceof Throttled
          ? error.waitMs
          : isRest429(error)
            ? retryAfterMs(error.response)
            : undefined;
      if (wait === undefined) throw error;
      if (attempt >= attempts || wait > (options.maxWaitMs ?? 300_000))
        throw new ProviderResponseError(
          `Cost Management: still throttled (429) after ${attempt} attempts; asked to wait ${Math.round(wait / 1000)} s`,
        );
      result.throttled.push(wait);
      options.onPage?.({ requests: result.requests, rows: result.lines.length, waitMs: wait });
      await sleep(wait);
    }
  }
}

function isRest429(error: unknown): error is { response: Pick<PipelineResponse, 'headers'> } {
  const e = error as { statusCode?: number; response?: Pick<PipelineResponse, 'headers'> } | null;
  return e?.statusCode === 429 && e.response !== undefined;
}

interface Page {
  columns: string[];
  rows: unknown[][];
  nextLink: string | null;
}

/** The page's JSON with every number kept as its source text. */
function parsePage(text: string, scope: string): Page {
  if (text.trim() === '') return { columns: [], rows: [], nextLink: null };
  let json: { properties?: { columns?: { name: string }[]; rows?: unknown[][]; nextLink?: string | null } };
  try {
    json = JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' && context?.source ? { decimal: context.source } : value,
    ) as typeof json;
  } catch {
    throw new ProviderResponseError(`Cost Management ${scope}: the answer is not JSON`);
  }
  const properties = json.properties;
  if (!properties || !Array.isArray(properties.columns) || !Array.isArray(properties.rows))
    throw new ProviderResponseError(
      `Cost Management ${scope}: the answer has no properties.columns and rows`,
    );
  return {
    columns: properties.columns.map((c) => c.name),
    rows: properties.rows,
    nextLink: properties.nextLink || null,
  };
}

const source = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && 'decimal' in value
    ? (value as { decimal: string }).decimal
    : value;

function toLine(
  row: unknown[],
  columns: string[],
  scope: string,
  subscription: string,
  tagKey: string,
  type: CostType,
): DailyCostLine {
  const at = (...names: string[]): string | undefined => {
    for (const name of names) {
      const i = columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
      if (i < 0) continue;
      const value = source(row[i]);
      return value === null || value === undefined
        ? undefined
        : typeof value === 'string'
          ? value
          : JSON.stringify(value);
    }
    return undefined;
  };
  const date = at('UsageDate') ?? '';
  if (!/^\d{8}$/.test(date))
    throw new ProviderResponseError(`Cost Management ${scope}: UsageDate ${date} is not yyyymmdd`);
  const day = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  const where = `Cost Management ${scope} ${day}`;
  const key = at('TagKey');
  const value = at('TagValue');
  const currency = at('Currency') ?? '';
  if (!/^[A-Z]{3}$/.test(currency))
    throw new ProviderResponseError(`${where}: currency ${currency} is not ISO 4217`);
  return {
    billingAccount: scope,
    subAccount: subscription,
    serviceName: at('ServiceName') ?? '',
    region: '',
    chargeCategory: 'Usage',
    day,
    ...amounts(type, decimalAmount(at('totalCost', 'Cost', 'PreTaxCost', 'CostUSD', 'PreTaxCostUSD'), where)),
    currency,
    tags:
      typeof key === 'string' &&
      key.toLowerCase() === tagKey.toLowerCase() &&
      typeof value === 'string' &&
      value !== ''
        ? { [tagKey]: value }
        : {},
    estimated: false,
  };
}

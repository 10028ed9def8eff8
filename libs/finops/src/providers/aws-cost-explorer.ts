import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type Expression,
  type GetCostAndUsageCommandInput,
  type GroupDefinition,
} from '@aws-sdk/client-cost-explorer';

import {
  addDays,
  decimalAmount,
  ProviderResponseError,
  type DailyCostLine,
  type PullProgress,
} from '../ingest/cost-lines.js';

/** The scope an AWS pull replaces: the bill the credentials see (the payer or standalone account). */
export const AWS_BILLING_ACCOUNT = 'aws';

export interface AwsPullOptions {
  client: CostExplorerClient;
  /** Both days included, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** The cost-allocation tag that names a team (`COST_TEAM_TAG`, default `team`). */
  tagKey: string;
  /** Linked accounts that teams own whole: their costs are grouped by account, not by tag. */
  ownedAccounts: readonly string[];
  /** The billing account the lines are stored under (`AWS_COST_BILLING_ACCOUNT`, default `aws`). */
  billingAccount?: string;
  /** Told after every page (the SDK retries throttled requests within one `send`). */
  onPage?: (progress: PullProgress) => void;
}

export interface AwsPullResult {
  lines: DailyCostLine[];
  /** Pages fetched (Cost Explorer bills each). */
  requests: number;
}

/**
 * A Cost Explorer client as the SDK defines it: region us-east-1 (the API is global), the
 * default credential chain, `AWS_ENDPOINT_URL_COST_EXPLORER` / `AWS_ENDPOINT_URL` read by the
 * SDK itself. Throttling (`LimitExceededException`, 429) is retried by the SDK's standard
 * strategy, exponential with jitter, here up to `maxAttempts` times.
 */
export function costExplorerClient(maxAttempts = 8): CostExplorerClient {
  return new CostExplorerClient({ region: 'us-east-1', maxAttempts });
}

const BILLED = 'UnblendedCost';
const EFFECTIVE = 'AmortizedCost';

/**
 * Daily costs from `GetCostAndUsage`, every `NextPageToken` page. Two group-bys at most, so the
 * bill is split without overlap: accounts teams own whole by linked account and service, the
 * rest by the team tag and service (untagged spend comes back as `team$` and stays untagged).
 */
export async function fetchAwsCosts(options: AwsPullOptions): Promise<AwsPullResult> {
  const owned: Expression = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [...options.ownedAccounts] } };
  const queries: { groupBy: GroupDefinition[]; filter?: Expression; byAccount: boolean }[] =
    options.ownedAccounts.length === 0
      ? [{ groupBy: tagAndService(options.tagKey), byAccount: false }]
      : [
          { groupBy: tagAndService(options.tagKey), filter: { Not: owned }, byAccount: false },
          {
            groupBy: [
              { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
              { Type: 'DIMENSION', Key: 'SERVICE' },
            ],
            filter: owned,
            byAccount: true,
          },
        ];
  const lines: DailyCostLine[] = [];
  let requests = 0;
  for (const query of queries) {
    let token: string | undefined;
    do {
      const input: GetCostAndUsageCommandInput = {
        TimePeriod: { Start: options.from, End: addDays(options.to, 1) },
        Granularity: 'DAILY',
        Metrics: [BILLED, EFFECTIVE],
        GroupBy: query.groupBy,
        ...(query.filter ? { Filter: query.filter } : {}),
        ...(token ? { NextPageToken: token } : {}),
      };
      const page = await options.client.send(new GetCostAndUsageCommand(input));
      requests += 1;
      for (const result of page.ResultsByTime ?? []) {
        const day = result.TimePeriod?.Start;
        if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day))
          throw new ProviderResponseError(`Cost Explorer: a result has no TimePeriod.Start (${String(day)})`);
        for (const group of result.Groups ?? []) {
          const [first = '', service = ''] = group.Keys ?? [];
          const billed = group.Metrics?.[BILLED];
          const where = `Cost Explorer ${day} ${(group.Keys ?? []).join(' | ')}`;
          if (!billed) throw new ProviderResponseError(`${where}: no ${BILLED}`);
          const effective = group.Metrics?.[EFFECTIVE];
          const tag = query.byAccount ? '' : tagValue(first, options.tagKey);
          lines.push({
            billingAccount: options.billingAccount ?? AWS_BILLING_ACCOUNT,
            subAccount: query.byAccount ? first : '',
            serviceName: service,
            region: '',
            chargeCategory: 'Usage',
            day,
            billedCost: decimalAmount(billed.Amount, where),
            effectiveCost: effective ? decimalAmount(effective.Amount, where) : null,
            currency: currency(billed.Unit, where),
            tags: tag ? { [options.tagKey]: tag } : {},
            estimated: result.Estimated === true,
          });
        }
      }
      options.onPage?.({ requests, rows: lines.length });
      token = page.NextPageToken || undefined;
    } while (token);
  }
  return { lines, requests };
}

const tagAndService = (tagKey: string): GroupDefinition[] => [
  { Type: 'TAG', Key: tagKey },
  { Type: 'DIMENSION', Key: 'SERVICE' },
];

/** `team$payments` is `payments`, `team$` is untagged; split on the first `$` only. */
function tagValue(key: string, tagKey: string): string {
  const at = key.indexOf('$');
  if (at < 0) return key;
  const name = key.slice(0, at);
  if (name !== tagKey)
    throw new ProviderResponseError(`Cost Explorer: group key \`${key}\` is not tag ${tagKey}`);
  return key.slice(at + 1);
}

function currency(unit: string | undefined, where: string): string {
  if (!unit || !/^[A-Z]{3}$/.test(unit))
    throw new ProviderResponseError(`${where}: unit ${String(unit)} is not a currency`);
  return unit;
}

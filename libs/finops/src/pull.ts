import type { DataSource } from 'typeorm';

import type { CostCatalog } from './allocation/allocate.js';
import { writePull, type PullProgress, type PullSummary } from './ingest/cost-lines.js';
import { AWS_BILLING_ACCOUNT, costExplorerClient, fetchAwsCosts } from './providers/aws-cost-explorer.js';
import { costManagementClient, fetchAzureCosts } from './providers/azure-cost-management.js';

export type Provider = 'aws' | 'azure';

export interface PullRequest {
  provider: Provider;
  /** Both days included, `YYYY-MM-DD`. */
  from: string;
  to: string;
  catalog?: CostCatalog;
  /** `COST_TEAM_TAG`, `AWS_COST_BILLING_ACCOUNT`, `AZURE_COST_SCOPES`, `AZURE_COST_ENDPOINT`, `AZURE_COST_TOKEN`, `COST_PULL_MAX_ATTEMPTS`. */
  env: Record<string, string | undefined>;
  /** Told after every page and before every throttling wait (a progress line). */
  progress?: (progress: PullProgress) => void;
}

export interface PullResult extends PullSummary {
  /** Billed API requests (pages). */
  requests: number;
}

/** A pull the configuration cannot start: nothing was asked, nothing written. */
export class PullConfigError extends Error {
  override name = 'PullConfigError';
}

/**
 * Pulls one provider's daily costs for the days asked and writes them as one pull: every
 * network call first, then one transaction that replaces those days.
 */
export async function pullCosts(dataSource: DataSource, request: PullRequest): Promise<PullResult> {
  const { env } = request;
  const tagKey = env['COST_TEAM_TAG']?.trim() || 'team';
  const maxAttempts = Number(env['COST_PULL_MAX_ATTEMPTS'] ?? 8);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new PullConfigError(
      `COST_PULL_MAX_ATTEMPTS: \`${env['COST_PULL_MAX_ATTEMPTS']}\` must be a whole number >= 1`,
    );
  // Cost Explorer does not say which payer answered: two payers' pulls need two names, or the
  // second replaces the first's days.
  const awsBillingAccount = env['AWS_COST_BILLING_ACCOUNT']?.trim() || AWS_BILLING_ACCOUNT;
  if (!/^[\w.:@-]{1,128}$/.test(awsBillingAccount))
    throw new PullConfigError(
      `AWS_COST_BILLING_ACCOUNT: \`${awsBillingAccount}\` must be a payer account id or a short name (letters, digits, . _ : @ -)`,
    );
  const teams = request.catalog?.teams ?? [];
  const options = request.catalog ? { catalog: request.catalog } : {};
  if (request.provider === 'aws') {
    const client = costExplorerClient(maxAttempts);
    try {
      const ownedAccounts = [...new Set(teams.flatMap((t) => t.cost?.allocation.awsAccounts ?? []))].sort();
      const { lines, requests } = await fetchAwsCosts({
        client,
        from: request.from,
        to: request.to,
        tagKey,
        ownedAccounts,
        billingAccount: awsBillingAccount,
        ...(request.progress ? { onPage: request.progress } : {}),
      });
      const summary = await writePull(
        dataSource,
        {
          provider: 'aws',
          source: `GetCostAndUsage ${request.from}..${request.to}`,
          billingAccounts: [awsBillingAccount],
          from: request.from,
          to: request.to,
        },
        lines,
        options,
      );
      return { ...summary, requests };
    } finally {
      client.destroy();
    }
  }
  const scopes = (env['AZURE_COST_SCOPES'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length === 0)
    throw new PullConfigError(
      'AZURE_COST_SCOPES: set it to the subscriptions or billing scopes to query, comma-separated (subscriptions/<id>,...)',
    );
  const token = env['AZURE_COST_TOKEN']?.trim();
  const endpoint = env['AZURE_COST_ENDPOINT']?.trim();
  const client = await costManagementClient({
    ...(token ? { token } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const fetched = await fetchAzureCosts({
    client,
    scopes,
    from: request.from,
    to: request.to,
    tagKey,
    maxAttempts,
    allowInsecureConnection: token !== undefined && (endpoint ?? '').startsWith('http:'),
    ...(request.progress ? { onPage: request.progress } : {}),
  });
  const summary = await writePull(
    dataSource,
    {
      provider: 'azure',
      source: `query.usage ${fetched.scopes.join(',')} ${request.from}..${request.to}`,
      billingAccounts: fetched.scopes,
      from: request.from,
      to: request.to,
    },
    fetched.lines,
    options,
  );
  return { ...summary, requests: fetched.requests };
}

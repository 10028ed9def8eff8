import type { QueryRunner } from 'typeorm';
import type { Catalog } from '@burnrate/catalog';

/**
 * Gives cost lines their team from the catalog's allocation rules (`Team.spec.cost.allocation`):
 * a line in an account or subscription a team owns whole is that team's, else a line whose tag
 * value a team claims; what no rule claims keeps a
 * null team and is reported as unallocated, never dropped. `where` narrows the lines touched
 * (one pull's lines, or every line when the catalog changed).
 */
export async function allocate(
  runner: QueryRunner,
  catalog: Pick<Catalog, 'teams'>,
  where: { pullId?: string } = {},
): Promise<void> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  // Whole accounts first: a team that owns an account owns all of it, whatever its tags say.
  const byAccount: string[] = [];
  const byTag: string[] = [];
  for (const team of catalog.teams) {
    const allocation = team.cost?.allocation;
    if (!allocation) continue;
    const accounts = [...allocation.awsAccounts, ...allocation.azureSubscriptions];
    if (accounts.length > 0)
      byAccount.push(`WHEN sub_account = ANY(${param(accounts)}::text[]) THEN ${param(team.name)}`);
    const tags = Object.entries(allocation.tags).map(
      ([key, values]) => `tags->>${param(key)} = ANY(${param(values)}::text[])`,
    );
    if (tags.length > 0) byTag.push(`WHEN ${tags.join(' OR ')} THEN ${param(team.name)}`);
  }
  const cases = [...byAccount, ...byTag];
  const team = cases.length === 0 ? 'NULL' : `CASE ${cases.join(' ')} ELSE NULL END`;
  const filter = where.pullId === undefined ? '' : `WHERE pull_id = ${param(where.pullId)}`;
  await runner.query(`UPDATE cost_line SET team = ${team} ${filter}`, params);
}

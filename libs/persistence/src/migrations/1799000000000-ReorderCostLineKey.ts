import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The natural key of a cost line leads with provider, billing account and day, the columns an
 * import or pull replaces by: the index that held only those three goes, and a day's lines sit
 * together in the key, so writing a day's lines compares their tags less often.
 */
export class ReorderCostLineKey1799000000000 implements MigrationInterface {
  name = 'ReorderCostLineKey1799000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_cost_line_account_period"`);
    await queryRunner.query(`
      ALTER TABLE "cost_line" DROP CONSTRAINT "uq_cost_line_natural_key",
        ADD CONSTRAINT "uq_cost_line_natural_key" UNIQUE (
          "provider", "billing_account", "charge_period_start", "charge_period_end", "sub_account",
          "service_name", "region", "charge_category", "currency", "tags")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "cost_line" DROP CONSTRAINT "uq_cost_line_natural_key",
        ADD CONSTRAINT "uq_cost_line_natural_key" UNIQUE (
          "provider", "billing_account", "sub_account", "service_name", "region", "charge_category",
          "charge_period_start", "charge_period_end", "currency", "tags")`);
    await queryRunner.query(
      `CREATE INDEX "idx_cost_line_account_period" ON "cost_line" ("provider", "billing_account", "charge_period_start")`,
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost lines get what FOCUS carries and reports need (charge category, region, effective cost
 * beside billed cost, whether the provider still estimates the day) and the pull that wrote
 * them; `cost_pull` records each pull or import, one transaction each.
 */
export class ExtendCostLines1798000000000 implements MigrationInterface {
  name = 'ExtendCostLines1798000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "cost_pull" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "provider" character varying(32) NOT NULL,
        "source" text NOT NULL,
        "period_start" date NOT NULL,
        "period_end" date NOT NULL,
        "rows" integer NOT NULL,
        "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_cost_pull" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      ALTER TABLE "cost_line"
        DROP CONSTRAINT "uq_cost_line_natural_key",
        ADD "charge_category" character varying(32) NOT NULL DEFAULT 'Usage',
        ADD "region" text NOT NULL DEFAULT '',
        ADD "effective_cost" numeric(20,10),
        ADD "estimated" boolean NOT NULL DEFAULT false,
        ADD "pull_id" bigint`);
    await queryRunner.query(`
      ALTER TABLE "cost_line" ADD CONSTRAINT "uq_cost_line_natural_key" UNIQUE (
        "provider", "billing_account", "sub_account", "service_name", "region", "charge_category",
        "charge_period_start", "charge_period_end", "currency", "tags")`);
    await queryRunner.query(
      `CREATE INDEX "idx_cost_line_account_period" ON "cost_line" ("provider", "billing_account", "charge_period_start")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_cost_line_account_period"`);
    await queryRunner.query(`ALTER TABLE "cost_line" DROP CONSTRAINT "uq_cost_line_natural_key"`);
    await queryRunner.query(`
      ALTER TABLE "cost_line" DROP COLUMN "pull_id", DROP COLUMN "estimated", DROP COLUMN "effective_cost",
        DROP COLUMN "region", DROP COLUMN "charge_category"`);
    await queryRunner.query(`
      ALTER TABLE "cost_line" ADD CONSTRAINT "uq_cost_line_natural_key" UNIQUE (
        "provider", "billing_account", "sub_account", "service_name",
        "charge_period_start", "charge_period_end", "currency", "tags")`);
    await queryRunner.query(`DROP TABLE "cost_pull"`);
  }
}

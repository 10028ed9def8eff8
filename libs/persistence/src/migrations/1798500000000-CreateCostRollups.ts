import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost lines learn which shared-cost rule claims them; `cost_daily` holds each day's spend per
 * team and service after allocation and shared splits (reports read it, never the raw lines);
 * `cost_allocation` remembers which catalog rules allocated the table, so a change re-allocates.
 */
export class CreateCostRollups1798500000000 implements MigrationInterface {
  name = 'CreateCostRollups1798500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cost_line" ADD "shared_rule" text`);
    await queryRunner.query(`
      CREATE TABLE "cost_daily" (
        "day" date NOT NULL,
        "team" text NOT NULL,
        "service_name" text NOT NULL,
        "currency" character varying(3) NOT NULL,
        "shared_rule" text NOT NULL,
        "billed_cost" numeric(20,10) NOT NULL,
        "effective_cost" numeric(20,10),
        CONSTRAINT "pk_cost_daily" PRIMARY KEY ("day", "team", "service_name", "currency", "shared_rule")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_cost_daily_team_day" ON "cost_daily" ("team", "day")`);
    await queryRunner.query(`
      CREATE TABLE "cost_allocation" (
        "id" integer NOT NULL,
        "fingerprint" text NOT NULL,
        "allocated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_cost_allocation" PRIMARY KEY ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "cost_allocation"`);
    await queryRunner.query(`DROP INDEX "idx_cost_daily_team_day"`);
    await queryRunner.query(`DROP TABLE "cost_daily"`);
    await queryRunner.query(`ALTER TABLE "cost_line" DROP COLUMN "shared_rule"`);
  }
}

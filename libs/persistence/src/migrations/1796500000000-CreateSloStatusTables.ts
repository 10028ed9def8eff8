import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SLO status: the catalog synchronised into tables, the latest status, its history and events. */
export class CreateSloStatusTables1796500000000 implements MigrationInterface {
  name = 'CreateSloStatusTables1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "slo_status"
        ADD "budget_consumed" double precision,
        ADD "exhausts_at" TIMESTAMP WITH TIME ZONE,
        ADD "since" TIMESTAMP WITH TIME ZONE,
        ADD "stale" boolean NOT NULL DEFAULT false`);

    await queryRunner.query(`
      CREATE TABLE "catalog_team" (
        "name" text NOT NULL,
        "display_name" text,
        "removed_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_catalog_team" PRIMARY KEY ("name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "catalog_service" (
        "name" text NOT NULL,
        "team" text NOT NULL,
        "runbook" text,
        "removed_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_catalog_service" PRIMARY KEY ("name")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_catalog_service_team" ON "catalog_service" ("team")`);
    await queryRunner.query(`
      CREATE TABLE "catalog_slo" (
        "id" text NOT NULL,
        "service" text NOT NULL,
        "slo" text NOT NULL,
        "team" text NOT NULL,
        "objective" double precision NOT NULL,
        "time_window" character varying(32) NOT NULL,
        "detail" jsonb NOT NULL DEFAULT '{}',
        "removed_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_catalog_slo" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_catalog_slo_team" ON "catalog_slo" ("team", "id")`);
    await queryRunner.query(`CREATE INDEX "idx_catalog_slo_service" ON "catalog_slo" ("service", "id")`);

    await queryRunner.query(`
      CREATE TABLE "slo_snapshot" (
        "slo_id" text NOT NULL,
        "resolution" character varying(8) NOT NULL,
        "evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "state" character varying(16) NOT NULL,
        "sli" double precision,
        "budget_remaining" double precision,
        "burn_rates" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_slo_snapshot" PRIMARY KEY ("slo_id", "resolution", "evaluated_at")
      )`);
    await queryRunner.query(
      `CREATE INDEX "idx_slo_snapshot_evaluated_at" ON "slo_snapshot" ("evaluated_at")`,
    );

    await queryRunner.query(`
      CREATE TABLE "slo_event" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "slo_id" text NOT NULL,
        "from_state" character varying(16),
        "to_state" character varying(16) NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "burn_rates" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_slo_event" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_slo_event_slo_at" ON "slo_event" ("slo_id", "at")`);

    await queryRunner.query(`
      CREATE TABLE "job_tick" (
        "job" character varying(64) NOT NULL,
        "tick" bigint NOT NULL,
        "claimed_by" text NOT NULL,
        "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_job_tick" PRIMARY KEY ("job", "tick")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job_tick"`);
    await queryRunner.query(`DROP TABLE "slo_event"`);
    await queryRunner.query(`DROP TABLE "slo_snapshot"`);
    await queryRunner.query(`DROP TABLE "catalog_slo"`);
    await queryRunner.query(`DROP TABLE "catalog_service"`);
    await queryRunner.query(`DROP TABLE "catalog_team"`);
    await queryRunner.query(`
      ALTER TABLE "slo_status"
        DROP COLUMN "stale", DROP COLUMN "since", DROP COLUMN "exhausts_at", DROP COLUMN "budget_consumed"`);
  }
}

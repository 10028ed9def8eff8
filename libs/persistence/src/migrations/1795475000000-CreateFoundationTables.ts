import type { MigrationInterface, QueryRunner } from 'typeorm';

// SQL that PostgreSQL 15 (the supported server) and 18 (embedded PGlite) both accept.
export class CreateFoundationTables1795475000000 implements MigrationInterface {
  name = 'CreateFoundationTables1795475000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "slo_status" (
        "service" text NOT NULL,
        "slo" text NOT NULL,
        "team" text NOT NULL,
        "time_window" character varying(32) NOT NULL,
        "objective" double precision NOT NULL,
        "error_ratio" double precision,
        "burn_rates" jsonb NOT NULL DEFAULT '{}',
        "budget_remaining" double precision,
        "state" character varying(16) NOT NULL,
        "evaluated_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_slo_status" PRIMARY KEY ("service", "slo")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_slo_status_team" ON "slo_status" ("team")`);

    await queryRunner.query(`
      CREATE TABLE "alert_outbox" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "dedup_key" text NOT NULL,
        "team" text NOT NULL,
        "payload" jsonb NOT NULL,
        "status" character varying(16) NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        CONSTRAINT "uq_alert_outbox_dedup_key" UNIQUE ("dedup_key"),
        CONSTRAINT "pk_alert_outbox" PRIMARY KEY ("id")
      )`);
    // Senders look for due work: status = 'pending' AND next_attempt_at <= now().
    await queryRunner.query(
      `CREATE INDEX "idx_alert_outbox_due" ON "alert_outbox" ("status", "next_attempt_at")`,
    );

    await queryRunner.query(`
      CREATE TABLE "cost_line" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "provider" character varying(32) NOT NULL,
        "billing_account" text NOT NULL,
        "sub_account" text NOT NULL DEFAULT '',
        "service_name" text NOT NULL,
        "charge_period_start" date NOT NULL,
        "charge_period_end" date NOT NULL,
        "billed_cost" numeric(20,10) NOT NULL,
        "currency" character varying(3) NOT NULL,
        "tags" jsonb NOT NULL DEFAULT '{}',
        "team" text,
        "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_cost_line_natural_key" UNIQUE (
          "provider", "billing_account", "sub_account", "service_name",
          "charge_period_start", "charge_period_end", "currency", "tags"
        ),
        CONSTRAINT "pk_cost_line" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "idx_cost_line_team_period" ON "cost_line" ("team", "charge_period_start")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "cost_line"`);
    await queryRunner.query(`DROP TABLE "alert_outbox"`);
    await queryRunner.query(`DROP TABLE "slo_status"`);
  }
}

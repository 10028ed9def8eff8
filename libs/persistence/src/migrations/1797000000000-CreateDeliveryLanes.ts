import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat delivery: each outbox row names its destination (its lane) and alert group; a lane is
 * leased by one sender at a time, which gives one request at a time per destination, messages in
 * order and the destination's rate limit across replicas. Slack bot messages keep their `ts`.
 */
export class CreateDeliveryLanes1797000000000 implements MigrationInterface {
  name = 'CreateDeliveryLanes1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "alert_outbox"
        ADD "destination_key" text NOT NULL DEFAULT '',
        ADD "group_key" text NOT NULL DEFAULT '',
        ADD "last_status" integer`);
    // Rows queued before this migration: their destination is in the payload.
    await queryRunner.query(`
      UPDATE "alert_outbox"
      SET "destination_key" = 'team:' || ("payload"->'destination'->>'team') || '#' || ("payload"->'destination'->>'index'),
          "group_key" = COALESCE("payload"->>'groupKey', '')
      WHERE jsonb_typeof("payload"->'destination') = 'object'`);
    await queryRunner.query(
      `CREATE INDEX "idx_alert_outbox_lane" ON "alert_outbox" ("destination_key", "id") WHERE status = 'pending'`,
    );
    await queryRunner.query(`
      CREATE TABLE "delivery_lane" (
        "destination_key" text NOT NULL,
        "next_send_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "leased_until" TIMESTAMP WITH TIME ZONE,
        "leased_by" text,
        CONSTRAINT "pk_delivery_lane" PRIMARY KEY ("destination_key")
      )`);
    await queryRunner.query(`
      INSERT INTO "delivery_lane" ("destination_key")
      SELECT DISTINCT "destination_key" FROM "alert_outbox" WHERE "destination_key" <> ''`);
    await queryRunner.query(`
      CREATE TABLE "slack_message" (
        "destination_key" text NOT NULL,
        "group_key" text NOT NULL,
        "channel" text NOT NULL,
        "ts" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_slack_message" PRIMARY KEY ("destination_key", "group_key")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "slack_message"`);
    await queryRunner.query(`DROP TABLE "delivery_lane"`);
    await queryRunner.query(`DROP INDEX "idx_alert_outbox_lane"`);
    await queryRunner.query(`
      ALTER TABLE "alert_outbox" DROP COLUMN "last_status", DROP COLUMN "group_key", DROP COLUMN "destination_key"`);
  }
}

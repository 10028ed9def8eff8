import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One chat destination's queue head: leased by one sender at a time (one request in flight per
 * destination, messages in order) and not sent to before `next_send_at` (rate limit, backoff).
 */
@Entity({ name: 'delivery_lane' })
export class DeliveryLaneEntity {
  @PrimaryColumn({ name: 'destination_key', type: 'text', primaryKeyConstraintName: 'pk_delivery_lane' })
  destinationKey!: string;

  @Column({ name: 'next_send_at', type: 'timestamptz', default: () => 'now()' })
  nextSendAt!: Date;

  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil!: Date | null;

  @Column({ name: 'leased_by', type: 'text', nullable: true })
  leasedBy!: string | null;
}

/** The Slack message (bot token) an alert group was posted as: resolve updates it in place. */
@Entity({ name: 'slack_message' })
export class SlackMessageEntity {
  @PrimaryColumn({ name: 'destination_key', type: 'text', primaryKeyConstraintName: 'pk_slack_message' })
  destinationKey!: string;

  @PrimaryColumn({ name: 'group_key', type: 'text', primaryKeyConstraintName: 'pk_slack_message' })
  groupKey!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  ts!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

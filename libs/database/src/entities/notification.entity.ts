import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationKind, NotificationSubjectType } from './enums';

export type WebhookState = 'pending' | 'delivered' | 'failed';

/**
 * A reminder in someone's inbox. (kind, subject, recipient, due moment) is unique in the
 * database: that is what makes a reminder delivered twice by the queue show up once.
 */
@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: NotificationKind;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: NotificationSubjectType;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** The moment the reminder is about (next visit due, problem due, last demand update, digest day 08:30). */
  @Column({ name: 'due_moment', type: 'timestamptz' })
  dueMoment: Date;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 4000 })
  body: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;

  /** null: no webhook was configured when the notification was created. */
  @Column({ name: 'webhook_state', type: 'varchar', length: 16, nullable: true })
  webhookState: WebhookState | null;

  @Column({ name: 'webhook_attempts', type: 'int', default: 0 })
  webhookAttempts: number;

  @Column({ name: 'webhook_delivered_at', type: 'timestamptz', nullable: true })
  webhookDeliveredAt: Date | null;
}

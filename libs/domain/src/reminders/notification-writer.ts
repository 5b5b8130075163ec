import type { EntityManager } from 'typeorm';
import type { NotificationKind, NotificationSubjectType, WebhookState } from '@keydesk/database';

export interface NewNotification {
  recipientId: string;
  kind: NotificationKind;
  subjectType: NotificationSubjectType;
  subjectId: string;
  dueMoment: Date;
  title: string;
  body: string;
}

export interface SentNotification {
  id: string;
  kind: NotificationKind;
  subjectType: NotificationSubjectType;
  subjectId: string;
  recipientId: string;
}

/**
 * Inserts notifications, skipping any whose dedup key (kind, subject, recipient, due moment) is
 * already taken: what comes back is what was sent now, exactly once however often it is tried.
 */
export async function insertNotifications(
  manager: EntityManager,
  rows: NewNotification[],
  now: Date,
  webhookState: WebhookState | null,
): Promise<SentNotification[]> {
  if (rows.length === 0) return [];
  return manager.query(
    `INSERT INTO notifications (recipient_id, kind, subject_type, subject_id, due_moment, title, body, created_at, webhook_state)
     SELECT r.recipient_id, r.kind, r.subject_type, r.subject_id, r.due_moment, r.title, r.body, $8, $9
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[])
            AS r(recipient_id, kind, subject_type, subject_id, due_moment, title, body)
     ON CONFLICT ON CONSTRAINT notifications_dedup DO NOTHING
     RETURNING id, kind, subject_type AS "subjectType", subject_id AS "subjectId", recipient_id AS "recipientId"`,
    [
      rows.map((r) => r.recipientId),
      rows.map((r) => r.kind),
      rows.map((r) => r.subjectType),
      rows.map((r) => r.subjectId),
      rows.map((r) => r.dueMoment),
      rows.map((r) => r.title),
      rows.map((r) => r.body),
      now,
      webhookState,
    ],
  );
}

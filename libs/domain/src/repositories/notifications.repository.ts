import { Injectable } from '@nestjs/common';
import { PageRequest, pageOffset } from '@keydesk/common';
import {
  cursorPosition,
  keyset,
  keysetColumnsSql,
  keysetCondition,
  keysetPage,
  namedQuery,
  orderBySql,
  type NotificationKind,
  type NotificationSubjectType,
  type WebhookState,
  type WithKeysetColumns,
} from '@keydesk/database';
import type { NotificationView } from '../reminders/notification.view';
import { TransactionContext } from '../transactions/transaction-context';

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

/** A notification as the messaging bot receives it, with whom it is for. */
export interface WebhookNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  subjectType: string;
  subjectId: string;
  createdAt: Date;
  webhookState: string | null;
  recipientId: string;
  username: string;
  displayName: string;
  phone: string | null;
}

const COLUMNS = `id, kind, title, body, subject_type AS "subjectType", subject_id AS "subjectId",
                 created_at AS "createdAt", read_at AS "readAt"`;

/** The inbox's one order, newest first. */
const INBOX_ORDER = keyset('notifications', '-createdAt', [
  { expr: 'created_at', type: 'timestamptz', direction: 'DESC' },
  { expr: 'id', type: 'uuid', direction: 'DESC' },
]);

/** Every query of notifications: the inbox, the reminders' inserts and the webhook deliveries. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * Inserts notifications, skipping any whose dedup key (kind, subject, recipient, due moment) is
   * already taken: what comes back is what was sent now, exactly once however often it is tried.
   */
  async insert(rows: NewNotification[], now: Date, webhookState: WebhookState | null): Promise<SentNotification[]> {
    if (rows.length === 0) return [];
    return this.tx.manager.query(
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

  /** One page of a person's inbox, newest first (from its offset, or right after `after`), and the next page's cursor. */
  async pageOf(
    recipientId: string,
    unreadOnly: boolean,
    page: PageRequest,
  ): Promise<{ rows: NotificationView[]; nextCursor: string | null }> {
    const after = page.after ? keysetCondition(INBOX_ORDER, await cursorPosition(INBOX_ORDER, page.after)) : null;
    // One row more than the page tells whether another page follows.
    const rows = await namedQuery<WithKeysetColumns<NotificationView>>(
      this.tx.manager,
      `SELECT ${COLUMNS}${keysetColumnsSql(INBOX_ORDER)} FROM notifications
        WHERE recipient_id = :recipientId ${unreadOnly ? 'AND read_at IS NULL' : ''} ${after ? `AND ${after.sql}` : ''}
        ORDER BY ${orderBySql(INBOX_ORDER)} LIMIT :limit OFFSET :offset`,
      { recipientId, ...after?.params, limit: page.pageSize + 1, offset: after ? 0 : pageOffset(page) },
    );
    return keysetPage(INBOX_ORDER, rows, page.pageSize);
  }

  /** How many notifications a person has, and how many of them are unread. */
  async countsOf(recipientId: string): Promise<{ total: number; unread: number }> {
    const [counts] = await this.tx.manager.query<{ total: number; unread: number }[]>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
         FROM notifications WHERE recipient_id = $1`,
      [recipientId],
    );
    return counts;
  }

  /** Marks one of the person's notifications read (the first time is kept); undefined when they have no such one. */
  async markRead(id: string, recipientId: string, at: Date): Promise<NotificationView | undefined> {
    const rows = await this.tx.manager.query<NotificationView[]>(
      `WITH marked AS (
         UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND recipient_id = $2
         RETURNING ${COLUMNS})
       SELECT * FROM marked`,
      [id, recipientId, at],
    );
    return rows[0];
  }

  /** Marks every unread notification of the person read; returns how many. */
  async markAllRead(recipientId: string, at: Date): Promise<number> {
    const [{ updated }] = await this.tx.manager.query<{ updated: number }[]>(
      `WITH marked AS (
         UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL RETURNING 1)
       SELECT count(*)::int AS updated FROM marked`,
      [recipientId, at],
    );
    return updated;
  }

  /** Notifications still waiting for their webhook delivery, created before `createdBefore`, oldest first. */
  async pendingWebhookIds(createdBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.tx.manager.query<{ id: string }[]>(
      `SELECT id FROM notifications WHERE webhook_state = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [createdBefore, limit],
    );
    return rows.map((row) => row.id);
  }

  /** A notification with its recipient, as the webhook posts it. */
  async forWebhook(id: string): Promise<WebhookNotification | undefined> {
    const rows = await this.tx.manager.query<WebhookNotification[]>(
      `SELECT n.id, n.kind, n.title, n.body, n.subject_type AS "subjectType", n.subject_id AS "subjectId",
              n.created_at AS "createdAt", n.webhook_state AS "webhookState", u.id AS "recipientId",
              u.username, u.display_name AS "displayName", u.phone
         FROM notifications n JOIN users u ON u.id = n.recipient_id
        WHERE n.id = $1`,
      [id],
    );
    return rows[0];
  }

  async countWebhookAttempt(id: string): Promise<void> {
    await this.tx.manager.query(`UPDATE notifications SET webhook_attempts = webhook_attempts + 1 WHERE id = $1`, [id]);
  }

  /** Gives a pending delivery up (one already delivered stays so). */
  async markWebhookFailed(id: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE notifications SET webhook_state = 'failed' WHERE id = $1 AND webhook_state = 'pending'`,
      [id],
    );
  }

  async markWebhookDelivered(id: string, at: Date): Promise<void> {
    await this.tx.manager.query(
      `UPDATE notifications SET webhook_state = 'delivered', webhook_delivered_at = $2
        WHERE id = $1 AND webhook_state = 'pending'`,
      [id, at],
    );
  }
}

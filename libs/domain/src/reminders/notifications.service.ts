import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, NotFoundError, PageRequest, pageOffset } from '@keydesk/common';
import type { Actor } from '../access/actor';
import { NotificationPageView, NotificationView, ReadAllView } from './notification.view';

const COLUMNS = `id, kind, title, body, subject_type AS "subjectType", subject_id AS "subjectId",
                 created_at AS "createdAt", read_at AS "readAt"`;

/** The in-app inbox: everyone sees their own notifications and nobody else's, newest first. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: { unread?: boolean }, page: PageRequest): Promise<NotificationPageView> {
    const unreadOnly = filter.unread ? 'AND read_at IS NULL' : '';
    const [items, [counts]] = await Promise.all([
      this.db.query<NotificationView[]>(
        `SELECT ${COLUMNS} FROM notifications WHERE recipient_id = $1 ${unreadOnly}
          ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [actor.id, page.pageSize, pageOffset(page)],
      ),
      this.db.query<{ total: number; unread: number }[]>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
           FROM notifications WHERE recipient_id = $1`,
        [actor.id],
      ),
    ]);
    return {
      items,
      total: filter.unread ? counts.unread : counts.total,
      page: page.page,
      pageSize: page.pageSize,
      unread: counts.unread,
    };
  }

  /** Marks one read (reading it again keeps the first time); another person's answers 404. */
  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    const rows: NotificationView[] = await this.db.query(
      `WITH marked AS (
         UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND recipient_id = $2
         RETURNING ${COLUMNS})
       SELECT * FROM marked`,
      [id, actor.id, this.clock.now()],
    );
    if (rows.length === 0) throw new NotFoundError('Notification');
    return rows[0];
  }

  async markAllRead(actor: Actor): Promise<ReadAllView> {
    const [{ updated }]: ReadAllView[] = await this.db.query(
      `WITH marked AS (
         UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL RETURNING 1)
       SELECT count(*)::int AS updated FROM marked`,
      [actor.id, this.clock.now()],
    );
    return { updated };
  }
}

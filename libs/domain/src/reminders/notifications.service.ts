import { Injectable } from '@nestjs/common';
import { Clock, NotFoundError, PageRequest } from '@keydesk/common';
import type { Actor } from '../access/actor';
import { NotificationsRepository } from '../repositories/notifications.repository';
import { NotificationPageView, NotificationView, ReadAllView } from './notification.view';

/** The in-app inbox: everyone sees their own notifications and nobody else's, newest first. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: { unread?: boolean }, page: PageRequest): Promise<NotificationPageView> {
    const [{ rows: items, nextCursor }, counts] = await Promise.all([
      this.notifications.pageOf(actor.id, !!filter.unread, page),
      this.notifications.countsOf(actor.id),
    ]);
    return {
      items,
      total: filter.unread ? counts.unread : counts.total,
      page: page.page,
      pageSize: page.pageSize,
      nextCursor,
      unread: counts.unread,
    };
  }

  /** Marks one read (reading it again keeps the first time); another person's answers 404. */
  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    const notification = await this.notifications.markRead(id, actor.id, this.clock.now());
    if (!notification) throw new NotFoundError('Notification');
    return notification;
  }

  async markAllRead(actor: Actor): Promise<ReadAllView> {
    return { updated: await this.notifications.markAllRead(actor.id, this.clock.now()) };
  }
}

import type { NotificationKind, NotificationSubjectType } from '@keydesk/database';

/** A reminder in the caller's inbox. */
export class NotificationView {
  id: string;
  kind: NotificationKind;
  /** Short, in Chinese: what and about whom. */
  title: string;
  body: string;
  /** `enterprise` for visit and demand reminders, `problem` for problem reminders, `user` for the digest. */
  subjectType: NotificationSubjectType;
  subjectId: string;
  createdAt: Date;
  readAt: Date | null;
}

export class NotificationPageView {
  items: NotificationView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last notification, for `after`; null on the last page. */
  nextCursor: string | null;
  /** Unread notifications in the whole inbox, whatever the filter: the badge on the bell. */
  unread: number;
}

export class ReadAllView {
  /** How many notifications were marked read. */
  updated: number;
}

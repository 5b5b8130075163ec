import type { ReminderOffsets } from '@keydesk/database';

/** SLA days by problem priority. */
export class SlaDaysView {
  urgent: number;
  high: number;
  normal: number;
  low: number;
}

/** Default days between visits, by enterprise tier. */
export class VisitCadenceView {
  provincial: number;
  municipal: number;
  district: number;
}

/** When reminders fire, relative to the due dates they follow (SPEC "Reminders"). */
export class ReminderOffsetsView implements ReminderOffsets {
  /** Days before nextVisitDueAt: "visit coming up". */
  visitUpcomingDays: number;
  /** Days after nextVisitDueAt: "visit overdue". */
  visitOverdueDays: number;
  /** Hours before dueAt: "problem due soon". */
  problemDueSoonHours: number;
  /** Days after dueAt: "problem long overdue" (escalation 2). */
  problemLongOverdueDays: number;
  /** Days without an update before an open demand list is stale. */
  demandStaleDays: number;
}

export class SettingsView {
  slaDays: SlaDaysView;
  visitCadenceDays: VisitCadenceView;
  reminderOffsets: ReminderOffsetsView;
  version: number;
  updatedAt: Date;
}

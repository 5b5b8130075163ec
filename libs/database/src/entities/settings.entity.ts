import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Tier, Priority } from './enums';

/** When each reminder fires relative to what it is about (SPEC "Reminders"; settings). */
export interface ReminderOffsets {
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

/** The one row of tunable rules (SLA, visit cadence, reminder offsets). */
@Entity({ name: 'settings' })
export class Settings {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ name: 'sla_days', type: 'jsonb' })
  slaDays: Record<Priority, number>;

  @Column({ name: 'visit_cadence_days', type: 'jsonb' })
  visitCadenceDays: Record<Tier, number>;

  @Column({ name: 'reminder_offsets', type: 'jsonb' })
  reminderOffsets: ReminderOffsets;

  @Column({ type: 'int', default: 1 })
  version: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

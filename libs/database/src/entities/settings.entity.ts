import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Tier, Priority } from './enums';

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
  reminderOffsets: Record<string, number>;

  @Column({ type: 'int', default: 1 })
  version: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

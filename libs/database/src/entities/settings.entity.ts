import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const TIERS = ['provincial', 'municipal', 'district'] as const;
export type Tier = (typeof TIERS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

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

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EnterpriseStatus, Tier } from './enums';

@Entity({ name: 'enterprises' })
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index({ unique: true })
  @Column({ name: 'credit_code', type: 'varchar', length: 18 })
  creditCode: string;

  @Column({ name: 'industry_code', type: 'varchar', length: 1 })
  industryCode: string;

  @Column({ name: 'district_code', type: 'varchar', length: 6 })
  districtCode: string;

  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Column({ type: 'varchar', length: 16 })
  tier: Tier;

  @Column({ name: 'employee_count', type: 'int' })
  employeeCount: number;

  @Column({ name: 'contact_name', type: 'varchar', length: 50 })
  contactName: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 20 })
  contactPhone: string;

  /** Null: the default for the enterprise's tier from settings applies. */
  @Column({ name: 'visit_cadence_days', type: 'int', nullable: true })
  visitCadenceDays: number | null;

  @Column({ name: 'commissioner_id', type: 'uuid', nullable: true })
  commissionerId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: EnterpriseStatus;

  /** Σ (headcount − filled) over open demands, kept in the same transaction as every demand write. */
  @Column({ type: 'int', default: 0 })
  shortage: number;

  @Column({ name: 'last_visit_at', type: 'timestamptz', nullable: true })
  lastVisitAt: Date | null;

  @Column({ name: 'next_visit_due_at', type: 'timestamptz', nullable: true })
  nextVisitDueAt: Date | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** `{field: {from, to}}` for every field a change touched. */

/** One change to the ledger: who, when, and which fields went from what to what. */
@Entity({ name: 'enterprise_revisions' })
export class EnterpriseRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'jsonb' })
  /** Plain JSON (`FieldChanges`); typed loosely so that TypeORM's partial types stay shallow. */
  changes: object;

  /** The enterprise's version after this revision. */
  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}

@Entity({ name: 'enterprise_assignments' })
export class EnterpriseAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'commissioner_id', type: 'uuid' })
  commissionerId: string;

  @Column({ name: 'previous_commissioner_id', type: 'uuid', nullable: true })
  previousCommissionerId: string | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ name: 'assigned_by_id', type: 'uuid', nullable: true })
  assignedById: string | null;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;
}

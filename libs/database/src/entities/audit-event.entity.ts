import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Every change, written in the transaction that made it. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId: string;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  /** Plain JSON: what changed, beyond the action itself. */
  details: object | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}

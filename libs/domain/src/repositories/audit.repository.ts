import { Injectable } from '@nestjs/common';
import { AuditEvent, type JsonValue } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { TransactionContext } from '../transactions/transaction-context';

/** The audit trail: written with the caller's transaction, so that an event exists exactly when its change does. */
@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TransactionContext) {}

  async record(
    actor: Actor | null,
    action: string,
    entity: { type: string; id: string },
    at: Date,
    details: Record<string, JsonValue> | null = null,
  ): Promise<void> {
    await this.recordMany(actor, action, [{ entity, details }], at);
  }

  /** The same action on several records (a visit's demands), in one statement. */
  async recordMany(
    actor: Actor | null,
    action: string,
    events: { entity: { type: string; id: string }; details: Record<string, JsonValue> | null }[],
    at: Date,
  ): Promise<void> {
    if (events.length === 0) return;
    await this.tx.manager.insert(
      AuditEvent,
      events.map(({ entity, details }) => ({
        actorId: actor?.id ?? null,
        action,
        entityType: entity.type,
        entityId: entity.id,
        requestId: actor?.requestId ?? null,
        details,
        at,
      })),
    );
  }
}

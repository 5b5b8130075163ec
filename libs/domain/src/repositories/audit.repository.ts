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
    await this.tx.manager.insert(AuditEvent, {
      actorId: actor?.id ?? null,
      action,
      entityType: entity.type,
      entityId: entity.id,
      requestId: actor?.requestId ?? null,
      details,
      at,
    });
  }
}

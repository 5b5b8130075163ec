import type { EntityManager } from 'typeorm';
import { AuditEvent, type JsonValue } from '@keydesk/database';
import type { Actor } from '../access/actor';

/** Writes one audit event with the caller's transaction, so that it exists exactly when the change does. */
export async function recordAudit(
  manager: EntityManager,
  actor: Actor | null,
  action: string,
  entity: { type: string; id: string },
  at: Date,
  details: Record<string, JsonValue> | null = null,
): Promise<void> {
  await manager.insert(AuditEvent, {
    actorId: actor?.id ?? null,
    action,
    entityType: entity.type,
    entityId: entity.id,
    requestId: actor?.requestId ?? null,
    details,
    at,
  });
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReminderQueue, SubjectRef } from '@keydesk/queue';
import type { DomainEvent, DomainEventSubscriber } from '../events/domain-events';
import { TransactionContext } from '../transactions/transaction-context';

/** User fields that decide who receives a reminder. */
const RECIPIENT_FIELDS = new Set(['role', 'districtCodes', 'active']);

/**
 * Reminders follow every committed change: the subjects a transaction touched are checked at once
 * (and their next wake-up scheduled) in one enqueue; a change that can move every moment (settings,
 * who a user is) asks for a sweep. A lost enqueue is found by the reconciler.
 */
@Injectable()
export class ReminderTriggers implements DomainEventSubscriber, OnModuleInit {
  constructor(
    private readonly transactions: TransactionContext,
    private readonly queue: ReminderQueue,
  ) {}

  onModuleInit(): void {
    this.transactions.subscribe(this);
  }

  async onCommitted(events: readonly DomainEvent[]): Promise<void> {
    const subjects = new Map<string, SubjectRef>();
    let sweep = false;
    for (const event of events) {
      switch (event.type) {
        case 'enterprise.changed':
          subjects.set(`enterprise/${event.enterpriseId}`, { type: 'enterprise', id: event.enterpriseId });
          break;
        case 'problems.changed':
          for (const id of event.problemIds) subjects.set(`problem/${id}`, { type: 'problem', id });
          break;
        case 'settings.changed':
          sweep = true;
          break;
        case 'user.changed':
          sweep ||= event.fields.some((field) => RECIPIENT_FIELDS.has(field));
          break;
        case 'ledger.imported':
          if (event.enterpriseIds === null) sweep = true;
          else for (const id of event.enterpriseIds) subjects.set(`enterprise/${id}`, { type: 'enterprise', id });
          break;
        default:
          return assertNever(event);
      }
    }
    if (subjects.size > 0) await this.queue.subjectsChanged([...subjects.values()]);
    if (sweep) await this.queue.reconcileNow();
  }
}

function assertNever(event: never): never {
  throw new Error(`unhandled domain event ${JSON.stringify(event)}`);
}

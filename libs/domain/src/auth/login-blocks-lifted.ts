import { Injectable, OnModuleInit } from '@nestjs/common';
import type { DomainEvent, DomainEventSubscriber } from '../events/domain-events';
import { TransactionContext } from '../transactions/transaction-context';
import { LoginLimiter } from './login-limiter';

/**
 * A new password set by an admin lifts the user name's failed-login blocks, once it has committed.
 * The password is changed whatever happens here: a Redis fault only leaves the blocks to run out
 * their window.
 */
@Injectable()
export class LoginBlocksLifted implements DomainEventSubscriber, OnModuleInit {
  constructor(
    private readonly transactions: TransactionContext,
    private readonly limiter: LoginLimiter,
  ) {}

  onModuleInit(): void {
    this.transactions.subscribe(this);
  }

  async onCommitted(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'user.changed' && event.fields.includes('password')) {
        await this.limiter.clear(event.username).catch(() => undefined);
      }
    }
  }
}

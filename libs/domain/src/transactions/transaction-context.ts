import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvent, DomainEventSubscriber } from '../events/domain-events';

interface Scope {
  manager: EntityManager;
  events: DomainEvent[];
  /** What the transaction has already read once (see `once`). */
  memo: Map<string, Promise<unknown>>;
}

/**
 * The transaction a piece of work runs in, carried by the async context rather than passed from
 * call to call: services wrap a write in `run`, and the query modules read `manager`, which is
 * the transaction's when one is in progress and the pool's otherwise. A `run` inside another joins
 * it, so a workflow composes services into one transaction without them knowing.
 *
 * Events published in a transaction are delivered after it commits, before `run` returns: the
 * caller's answer goes out once the reminders have been told (each subscriber bounds its own wait).
 */
@Injectable()
export class TransactionContext {
  private readonly logger = new Logger('transactions');
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private readonly subscribers: DomainEventSubscriber[] = [];
  private outer?: EntityManager;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A context over a transaction the caller already holds, for code outside Nest (the demo and
   * benchmark generators), so it can use the query modules.
   */
  static within(manager: EntityManager): TransactionContext {
    const context = new TransactionContext(manager.connection);
    context.outer = manager;
    return context;
  }

  /** The entity manager to query with: the current transaction's, else the pool's. */
  get manager(): EntityManager {
    return this.scopes.getStore()?.manager ?? this.outer ?? this.db.manager;
  }

  /** Whether a transaction is in progress in this async context. */
  get active(): boolean {
    return this.scopes.getStore() !== undefined || this.outer !== undefined;
  }

  /** Runs work in a transaction (or in the one already in progress), then delivers its events. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.scopes.getStore()) return work();
    // Within a transaction the caller holds: join it; its owner decides when it commits.
    if (this.outer) return this.scopes.run({ manager: this.outer, events: [], memo: new Map() }, work);
    const events: DomainEvent[] = [];
    const result = await this.db.transaction((manager) => this.scopes.run({ manager, events, memo: new Map() }, work));
    if (events.length > 0) await this.deliver(events);
    return result;
  }

  /**
   * Reads something once per transaction (the settings a visit's problems and schedule both
   * need): later calls in the same transaction get the first read's answer. Outside a
   * transaction every call reads.
   */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const memo = this.scopes.getStore()?.memo;
    if (!memo) return read();
    let pending = memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      memo.set(key, pending);
    }
    return pending;
  }

  /** Drops what `once` remembered under the key, after the transaction changed it. */
  forget(key: string): void {
    this.scopes.getStore()?.memo.delete(key);
  }

  /** Announces a change, to be delivered once the current transaction commits. */
  publish(event: DomainEvent): void {
    const scope = this.scopes.getStore();
    if (!scope) throw new Error(`domain event ${event.type} published outside a transaction`);
    scope.events.push(event);
  }

  subscribe(subscriber: DomainEventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** The change has committed whatever a subscriber does: a failing one is logged, never thrown at the caller. */
  private async deliver(events: DomainEvent[]): Promise<void> {
    for (const subscriber of this.subscribers) {
      try {
        await subscriber.onCommitted(events);
      } catch (error) {
        this.logger.warn(`a subscriber failed after commit: ${(error as Error).message}`);
      }
    }
  }
}

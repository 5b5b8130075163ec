/**
 * What happened in the domain, published inside a transaction and delivered to the subscribers
 * only once it has committed: a rolled-back change announces nothing. Subscribers (the reminder
 * triggers today) react outside the transaction, so they never hold a row lock.
 */
export type DomainEvent =
  /** Something that decides an enterprise's reminders changed: its fields, status, commissioner, visits or demands. */
  | { type: 'enterprise.changed'; enterpriseId: string }
  /** Problems were created or changed in a way that can move their reminders (status, due date, assignee). */
  | { type: 'problems.changed'; problemIds: string[] }
  /** The tunable rules changed: every moment may have moved. */
  | { type: 'settings.changed'; fields: string[] }
  /** A user's fields changed (`password` among them for a new password): who receives what may have moved. */
  | { type: 'user.changed'; userId: string; username: string; fields: string[] }
  /**
   * An import changed enterprises of the ledger (those it created have nothing due yet). Null
   * when there were too many to name one by one: every moment is checked in a sweep instead.
   */
  | { type: 'ledger.imported'; importId: string; enterpriseIds: string[] | null };

export type DomainEventType = DomainEvent['type'];

/** Receives the events of each committed transaction, all at once, in the order they were published. */
export interface DomainEventSubscriber {
  onCommitted(events: readonly DomainEvent[]): Promise<void>;
}

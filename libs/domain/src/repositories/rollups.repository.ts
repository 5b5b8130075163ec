import { Injectable } from '@nestjs/common';
import { TransactionContext } from '../transactions/transaction-context';

/** The rollup tables' upkeep. */
@Injectable()
export class RollupsRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * Writes append deltas to the rollup tables (migration Rollups1764600000000) and readers sum
   * them; folding them keeps those sums short. `compact_rollups()` lets one caller at a time in
   * and the others return at once, so any number of workers may call it.
   */
  async compact(): Promise<void> {
    await this.tx.manager.query('SELECT compact_rollups()');
  }
}

import { Injectable } from '@nestjs/common';
import { Settings } from '@keydesk/database';
import { TransactionContext } from '../transactions/transaction-context';

/** The one settings row (id 1, seeded by migration). */
@Injectable()
export class SettingsRepository {
  constructor(private readonly tx: TransactionContext) {}

  current(): Promise<Settings> {
    return this.tx.manager.findOneByOrFail(Settings, { id: 1 });
  }

  /** The row locked for a change, in the current transaction. */
  lockForUpdate(): Promise<Settings> {
    return this.tx.manager.findOneOrFail(Settings, { where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
  }

  async save(settings: Settings): Promise<void> {
    await this.tx.manager.save(settings);
  }
}

import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { SettingsService, UpdateSettingsInput } from '../settings/settings.service';
import { SettingsView } from '../settings/settings.view';
import { TransactionContext } from '../transactions/transaction-context';

/**
 * Changing the settings, with what follows in the ledger: a new default cadence moves the next
 * visit of every enterprise that uses its tier's default, in the same transaction. Settings sit
 * below the ledger, so the ledger's part is composed here rather than called from settings.
 */
@Injectable()
export class ChangeSettingsWorkflow {
  constructor(
    private readonly tx: TransactionContext,
    private readonly settings: SettingsService,
    private readonly enterprises: EnterprisesService,
  ) {}

  run(actor: Actor, input: UpdateSettingsInput): Promise<SettingsView> {
    return this.tx.run(async () => {
      const change = await this.settings.update(actor, input);
      if (change.cadenceChanged) {
        await this.enterprises.refreshDefaultCadenceSchedules(change.settings.visitCadenceDays);
      }
      return change.view;
    });
  }
}

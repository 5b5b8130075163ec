import { Injectable } from '@nestjs/common';
import { Clock, ForbiddenError, VersionConflictError } from '@keydesk/common';
import { Settings } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { AuditRepository } from '../repositories/audit.repository';
import { SettingsRepository } from '../repositories/settings.repository';
import { TransactionContext } from '../transactions/transaction-context';
import { ReminderOffsetsView, SettingsView, SlaDaysView, VisitCadenceView } from './settings.view';

export interface UpdateSettingsInput {
  slaDays?: Partial<SlaDaysView>;
  visitCadenceDays?: Partial<VisitCadenceView>;
  reminderOffsets?: Partial<ReminderOffsetsView>;
  version: number;
}

export interface SettingsChange {
  view: SettingsView;
  /** Whether a tier's default visit cadence changed: the ledger's schedules follow (ChangeSettingsWorkflow). */
  cadenceChanged: boolean;
  settings: Settings;
}

/** The one row of tunable rules, seeded by migration; everyone reads it, admins change it. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly settings: SettingsRepository,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /** The last settings this process read, kept while they are the latest version a caller has seen. */
  private cached?: Settings;

  /**
   * The settings as the current transaction sees them, read once per transaction; outside one,
   * as committed. `knownVersion` is the version a request saw when its caller was checked
   * (`Actor.settingsVersion`): while the process holds that version it answers without a round
   * trip, so a change made through any process is seen by the next request everywhere.
   */
  current(knownVersion?: number): Promise<Settings> {
    if (this.tx.active) return this.tx.once(SETTINGS_MEMO, () => this.settings.current());
    if (knownVersion !== undefined && this.cached?.version === knownVersion) return Promise.resolve(this.cached);
    return this.settings.current().then((settings) => {
      if (!this.cached || settings.version >= this.cached.version) this.cached = settings;
      return settings;
    });
  }

  async view(): Promise<SettingsView> {
    return toView(await this.current());
  }

  /**
   * A new SLA applies to problems reported or re-prioritised from now on (a due date already
   * given is kept). The ledger's schedules are not this module's: `ChangeSettingsWorkflow` moves
   * them in the same transaction when a cadence changed. Every reminder moment may move, so a
   * sweep follows the commit.
   */
  async update(actor: Actor, input: UpdateSettingsInput): Promise<SettingsChange> {
    if (actor.role !== 'admin') throw new ForbiddenError('only admins change settings');
    return this.tx.run(async () => {
      const settings = await this.settings.lockForUpdate();
      if (input.version !== settings.version) throw new VersionConflictError('Settings', settings.version);
      const now = this.clock.now();
      const sent = {
        slaDays: sentOnly(input.slaDays),
        visitCadenceDays: sentOnly(input.visitCadenceDays),
        reminderOffsets: sentOnly(input.reminderOffsets),
      };
      const cadenceChanged = Object.entries(sent.visitCadenceDays).some(
        ([tier, days]) => settings.visitCadenceDays[tier as keyof VisitCadenceView] !== days,
      );
      settings.slaDays = { ...settings.slaDays, ...sent.slaDays };
      settings.visitCadenceDays = { ...settings.visitCadenceDays, ...sent.visitCadenceDays };
      settings.reminderOffsets = { ...settings.reminderOffsets, ...sent.reminderOffsets };
      settings.version += 1;
      settings.updatedAt = now;
      await this.settings.save(settings);
      this.tx.forget(SETTINGS_MEMO);
      const fields = Object.keys(input).filter((key) => key !== 'version');
      await this.audit.record(actor, 'settings.updated', { type: 'settings', id: SETTINGS_ENTITY_ID }, now, { fields });
      this.tx.publish({ type: 'settings.changed', fields });
      return { view: toView(settings), cadenceChanged, settings };
    });
  }
}

const SETTINGS_MEMO = 'settings';

/** The audit trail's entity id for the single settings row. */
const SETTINGS_ENTITY_ID = '00000000-0000-0000-0000-000000000001';

function toView(settings: Settings): SettingsView {
  return {
    slaDays: settings.slaDays,
    visitCadenceDays: settings.visitCadenceDays,
    reminderOffsets: settings.reminderOffsets,
    version: settings.version,
    updatedAt: settings.updatedAt,
  };
}

/**
 * The values a request sent: a validated body holds every field of its class, the ones not sent
 * as `undefined`, which a plain spread would write over the stored values.
 */
function sentOnly<T extends object>(values: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

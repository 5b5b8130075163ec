import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, ForbiddenError, VersionConflictError } from '@keydesk/common';
import { Settings } from '@keydesk/database';
import { ReminderQueue } from '@keydesk/queue';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit';
import { refreshVisitSchedule } from '../enterprises/enterprise-derived';
import { ReminderOffsetsView, SettingsView, SlaDaysView, VisitCadenceView } from './settings.view';

export interface UpdateSettingsInput {
  slaDays?: Partial<SlaDaysView>;
  visitCadenceDays?: Partial<VisitCadenceView>;
  reminderOffsets?: Partial<ReminderOffsetsView>;
  version: number;
}

/** The one row of tunable rules, seeded by migration; everyone reads it, admins change it. */
@Injectable()
export class SettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly reminders: ReminderQueue,
  ) {}

  async current(manager: EntityManager = this.db.manager): Promise<Settings> {
    return manager.findOneByOrFail(Settings, { id: 1 });
  }

  async view(): Promise<SettingsView> {
    return toView(await this.current());
  }

  /**
   * A new SLA applies to problems reported or re-prioritised from now on (a due date already
   * given is kept); a new cadence moves the next visit of every enterprise that uses its tier's default.
   */
  async update(actor: Actor, input: UpdateSettingsInput): Promise<SettingsView> {
    if (actor.role !== 'admin') throw new ForbiddenError('only admins change settings');
    const view = await this.db.transaction(async (manager) => {
      const settings = await manager.findOneOrFail(Settings, { where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
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
      await manager.save(settings);
      if (cadenceChanged) {
        const ids: { id: string }[] = await manager.query(
          `SELECT id FROM enterprises WHERE visit_cadence_days IS NULL AND last_visit_at IS NOT NULL`,
        );
        await refreshVisitSchedule(
          manager,
          ids.map((row) => row.id),
          settings.visitCadenceDays,
        );
      }
      await recordAudit(manager, actor, 'settings.updated', { type: 'settings', id: SETTINGS_ENTITY_ID }, now, {
        fields: Object.keys(input).filter((key) => key !== 'version'),
      });
      return toView(settings);
    });
    // New offsets or cadences move every moment: a sweep finds what is now due or coming up.
    await this.reminders.reconcileNow();
    return view;
  }
}

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

import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@keydesk/common';
import type { Actor } from '../access/actor';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ProblemsService } from '../problems/problems.service';
import {
  AssignmentInsert,
  AuditInsert,
  EnterpriseUpdate,
  ImportedEnterprise,
  ImportsRepository,
  RevisionInsert,
} from '../repositories/imports.repository';
import { diffFields, type EnterpriseFields } from '../rules/enterprise-rules';
import { ImportFailure } from './import-errors';
import type { PlannedRow } from './enterprise-import.planner';

/** The reason a single create records with the first commissioner (EnterprisesService.create). */
const INITIAL_ASSIGNMENT_REASON = 'initial assignment';

/** The reason recorded when an import hands an enterprise to another commissioner. */
export const importReassignmentReason = (importId: string): string => `批量导入（导入编号 ${importId}）`;

function ledgerValues(fields: EnterpriseFields, commissionerId: string | null): ImportedEnterprise {
  return {
    name: fields.name,
    creditCode: fields.creditCode,
    industryCode: fields.industryCode,
    districtCode: fields.districtCode,
    address: fields.address,
    tier: fields.tier,
    employeeCount: fields.employeeCount,
    contactName: fields.contactName,
    contactPhone: fields.contactPhone,
    commissionerId,
  };
}

/**
 * Writes a batch of planned rows in the caller's transaction, in bulk, exactly as the single
 * writes would: a create is the enterprise (version 1), its `created` revision, its first
 * assignment when a commissioner is named, and its audit event; an update is the changed fields
 * with an `updated` revision by the importing person; a new commissioner is a reassignment (its
 * revision, its assignment with a reason, and the enterprise's unfinished problems handed over).
 * Every audit event names the import.
 */
@Injectable()
export class EnterpriseImportWriter {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly enterprises: EnterprisesService,
    private readonly problems: ProblemsService,
  ) {}

  /** The ids of the enterprises changed (created ones excepted), for the reminders. */
  async write(actor: Actor, importId: string, rows: readonly PlannedRow[], at: Date): Promise<string[]> {
    const revisions: RevisionInsert[] = [];
    const assignments: AssignmentInsert[] = [];
    const audit: AuditInsert[] = [];
    const record = (enterpriseId: string, action: string, changes: RevisionInsert['changes'], version: number) => {
      revisions.push({ enterpriseId, action, changes, version });
      audit.push({
        action: `enterprise.${action}`,
        entityType: 'enterprise',
        entityId: enterpriseId,
        details: {
          fields: Object.keys(changes),
          ...(action === 'reassigned' ? { reason: importReassignmentReason(importId) } : {}),
          importId,
        },
      });
    };

    const creates = rows.filter((row) => row.outcome === 'C');
    if (creates.length > 0) {
      const inserted = await this.insert(
        creates.map((row) => ledgerValues(row.fields!, row.commissionerId ?? null)),
        at,
      );
      const idOf = new Map(inserted.map(({ id, creditCode }) => [creditCode, id]));
      for (const row of creates) {
        const id = idOf.get(row.creditCode)!;
        const commissionerId = row.commissionerId ?? null;
        const { commissionerId: _, ...values } = ledgerValues(row.fields!, null);
        record(id, 'created', diffFields({}, { ...values, visitCadenceDays: null, commissionerId }), 1);
        if (commissionerId) {
          assignments.push({
            enterpriseId: id,
            commissionerId,
            previousCommissionerId: null,
            reason: INITIAL_ASSIGNMENT_REASON,
          });
        }
      }
    }

    const updates: EnterpriseUpdate[] = [];
    const rescheduled: string[] = [];
    const handOvers: { id: string; from: string | null; to: string }[] = [];
    for (const row of rows) {
      if (row.outcome !== 'U') continue;
      const existing = row.existing!;
      let version = existing.version;
      if (Object.keys(row.changes!).length > 0) record(existing.id, 'updated', row.changes!, ++version);
      if ('tier' in row.changes!) rescheduled.push(existing.id);
      if (row.reassignTo) {
        const from = existing.commissionerId;
        record(existing.id, 'reassigned', { commissionerId: { from, to: row.reassignTo } }, ++version);
        assignments.push({
          enterpriseId: existing.id,
          commissionerId: row.reassignTo,
          previousCommissionerId: from,
          reason: importReassignmentReason(importId),
        });
        handOvers.push({ id: existing.id, from, to: row.reassignTo });
      }
      updates.push({
        id: existing.id,
        version: existing.version,
        newVersion: version,
        ...ledgerValues(row.fields!, row.reassignTo ?? existing.commissionerId),
      });
    }
    if ((await this.imports.updateEnterprises(updates, at)) !== updates.length) {
      // The rows were locked when read: only a bug or a hand-made change gets here.
      throw new ImportFailure('台账中的企业在导入过程中被修改，未写入任何数据，请重新上传文件校验');
    }
    await this.imports.insertRevisions(revisions, actor.id, at);
    await this.imports.insertAssignments(assignments, actor.id, at);
    await this.imports.insertAuditEvents(audit, actor.id, at);
    await this.enterprises.refreshVisitSchedule(rescheduled);
    for (const { id, from, to } of handOvers) {
      await this.problems.handOver(actor, id, from, to, importReassignmentReason(importId), at);
    }
    return updates.map((update) => update.id);
  }

  private async insert(rows: ImportedEnterprise[], at: Date) {
    try {
      return await this.imports.insertEnterprises(rows, at);
    } catch (error) {
      if (!isUniqueViolation(error, 'enterprises_credit_code_key')) throw error;
      const { detail, driverError } = error as { detail?: string; driverError?: { detail?: string } };
      const code = /\(credit_code\)=\(([^)]*)\)/.exec(detail ?? driverError?.detail ?? '')?.[1];
      throw new ImportFailure(
        `统一社会信用代码${code ? ` ${code} ` : ''}在校验之后已被他人添加到台账，未写入任何数据，请重新上传文件校验`,
      );
    }
  }
}

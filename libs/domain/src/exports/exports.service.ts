import { Injectable } from '@nestjs/common';
import { Clock } from '@keydesk/common';
import type { Actor } from '../access/actor';
import { DashboardService } from '../dashboard/dashboard.service';
import { DemandsService } from '../demands/demands.service';
import { EnterpriseFilter, EnterprisesService } from '../enterprises/enterprises.service';
import { ProblemsService } from '../problems/problems.service';
import { DEMAND_GROUPINGS, DemandFilter } from '../repositories/demands.repository';
import { EnterprisesRepository } from '../repositories/enterprises.repository';
import type { ProblemFilter } from '../repositories/problems.repository';
import { ReferenceRepository } from '../repositories/reference.repository';
import { UsersRepository } from '../repositories/users.repository';
import { VisitFilter, VisitsRepository } from '../repositories/visits.repository';
import { fileStamp } from '../spreadsheets/cells';
import { VisitsService } from '../visits/visits.service';
import { demandColumns, DEMANDS_FILE, describeDemandFilter } from './demands.export';
import { describeEnterpriseFilter, ENTERPRISE_COLUMNS, ENTERPRISES_FILE } from './enterprises.export';
import { ExportFile, ExportFormat, FileName, listFile, workbookFile } from './export-file';
import { beijingTime, ExportNames, exportTitle } from './export-names';
import { describeProblemFilter, problemColumns, PROBLEMS_FILE } from './problems.export';
import {
  DASHBOARD_FILE,
  dashboardFiguresSheet,
  dashboardWorkloadSheet,
  DEMAND_SUMMARY_FILE,
  demandSummarySheet,
} from './summaries.export';
import { describeVisitFilter, visitColumns, VISITS_FILE } from './visits.export';

/** The ids a filter names, to be shown by name in a file's title. */
interface NamedIds {
  userIds?: (string | undefined)[];
  enterpriseId?: string;
  visitId?: string;
}

/**
 * Every list as a file (xlsx or CSV), with exactly the list's filter, scope and order (the list
 * services' own `listAll`), and the summaries a bureau sends upward. Each method checks and looks
 * up all it needs and reads the first rows before it answers, so a refusal is still an error
 * response; the rest of the rows are read as the file is written. Where each file's columns
 * are: `<list>.export.ts` beside this file.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly enterprisesService: EnterprisesService,
    private readonly demandsService: DemandsService,
    private readonly problemsService: ProblemsService,
    private readonly visitsService: VisitsService,
    private readonly dashboardService: DashboardService,
    private readonly reference: ReferenceRepository,
    private readonly users: UsersRepository,
    private readonly enterpriseRows: EnterprisesRepository,
    private readonly visitRows: VisitsRepository,
    private readonly clock: Clock,
  ) {}

  async enterprises(actor: Actor, filter: EnterpriseFilter, format: ExportFormat): Promise<ExportFile> {
    const at = this.clock.now();
    const names = await this.names(actor, { userIds: [filter.commissionerId] });
    return listFile(
      format,
      stamped(ENTERPRISES_FILE, at),
      {
        sheetName: ENTERPRISES_FILE.name,
        title: exportTitle(ENTERPRISES_FILE.name, describeEnterpriseFilter(filter, names), at),
        columns: ENTERPRISE_COLUMNS,
      },
      await this.enterprisesService.listAll(actor, filter),
    );
  }

  async demands(actor: Actor, filter: DemandFilter, format: ExportFormat): Promise<ExportFile> {
    const at = this.clock.now();
    const names = await this.names(actor, { enterpriseId: filter.enterpriseId, visitId: filter.sourceVisitId });
    return listFile(
      format,
      stamped(DEMANDS_FILE, at),
      {
        sheetName: DEMANDS_FILE.name,
        title: exportTitle(DEMANDS_FILE.name, describeDemandFilter(filter, names), at),
        columns: demandColumns(names),
      },
      this.demandsService.listAll(actor, filter),
    );
  }

  async problems(actor: Actor, filter: ProblemFilter, format: ExportFormat): Promise<ExportFile> {
    const at = this.clock.now();
    const names = await this.names(actor, {
      userIds: [filter.assigneeId],
      enterpriseId: filter.enterpriseId,
      visitId: filter.sourceVisitId,
    });
    return listFile(
      format,
      stamped(PROBLEMS_FILE, at),
      {
        sheetName: PROBLEMS_FILE.name,
        title: exportTitle(PROBLEMS_FILE.name, describeProblemFilter(filter, names), at),
        columns: problemColumns(names),
      },
      this.problemsService.listAll(actor, filter),
    );
  }

  async visits(actor: Actor, filter: VisitFilter, format: ExportFormat): Promise<ExportFile> {
    const at = this.clock.now();
    const names = await this.names(actor, { userIds: [filter.commissionerId], enterpriseId: filter.enterpriseId });
    return listFile(
      format,
      stamped(VISITS_FILE, at),
      {
        sheetName: VISITS_FILE.name,
        title: exportTitle(VISITS_FILE.name, describeVisitFilter(filter, names), at),
        columns: visitColumns(names),
      },
      this.visitsService.listAll(actor, filter),
    );
  }

  /** The demand summary by district, by industry and by occupation category: a sheet each, as GET /demands/summary answers them. */
  async demandSummary(actor: Actor): Promise<ExportFile> {
    const at = this.clock.now();
    const summaries = await Promise.all(
      DEMAND_GROUPINGS.map((grouping) => this.demandsService.summary(actor, grouping)),
    );
    return workbookFile(
      stamped(DEMAND_SUMMARY_FILE, at),
      DEMAND_GROUPINGS.map((grouping, index) => demandSummarySheet(grouping, summaries[index], at, 'demandSummary')),
    );
  }

  /**
   * The dashboard as GET /dashboard answers it, its shortage charts as tables, and the whole
   * per-commissioner table (every row of GET /dashboard/commissioners): a sheet each.
   */
  async dashboard(actor: Actor): Promise<ExportFile> {
    const at = this.clock.now();
    const [view, workload, byDistrict, byIndustry] = await Promise.all([
      this.dashboardService.forActor(actor, at),
      this.dashboardService.allCommissioners(actor, at),
      this.demandsService.summary(actor, 'district'),
      this.demandsService.summary(actor, 'industry'),
    ]);
    return workbookFile(stamped(DASHBOARD_FILE, at), [
      dashboardFiguresSheet(view, at),
      demandSummarySheet('district', byDistrict, at, 'dashboard'),
      demandSummarySheet('industry', byIndustry, at, 'dashboard'),
      dashboardWorkloadSheet(workload, at, actor.role === 'commissioner'),
    ]);
  }

  /**
   * Reference names, and the names of the people, enterprise and visit a filter names. An
   * enterprise or visit outside the person's scope is shown by its id: its name is not theirs to see.
   */
  private async names(actor: Actor, ids: NamedIds): Promise<ExportNames> {
    const userIds = [...new Set(ids.userIds?.filter((id): id is string => !!id))];
    const [districts, industries, categories, users, enterprise, visit] = await Promise.all([
      this.reference.districts(),
      this.reference.industries(),
      this.reference.occupationCategories(),
      Promise.all(userIds.map((id) => this.users.findById(id))),
      ids.enterpriseId ? this.enterpriseRows.findInScope(actor, ids.enterpriseId) : null,
      ids.visitId ? this.visitRows.findVisible(actor, ids.visitId) : null,
    ]);
    const byCode = (rows: { code: string; name: string }[]) => new Map(rows.map((row) => [row.code, row.name]));
    const districtNames = byCode(districts);
    const industryNames = byCode(industries);
    const categoryNames = byCode(categories);
    const userNames = new Map(users.filter((user) => user !== null).map((user) => [user.id, user.displayName]));
    return {
      district: (code) => districtNames.get(code) ?? code,
      industry: (code) => industryNames.get(code) ?? code,
      occupationCategory: (code) => categoryNames.get(code) ?? code,
      user: (id) => userNames.get(id) ?? id,
      enterprise: (id) => (enterprise?.id === id ? enterprise.name : id),
      visit: (id) => (visit?.id === id ? `${beijingTime(visit.visitedAt)} ${visit.enterpriseName}` : id),
    };
  }
}

/** `企业台账-20261201-0930`: the list's name and the moment of export, in Beijing time. */
function stamped(file: FileName, at: Date): FileName {
  const stamp = fileStamp(at);
  return { name: `${file.name}-${stamp}`, ascii: `${file.ascii}-${stamp}` };
}

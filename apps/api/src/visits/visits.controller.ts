import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  EnterprisesService,
  ExportFormat,
  ExportsService,
  VisitPageView,
  VisitsService,
  VisitView,
} from '@keydesk/domain';
import { CurrentActor, MayAct } from '../auth/auth.guard';
import { FileRoute, sendExport } from '../http/export-response';
import { IdParam, PageQueryDto, splitPaging } from '../http/query.dto';
import { CreateVisitDto, VisitQueryDto } from './visits.dto';

const LIST_NOTE = "Exactly the list's filters, scope and sort; page, pageSize and after are accepted and ignored.";

@ApiTags('visits')
@ApiBearerAuth()
@Controller()
export class VisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly exports: ExportsService,
  ) {}

  @Post('enterprises/:id/visits')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertVisible(actor, id))
  @ApiOperation({
    summary: 'Log a visit, with the demands and problems found on it (all or nothing)',
    description:
      'Visits are records of what happened and are never edited: a correction is a new visit. ' +
      'A headcount updates the ledger; the next visit falls due at nextFollowUpAt or after the cadence.',
  })
  create(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Body() body: CreateVisitDto,
  ): Promise<VisitView> {
    return this.visits.create(actor, id, body);
  }

  @Get('enterprises/:id/visits')
  @ApiOperation({ summary: "An enterprise's visits, newest first" })
  async forEnterprise(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Query() query: PageQueryDto,
  ): Promise<VisitPageView> {
    return this.visits.listForEnterprise(actor, id, query.pageRequest);
  }

  @Get('visits')
  @ApiOperation({ summary: 'Visits in your scope, newest first' })
  list(@CurrentActor() actor: Actor, @Query() query: VisitQueryDto): Promise<VisitPageView> {
    const [page, filter] = splitPaging(query);
    return this.visits.list(actor, filter, page);
  }

  // The exports come before 'visits/:id', which would take `export.xlsx` for an id.
  @FileRoute('visits/export.xlsx', 'xlsx', 'The visit list as an Excel file', LIST_NOTE)
  exportXlsx(@CurrentActor() actor: Actor, @Query() query: VisitQueryDto, @Res() response: Response): Promise<void> {
    return this.export(actor, query, 'xlsx', response);
  }

  @FileRoute('visits/export.csv', 'csv', 'The visit list as a CSV file', LIST_NOTE)
  exportCsv(@CurrentActor() actor: Actor, @Query() query: VisitQueryDto, @Res() response: Response): Promise<void> {
    return this.export(actor, query, 'csv', response);
  }

  @Get('visits/:id')
  @ApiOperation({ summary: 'One visit' })
  get(@CurrentActor() actor: Actor, @IdParam('Visit') id: string): Promise<VisitView> {
    return this.visits.get(actor, id);
  }

  private export(actor: Actor, query: VisitQueryDto, format: ExportFormat, response: Response): Promise<void> {
    const [, filter] = splitPaging(query);
    return sendExport(response, () => this.exports.visits(actor, filter, format));
  }
}

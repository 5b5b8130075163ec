import { Body, Controller, Get, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  DemandPageView,
  DemandsService,
  DemandSummaryView,
  DemandView,
  EnterprisesService,
  ExportFormat,
  ExportsService,
} from '@keydesk/domain';
import { CurrentActor, MayAct } from '../auth/auth.guard';
import { FileRoute, sendExport } from '../http/export-response';
import { IdParam, splitPaging } from '../http/query.dto';
import { CreateDemandDto, DemandQueryDto, DemandSummaryQueryDto, UpdateDemandDto } from './demands.dto';

const LIST_NOTE = "Exactly the list's filters, scope and sort; page, pageSize and after are accepted and ignored.";

@ApiTags('demands')
@ApiBearerAuth()
@Controller()
export class DemandsController {
  constructor(
    private readonly demands: DemandsService,
    private readonly exports: ExportsService,
  ) {}

  @Post('enterprises/:id/demands')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertVisible(actor, id))
  @ApiOperation({ summary: 'Add a staffing demand to an enterprise' })
  create(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Body() body: CreateDemandDto,
  ): Promise<DemandView> {
    return this.demands.create(actor, id, body);
  }

  @Get('enterprises/:id/demands')
  @ApiOperation({ summary: "An enterprise's demands (default: open ones)" })
  async forEnterprise(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Query() query: DemandQueryDto,
  ): Promise<DemandPageView> {
    const [page, filter] = splitPaging(query);
    return this.demands.listForEnterprise(actor, id, filter, page);
  }

  @Get('demands/summary')
  @ApiOperation({
    summary: 'Open demands of active enterprises in your scope, grouped by district, industry or occupation category',
  })
  summary(@CurrentActor() actor: Actor, @Query() query: DemandSummaryQueryDto): Promise<DemandSummaryView> {
    return this.demands.summary(actor, query.groupBy);
  }

  @FileRoute(
    'demands/summary/export.xlsx',
    'xlsx',
    'The demand summary as an Excel file: a sheet by district, by industry and by occupation category, each with its totals',
  )
  summaryExport(@CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    return sendExport(response, () => this.exports.demandSummary(actor));
  }

  // The exports come before 'demands/:id', which would take `export.xlsx` for an id.
  @FileRoute('demands/export.xlsx', 'xlsx', 'The demand list as an Excel file', LIST_NOTE)
  exportXlsx(@CurrentActor() actor: Actor, @Query() query: DemandQueryDto, @Res() response: Response): Promise<void> {
    return this.export(actor, query, 'xlsx', response);
  }

  @FileRoute('demands/export.csv', 'csv', 'The demand list as a CSV file', LIST_NOTE)
  exportCsv(@CurrentActor() actor: Actor, @Query() query: DemandQueryDto, @Res() response: Response): Promise<void> {
    return this.export(actor, query, 'csv', response);
  }

  @Get('demands')
  @ApiOperation({ summary: 'The demand list: demands in your scope (default: open ones)' })
  list(@CurrentActor() actor: Actor, @Query() query: DemandQueryDto): Promise<DemandPageView> {
    const [page, filter] = splitPaging(query);
    return this.demands.list(actor, filter, page);
  }

  @Get('demands/:id')
  @ApiOperation({ summary: 'One demand' })
  get(@CurrentActor() actor: Actor, @IdParam('Demand') id: string): Promise<DemandView> {
    return this.demands.get(actor, id);
  }

  @Patch('demands/:id')
  @MayAct('Demand', DemandsService, (service, actor, id) => service.assertVisible(actor, id))
  @ApiOperation({ summary: 'Update a demand (with version); status cancelled is final' })
  update(
    @CurrentActor() actor: Actor,
    @IdParam('Demand') id: string,
    @Body() body: UpdateDemandDto,
  ): Promise<DemandView> {
    return this.demands.update(actor, id, body);
  }

  private export(actor: Actor, query: DemandQueryDto, format: ExportFormat, response: Response): Promise<void> {
    const [, filter] = splitPaging(query);
    return sendExport(response, () => this.exports.demands(actor, filter, format));
  }
}

import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  EnterpriseAssignmentView,
  EnterprisePageView,
  EnterpriseRevisionPageView,
  EnterprisesService,
  EnterpriseView,
  ExportFormat,
  ExportsService,
  ReassignEnterpriseWorkflow,
} from '@keydesk/domain';
import { CurrentActor, MayAct, Roles } from '../auth/auth.guard';
import { FileRoute, sendExport } from '../http/export-response';
import { IdParam, PageQueryDto, splitPaging } from '../http/query.dto';
import { AssignCommissionerDto, CreateEnterpriseDto, EnterpriseQueryDto, UpdateEnterpriseDto } from './enterprises.dto';

const LIST_NOTE = "Exactly the list's filters, scope and sort; page, pageSize and after are accepted and ignored.";

@ApiTags('enterprises')
@ApiBearerAuth()
@Controller('enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly reassignment: ReassignEnterpriseWorkflow,
    private readonly exports: ExportsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The ledger: enterprises in your scope' })
  list(@CurrentActor() actor: Actor, @Query() query: EnterpriseQueryDto): Promise<EnterprisePageView> {
    const [page, filter] = splitPaging(query);
    return this.enterprises.list(actor, filter, page);
  }

  @Post()
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Add an enterprise to the ledger (supervisor in their districts, admin)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateEnterpriseDto): Promise<EnterpriseView> {
    return this.enterprises.create(actor, body);
  }

  // The exports come before ':id', which would take `export.xlsx` for an id.
  @FileRoute('export.xlsx', 'xlsx', 'The ledger as an Excel file', LIST_NOTE)
  exportXlsx(
    @CurrentActor() actor: Actor,
    @Query() query: EnterpriseQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.export(actor, query, 'xlsx', response);
  }

  @FileRoute('export.csv', 'csv', 'The ledger as a CSV file', LIST_NOTE)
  exportCsv(
    @CurrentActor() actor: Actor,
    @Query() query: EnterpriseQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.export(actor, query, 'csv', response);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One enterprise with its derived figures' })
  get(@CurrentActor() actor: Actor, @IdParam('Enterprise') id: string): Promise<EnterpriseView> {
    return this.enterprises.get(actor, id);
  }

  @Patch(':id')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertVisible(actor, id))
  @ApiOperation({ summary: 'Change ledger fields (with version); commissioners: address, headcount, contact only' })
  update(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Body() body: UpdateEnterpriseDto,
  ): Promise<EnterpriseView> {
    return this.enterprises.update(actor, id, body);
  }

  @Post(':id/archive')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertMayManage(actor, id))
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive: leaves the default list, stays readable (supervisor, admin)' })
  archive(@CurrentActor() actor: Actor, @IdParam('Enterprise') id: string): Promise<EnterpriseView> {
    return this.enterprises.archive(actor, id);
  }

  @Post(':id/restore')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertMayManage(actor, id))
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived enterprise (supervisor, admin)' })
  restore(@CurrentActor() actor: Actor, @IdParam('Enterprise') id: string): Promise<EnterpriseView> {
    return this.enterprises.restore(actor, id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every revision, newest first: actor, time, {field: {from, to}}' })
  history(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Query() query: PageQueryDto,
  ): Promise<EnterpriseRevisionPageView> {
    return this.enterprises.history(actor, id, query.pageRequest);
  }

  @Put(':id/commissioner')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertMayManage(actor, id))
  @ApiOperation({ summary: 'Assign or reassign the commissioner, with a reason and the version (supervisor, admin)' })
  assign(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Body() body: AssignCommissionerDto,
  ): Promise<EnterpriseView> {
    return this.reassignment.run(actor, id, body);
  }

  @Get(':id/assignments')
  @ApiOperation({ summary: 'Assignment history with reasons, newest first' })
  assignments(@CurrentActor() actor: Actor, @IdParam('Enterprise') id: string): Promise<EnterpriseAssignmentView[]> {
    return this.enterprises.assignments(actor, id);
  }

  private export(actor: Actor, query: EnterpriseQueryDto, format: ExportFormat, response: Response): Promise<void> {
    const [, filter] = splitPaging(query);
    return sendExport(response, () => this.exports.enterprises(actor, filter, format));
  }
}

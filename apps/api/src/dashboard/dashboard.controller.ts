import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, DashboardCommissionerPageView, DashboardService, DashboardView, ExportsService } from '@keydesk/domain';
import { CurrentActor } from '../auth/auth.guard';
import { FileRoute, sendExport } from '../http/export-response';
import { DashboardCommissionerQueryDto } from './dashboard.dto';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly exports: ExportsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Headline figures for your scope; each agrees with the list it summarises',
    description: 'The per-commissioner table is GET /dashboard/commissioners.',
  })
  get(@CurrentActor() actor: Actor): Promise<DashboardView> {
    return this.dashboard.forActor(actor);
  }

  @Get('commissioners')
  @ApiOperation({
    summary: "Commissioners' workload in your scope, one page, sorted by the server",
    description:
      'A row per commissioner with active enterprises, visits in the last 30 days or open problems in your ' +
      'scope (a supervisor: their districts, or the city; a commissioner: their own enterprises, and the ' +
      'problems assigned to them elsewhere). Each figure agrees with the list it counts, filtered by that person.',
  })
  commissioners(
    @CurrentActor() actor: Actor,
    @Query() query: DashboardCommissionerQueryDto,
  ): Promise<DashboardCommissionerPageView> {
    const { page, pageSize, sort, districtCode } = query;
    return this.dashboard.commissioners(actor, { sort, districtCode }, { page, pageSize });
  }

  @FileRoute(
    'export.xlsx',
    'xlsx',
    'The dashboard as an Excel file',
    'Sheets: the headline figures, the shortage by district and by industry, and the workload by commissioner (every row).',
  )
  export(@CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    return sendExport(response, () => this.exports.dashboard(actor));
  }
}

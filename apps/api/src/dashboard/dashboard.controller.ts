import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, DashboardService, DashboardView, ExportsService } from '@keydesk/domain';
import { CurrentActor } from '../auth/auth.guard';
import { FileRoute, sendExport } from '../http/export-response';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly exports: ExportsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Figures for your scope; each agrees with the list it summarises' })
  get(@CurrentActor() actor: Actor): Promise<DashboardView> {
    return this.dashboard.forActor(actor);
  }

  @FileRoute(
    'export.xlsx',
    'xlsx',
    'The dashboard as an Excel file',
    'Sheets: the headline figures, the shortage by district and by industry, and the workload by commissioner.',
  )
  export(@CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    return sendExport(response, () => this.exports.dashboard(actor));
  }
}

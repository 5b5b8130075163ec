import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, DashboardService, DashboardView } from '@keydesk/domain';
import { CurrentActor } from '../auth/auth.guard';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiOperation({ summary: 'Figures for your scope; each agrees with the list it summarises' })
  get(@CurrentActor() actor: Actor): Promise<DashboardView> {
    return this.dashboard.forActor(actor);
  }
}

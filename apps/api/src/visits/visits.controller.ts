import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, EnterprisesService, VisitPageView, VisitsService, VisitView } from '@keydesk/domain';
import { CurrentActor, MayAct } from '../auth/auth.guard';
import { IdParam, PageQueryDto } from '../http/query.dto';
import { CreateVisitDto, VisitQueryDto } from './visits.dto';

@ApiTags('visits')
@ApiBearerAuth()
@Controller()
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

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
    const { page, pageSize, ...filter } = query;
    return this.visits.list(actor, filter, { page, pageSize });
  }

  @Get('visits/:id')
  @ApiOperation({ summary: 'One visit' })
  get(@CurrentActor() actor: Actor, @IdParam('Visit') id: string): Promise<VisitView> {
    return this.visits.get(actor, id);
  }
}

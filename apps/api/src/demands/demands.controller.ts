import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  DemandPageView,
  DemandsService,
  DemandSummaryView,
  DemandView,
  EnterprisesService,
} from '@keydesk/domain';
import { CurrentActor, MayAct } from '../auth/auth.guard';
import { IdParam } from '../http/query.dto';
import { CreateDemandDto, DemandQueryDto, DemandSummaryQueryDto, UpdateDemandDto } from './demands.dto';

@ApiTags('demands')
@ApiBearerAuth()
@Controller()
export class DemandsController {
  constructor(private readonly demands: DemandsService) {}

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
    const { page, pageSize, ...filter } = query;
    return this.demands.listForEnterprise(actor, id, filter, { page, pageSize });
  }

  @Get('demands/summary')
  @ApiOperation({
    summary: 'Open demands of active enterprises in your scope, grouped by district, industry or occupation category',
  })
  summary(@CurrentActor() actor: Actor, @Query() query: DemandSummaryQueryDto): Promise<DemandSummaryView> {
    return this.demands.summary(actor, query.groupBy);
  }

  @Get('demands')
  @ApiOperation({ summary: 'The demand list: demands in your scope (default: open ones)' })
  list(@CurrentActor() actor: Actor, @Query() query: DemandQueryDto): Promise<DemandPageView> {
    const { page, pageSize, ...filter } = query;
    return this.demands.list(actor, filter, { page, pageSize });
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
}

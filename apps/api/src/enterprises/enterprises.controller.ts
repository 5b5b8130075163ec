import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  EnterpriseAssignmentView,
  EnterprisePageView,
  EnterpriseRevisionPageView,
  EnterprisesService,
  EnterpriseView,
  ReassignEnterpriseWorkflow,
} from '@keydesk/domain';
import { CurrentActor, MayAct, Roles } from '../auth/auth.guard';
import { IdParam, PageQueryDto } from '../http/query.dto';
import { AssignCommissionerDto, CreateEnterpriseDto, EnterpriseQueryDto, UpdateEnterpriseDto } from './enterprises.dto';

@ApiTags('enterprises')
@ApiBearerAuth()
@Controller('enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly reassignment: ReassignEnterpriseWorkflow,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The ledger: enterprises in your scope' })
  list(@CurrentActor() actor: Actor, @Query() query: EnterpriseQueryDto): Promise<EnterprisePageView> {
    const { page, pageSize, ...filter } = query;
    return this.enterprises.list(actor, filter, { page, pageSize });
  }

  @Post()
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Add an enterprise to the ledger (supervisor in their districts, admin)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateEnterpriseDto): Promise<EnterpriseView> {
    return this.enterprises.create(actor, body);
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
}

import { Body, Controller, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  EnterprisesService,
  ExportFormat,
  ExportsService,
  PROBLEM_ACTIONS,
  ProblemAction,
  ProblemDetailView,
  ProblemPageView,
  ProblemsService,
} from '@keydesk/domain';
import { CurrentActor, MayAct } from '../auth/auth.guard';
import { FileRoute, sendExport } from '../http/export-response';
import { IdParam, splitPaging } from '../http/query.dto';
import { CreateProblemDto, ProblemQueryDto, TransitionDto, UpdateProblemDto } from './problems.dto';

const LIST_NOTE = "Exactly the list's filters, scope and sort; page, pageSize and after are accepted and ignored.";

@ApiTags('problems')
@ApiBearerAuth()
@Controller()
export class ProblemsController {
  constructor(
    private readonly problems: ProblemsService,
    private readonly exports: ExportsService,
  ) {}

  @Post('enterprises/:id/problems')
  @MayAct('Enterprise', EnterprisesService, (service, actor, id) => service.assertVisible(actor, id))
  @ApiOperation({ summary: 'Record a problem an enterprise raised' })
  create(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Body() body: CreateProblemDto,
  ): Promise<ProblemDetailView> {
    return this.problems.create(actor, id, body);
  }

  @Get('enterprises/:id/problems')
  @ApiOperation({ summary: "An enterprise's problems" })
  forEnterprise(
    @CurrentActor() actor: Actor,
    @IdParam('Enterprise') id: string,
    @Query() query: ProblemQueryDto,
  ): Promise<ProblemPageView> {
    const [page, filter] = splitPaging(query);
    return this.problems.listForEnterprise(actor, id, filter, page);
  }

  @Get('problems')
  @ApiOperation({
    summary: 'The problem-resolution list in your scope',
    description: 'The review queue is status=resolved: longest waiting first.',
  })
  list(@CurrentActor() actor: Actor, @Query() query: ProblemQueryDto): Promise<ProblemPageView> {
    const [page, filter] = splitPaging(query);
    return this.problems.list(actor, filter, page);
  }

  // The exports come before 'problems/:id', which would take `export.xlsx` for an id.
  @FileRoute('problems/export.xlsx', 'xlsx', 'The problem list as an Excel file', LIST_NOTE)
  exportXlsx(@CurrentActor() actor: Actor, @Query() query: ProblemQueryDto, @Res() response: Response): Promise<void> {
    return this.export(actor, query, 'xlsx', response);
  }

  @FileRoute('problems/export.csv', 'csv', 'The problem list as a CSV file', LIST_NOTE)
  exportCsv(@CurrentActor() actor: Actor, @Query() query: ProblemQueryDto, @Res() response: Response): Promise<void> {
    return this.export(actor, query, 'csv', response);
  }

  @Get('problems/:id')
  @ApiOperation({ summary: 'One problem with its timeline' })
  get(@CurrentActor() actor: Actor, @IdParam('Problem') id: string): Promise<ProblemDetailView> {
    return this.problems.get(actor, id);
  }

  @Patch('problems/:id')
  @MayAct('Problem', ProblemsService, (service, actor, id) => service.assertMayAct(actor, id, 'edit'))
  @ApiOperation({ summary: 'Edit title, description, category or priority (with version); not once closed' })
  update(
    @CurrentActor() actor: Actor,
    @IdParam('Problem') id: string,
    @Body() body: UpdateProblemDto,
  ): Promise<ProblemDetailView> {
    return this.problems.update(actor, id, body);
  }

  @Post('problems/:id/transitions')
  @MayAct('Problem', ProblemsService, async (service, actor, id, body) => {
    // The action decides who may. An unknown or missing one is left to validation, once the
    // problem is known to be in scope (anyone who sees a problem may comment on it).
    const action = (body as { action?: unknown } | undefined)?.action;
    await service.assertMayAct(
      actor,
      id,
      PROBLEM_ACTIONS.includes(action as ProblemAction) ? (action as ProblemAction) : 'comment',
    );
  })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a problem through its state machine, reassign it or comment on it',
    description:
      'start (open→in_progress; assignee, supervisor) · resolve (open|in_progress→resolved; assignee, supervisor; resolution) · ' +
      'approve (resolved→closed; supervisor, admin) · reject (resolved→in_progress; supervisor, admin; note) · ' +
      'reopen (closed→in_progress; supervisor, admin; note) · reassign (not closed; supervisor, admin; assigneeId) · ' +
      'comment (anyone who sees it; note). version is required except for comment.',
  })
  transition(
    @CurrentActor() actor: Actor,
    @IdParam('Problem') id: string,
    @Body() body: TransitionDto,
  ): Promise<ProblemDetailView> {
    return this.problems.transition(actor, id, body);
  }

  private export(actor: Actor, query: ProblemQueryDto, format: ExportFormat, response: Response): Promise<void> {
    const [, filter] = splitPaging(query);
    return sendExport(response, () => this.exports.problems(actor, filter, format));
  }
}

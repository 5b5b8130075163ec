import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CommissionerDirectoryPageView, UsersService } from '@keydesk/domain';
import { CurrentActor, Roles } from '../auth/auth.guard';
import { CommissionerDirectoryQueryDto } from './users.dto';

/** Who can be picked for a job: readable by supervisors, where /users is the admins' alone. */
@ApiTags('directory')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('directory')
export class DirectoryController {
  constructor(private readonly users: UsersService) {}

  @Get('commissioners')
  @ApiOperation({
    summary: 'Active commissioners by display name, to assign enterprises and problems to (supervisor, admin)',
    description: "`enterprises`: the active enterprises each serves, counted in the caller's districts.",
  })
  commissioners(
    @CurrentActor() actor: Actor,
    @Query() query: CommissionerDirectoryQueryDto,
  ): Promise<CommissionerDirectoryPageView> {
    return this.users.commissionerDirectory(actor, { q: query.q, id: query.id }, query.pageRequest);
  }
}

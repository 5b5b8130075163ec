import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, UserPageView, UsersService, UserView } from '@keydesk/domain';
import { CurrentActor, Roles } from '../auth/auth.guard';
import { IdParam } from '../http/query.dto';
import { CreateUserDto, UpdateUserDto, UserQueryDto } from './users.dto';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users (admin)' })
  list(@Query() query: UserQueryDto): Promise<UserPageView> {
    return this.users.list({ role: query.role, active: query.active, q: query.q }, query.pageRequest);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user (admin)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(actor, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  get(@IdParam('User') id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a user: role, districts, active, password reset (admin)' })
  update(@CurrentActor() actor: Actor, @IdParam('User') id: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.users.update(actor, id, body);
  }
}

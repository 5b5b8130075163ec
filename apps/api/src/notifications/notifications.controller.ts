import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, NotificationPageView, NotificationsService, NotificationView, ReadAllView } from '@keydesk/domain';
import { CurrentActor } from '../auth/auth.guard';
import { IdParam } from '../http/query.dto';
import { NotificationQueryDto } from './notifications.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'My reminders, newest first (`unread=true` for the unread ones)' })
  list(@CurrentActor() actor: Actor, @Query() query: NotificationQueryDto): Promise<NotificationPageView> {
    return this.notifications.list(actor, { unread: query.unread }, query.pageRequest);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read' })
  readAll(@CurrentActor() actor: Actor): Promise<ReadAllView> {
    return this.notifications.markAllRead(actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read (another person’s answers 404)' })
  read(@CurrentActor() actor: Actor, @IdParam('Notification') id: string): Promise<NotificationView> {
    return this.notifications.markRead(actor, id);
  }
}

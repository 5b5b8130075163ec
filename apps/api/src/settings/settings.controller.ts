import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, SettingsService, SettingsView } from '@keydesk/domain';
import { CurrentActor, Roles } from '../auth/auth.guard';
import { UpdateSettingsDto } from './settings.dto';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: 'SLA days, visit cadence by tier, reminder offsets (everyone may read)' })
  get(): Promise<SettingsView> {
    return this.settings.view();
  }

  @Patch()
  @Roles('admin')
  @ApiOperation({ summary: 'Change settings (admin, with version)' })
  update(@CurrentActor() actor: Actor, @Body() body: UpdateSettingsDto): Promise<SettingsView> {
    return this.settings.update(actor, body);
  }
}

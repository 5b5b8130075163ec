import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ChangeSettingsWorkflow, SettingsService, SettingsView } from '@keydesk/domain';
import { CurrentActor, Roles } from '../auth/auth.guard';
import { UpdateSettingsDto } from './settings.dto';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly changeSettings: ChangeSettingsWorkflow,
  ) {}

  @Get()
  @ApiOperation({ summary: 'SLA days, visit cadence by tier, reminder offsets (everyone may read)' })
  get(): Promise<SettingsView> {
    return this.settings.view();
  }

  @Patch()
  @Roles('admin')
  @ApiOperation({ summary: 'Change settings (admin, with version)' })
  update(@CurrentActor() actor: Actor, @Body() body: UpdateSettingsDto): Promise<SettingsView> {
    return this.changeSettings.run(actor, body);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Settings } from '@keydesk/database';

/** Reads the one settings row (seeded by migration). Editing it arrives with the settings endpoint. */
@Injectable()
export class SettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async current(manager: EntityManager = this.db.manager): Promise<Settings> {
    return manager.findOneByOrFail(Settings, { id: 1 });
  }
}

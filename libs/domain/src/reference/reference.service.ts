import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { District, Industry, OccupationCategory } from '@keydesk/database';

import { ReferenceItemView } from './reference-item.view';

/** Reference data is seeded by migration and changes rarely; reads are plain and cheap. */
@Injectable()
export class ReferenceService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async districts(): Promise<ReferenceItemView[]> {
    const rows = await this.db.getRepository(District).find({ order: { sortOrder: 'ASC' } });
    return rows.map(({ code, name }) => ({ code, name }));
  }

  async industries(): Promise<ReferenceItemView[]> {
    const rows = await this.db.getRepository(Industry).find({ order: { code: 'ASC' } });
    return rows.map(({ code, name }) => ({ code, name }));
  }

  async occupationCategories(): Promise<ReferenceItemView[]> {
    const rows = await this.db.getRepository(OccupationCategory).find({ order: { code: 'ASC' } });
    return rows.map(({ code, name }) => ({ code, name }));
  }
}

import { Injectable } from '@nestjs/common';
import { ReferenceRepository } from '../repositories/reference.repository';
import { ReferenceItemView } from './reference-item.view';

/** Reference data is seeded by migration and changes rarely; reads are plain and cheap. */
@Injectable()
export class ReferenceService {
  constructor(private readonly reference: ReferenceRepository) {}

  async districts(): Promise<ReferenceItemView[]> {
    return toItems(await this.reference.districts());
  }

  async industries(): Promise<ReferenceItemView[]> {
    return toItems(await this.reference.industries());
  }

  async occupationCategories(): Promise<ReferenceItemView[]> {
    return toItems(await this.reference.occupationCategories());
  }
}

const toItems = (rows: { code: string; name: string }[]): ReferenceItemView[] =>
  rows.map(({ code, name }) => ({ code, name }));

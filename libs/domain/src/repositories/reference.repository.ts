import { Injectable } from '@nestjs/common';
import { District, Industry, OccupationCategory } from '@keydesk/database';
import { TransactionContext } from '../transactions/transaction-context';

/** Reference data: districts, industries, occupation categories. */
@Injectable()
export class ReferenceRepository {
  constructor(private readonly tx: TransactionContext) {}

  /** Districts in the bureau's own order. */
  districts(): Promise<District[]> {
    return this.tx.manager.find(District, { order: { sortOrder: 'ASC' } });
  }

  industries(): Promise<Industry[]> {
    return this.tx.manager.find(Industry, { order: { code: 'ASC' } });
  }

  occupationCategories(): Promise<OccupationCategory[]> {
    return this.tx.manager.find(OccupationCategory, { order: { code: 'ASC' } });
  }

  isKnownDistrict(code: string): Promise<boolean> {
    return this.tx.manager.existsBy(District, { code });
  }

  isKnownIndustry(code: string): Promise<boolean> {
    return this.tx.manager.existsBy(Industry, { code });
  }

  isKnownOccupationCategory(code: string): Promise<boolean> {
    return this.tx.manager.existsBy(OccupationCategory, { code });
  }
}

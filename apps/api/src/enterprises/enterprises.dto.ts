import { ApiProperty, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { TIERS, type EnterpriseStatus, type Tier } from '@keydesk/database';
import { ENTERPRISE_SORT_FIELDS } from '@keydesk/domain';
import { sortValues } from '@keydesk/common';
import { PageQueryDto, QueryBoolean, QueryInt, Trim } from '../http/query.dto';
import { IsCreditCode, IsMainlandPhone, Omittable } from '../http/validators';

class EnterpriseFieldsDto {
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  /** Unified social credit code (18 characters, GB 32100-2015 check character), e.g. 91350100M000100Y43. */
  @IsCreditCode()
  creditCode: string;

  /** GB/T 4754-2017 section, A–T (see /reference/industries). */
  @Matches(/^[A-T]$/, { message: 'must be a GB/T 4754-2017 section letter A-T' })
  industryCode: string;

  /** See /reference/districts. */
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit district code' })
  districtCode: string;

  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  address: string;

  @IsIn(TIERS)
  tier: Tier;

  /** Total headcount (员工总数). */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  employeeCount: number;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  contactName: string;

  /** Mainland mobile (13912345678) or landline (0431-88886666). */
  @IsMainlandPhone()
  contactPhone: string;

  /** Days between visits; null or absent: the tier's default from settings. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(366)
  @ApiProperty({ required: false, nullable: true, type: Number })
  visitCadenceDays?: number | null;
}

export class CreateEnterpriseDto extends EnterpriseFieldsDto {
  /** The first commissioner (recorded as the first assignment); must be an active commissioner. */
  @Omittable()
  @IsUUID()
  commissionerId?: string;
}

/**
 * Any subset of the fields, with the version last read. Commissioners may change only
 * address, employeeCount, contactName and contactPhone.
 */
export class UpdateEnterpriseDto extends PartialType(EnterpriseFieldsDto, { skipNullProperties: false }) {
  @IsInt()
  @Min(1)
  version: number;
}

export class AssignCommissionerDto {
  /** An active commissioner. */
  @IsUUID()
  commissionerId: string;

  /** Why the enterprise changes hands; kept in the assignment history. */
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  reason: string;

  /** The enterprise's version last read: of two reassignments made from the same reading, one wins (409 for the other). */
  @IsInt()
  @Min(1)
  version: number;
}

const STATUS_FILTERS = ['active', 'archived', 'all'] as const;

export class EnterpriseQueryDto extends PageQueryDto {
  /** Substring of the name or the credit code. */
  @Omittable()
  @IsString()
  @MaxLength(100)
  q?: string;

  @Omittable()
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit district code' })
  districtCode?: string;

  @Omittable()
  @Matches(/^[A-T]$/, { message: 'must be a GB/T 4754-2017 section letter A-T' })
  industryCode?: string;

  @Omittable()
  @IsIn(TIERS)
  tier?: Tier;

  @Omittable()
  @IsUUID()
  commissionerId?: string;

  /** Default `active`; `all` lists archived ones too. */
  @Omittable()
  @IsIn(STATUS_FILTERS)
  status?: EnterpriseStatus | 'all';

  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  hasShortage?: boolean;

  /** Next visit due date has passed. */
  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  visitOverdue?: boolean;

  /** true: a commissioner serves the enterprise; false: none does yet (to be assigned). */
  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  hasCommissioner?: boolean;

  /**
   * Active enterprises whose next visit is due before now + this many days (0–366), the overdue
   * ones included; never-visited enterprises have no due date and are left out.
   */
  @Omittable()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(366)
  visitDueWithinDays?: number;

  /**
   * true: active enterprises with open demands none of which was updated within the window of the
   * "demand list stale" reminder (`reminderOffsets.demandStaleDays` in settings); false: all others.
   */
  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  demandsStale?: boolean;

  /** One of name, employeeCount, updatedAt, nextVisitDueAt, shortage; prefix `-` for descending. Default name. */
  @Omittable()
  @IsIn(sortValues(ENTERPRISE_SORT_FIELDS))
  sort?: string;
}

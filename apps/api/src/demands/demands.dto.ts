import { ApiProperty, PartialType } from '@nestjs/swagger';
import {
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
import { DEMAND_STATUSES, URGENCIES, type DemandStatus, type Urgency } from '@keydesk/database';
import { DEMAND_GROUPINGS, DEMAND_SORT_FIELDS, demandErrors, type DemandGrouping } from '@keydesk/domain';
import { sortValues } from '@keydesk/common';
import { PageQueryDto, Trim } from '../http/query.dto';
import { IsoDate, SatisfiesRule, Omittable } from '../http/validators';

const isInt = (value: unknown): value is number => Number.isInteger(value);

/**
 * The domain's demand rules over what the body itself says; only numbers that passed their own
 * checks are compared. A partial update without a headcount has its filled count checked against
 * the stored demand later, in the domain.
 */
function bodyDemandErrors(body: {
  headcount?: unknown;
  filledCount?: unknown;
  salaryMin?: unknown;
  salaryMax?: unknown;
}) {
  const headcount = isInt(body.headcount) ? body.headcount : null;
  return demandErrors({
    headcount: headcount ?? 1,
    filledCount: headcount !== null && isInt(body.filledCount) ? body.filledCount : 0,
    salaryMin: isInt(body.salaryMin) ? body.salaryMin : null,
    salaryMax: isInt(body.salaryMax) ? body.salaryMax : null,
  });
}

export class CreateDemandDto {
  /** Free text, e.g. 焊工, 数控车床操作工. */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  occupation: string;

  /** A code from /reference/occupation-categories, e.g. 6. */
  @IsString()
  @Matches(/^[0-9A-Z-]{1,16}$/, { message: 'must be an occupation category code' })
  occupationCategory: string;

  /** Workers needed (at least 1). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  headcount: number;

  /** Already filled (0..headcount); the demand is filled when it reaches headcount. */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(100_000)
  @SatisfiesRule(bodyDemandErrors)
  filledCount?: number;

  /** Skills, education, certificates. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  requirements?: string | null;

  /** CNY per month. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  @SatisfiesRule(bodyDemandErrors)
  @ApiProperty({ required: false, nullable: true, type: Number })
  salaryMin?: number | null;

  /** CNY per month, at least salaryMin. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  @ApiProperty({ required: false, nullable: true, type: Number })
  salaryMax?: number | null;

  /** YYYY-MM-DD, a day that exists, from 2000 on. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsoDate()
  neededBy?: string | null;

  /** Default normal. */
  @Omittable()
  @IsIn(URGENCIES)
  urgency?: Urgency;
}

/** Any subset of the fields with the version last read; `status: cancelled` cancels (final). */
export class UpdateDemandDto extends PartialType(CreateDemandDto, { skipNullProperties: false }) {
  @IsInt()
  @Min(1)
  version: number;

  /** Only `cancelled` can be set: open and filled follow from filledCount. */
  @Omittable()
  @IsIn(['cancelled'])
  status?: 'cancelled';
}

export class DemandQueryDto extends PageQueryDto {
  @Omittable()
  @IsUUID()
  enterpriseId?: string;

  /** The ones a visit found (its page lists them). */
  @Omittable()
  @IsUUID()
  sourceVisitId?: string;

  @Omittable()
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit district code' })
  districtCode?: string;

  @Omittable()
  @Matches(/^[A-T]$/, { message: 'must be a GB/T 4754-2017 section letter A-T' })
  industryCode?: string;

  @Omittable()
  @IsString()
  @MaxLength(16)
  occupationCategory?: string;

  /** Substring of the occupation. */
  @Omittable()
  @IsString()
  @MaxLength(100)
  occupation?: string;

  /** Default `open`; `all` for every status. */
  @Omittable()
  @IsIn([...DEMAND_STATUSES, 'all'])
  status?: DemandStatus | 'all';

  @Omittable()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  /** updatedAt (default, newest first), createdAt, neededBy, headcount, shortage; `-` for descending. */
  @Omittable()
  @IsIn(sortValues(DEMAND_SORT_FIELDS))
  sort?: string;
}

export class DemandSummaryQueryDto {
  @IsIn(DEMAND_GROUPINGS)
  groupBy: DemandGrouping;
}

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { VISIT_METHODS, type VisitMethod } from '@keydesk/database';
import { visitDateErrors } from '@keydesk/domain';
import { CreateDemandDto } from '../demands/demands.dto';
import { PageQueryDto, Trim } from '../http/query.dto';
import { IsoDateTime, SatisfiesRule, Omittable } from '../http/validators';
import { CreateProblemDto } from '../problems/problems.dto';

export class CreateVisitDto {
  /**
   * The client's own id for this visit (a UUID it makes before sending). Sent again by a retry
   * after a lost answer, it answers the visit already saved instead of saving a second one.
   */
  @Omittable()
  @IsUUID()
  clientRequestId?: string;

  /** When it happened; not in the future. */
  @IsoDateTime({ record: true })
  visitedAt: Date;

  @IsIn(VISIT_METHODS)
  method: VisitMethod;

  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(4000)
  summary: string;

  /** Headcount seen on the visit; updates the ledger (as a revision by the visit's author). */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  employeeCount?: number;

  @Omittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  nonLocalStaying?: number;

  @Omittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  unableToReturn?: number;

  @Omittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  returned?: number;

  /** Sets the next visit's due date instead of the cadence; after visitedAt, within a year of it. */
  @Omittable()
  @IsoDateTime({ record: true })
  @SatisfiesRule((visit: CreateVisitDto) =>
    visit.visitedAt instanceof Date && visit.nextFollowUpAt instanceof Date ? visitDateErrors(visit) : [],
  )
  nextFollowUpAt?: Date;

  /** Demands found on the visit, in the shape of POST /enterprises/:id/demands. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CreateDemandDto)
  demands?: CreateDemandDto[];

  /** Problems raised on the visit, in the shape of POST /enterprises/:id/problems. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CreateProblemDto)
  problems?: CreateProblemDto[];
}

export class VisitQueryDto extends PageQueryDto {
  /** The author. */
  @Omittable()
  @IsUUID()
  commissionerId?: string;

  @Omittable()
  @IsUUID()
  enterpriseId?: string;

  @Omittable()
  @IsoDateTime()
  from?: Date;

  @Omittable()
  @IsoDateTime()
  to?: Date;

  @Omittable()
  @IsIn(VISIT_METHODS)
  method?: VisitMethod;
}

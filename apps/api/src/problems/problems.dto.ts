import { IsIn, IsInt, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { PRIORITIES, PROBLEM_CATEGORIES, type Priority, type ProblemCategory } from '@keydesk/database';
import {
  PROBLEM_ACTIONS,
  PROBLEM_SORT_FIELDS,
  PROBLEM_STATUS_FILTERS,
  type ProblemAction,
  type ProblemStatusFilter,
} from '@keydesk/domain';
import { sortValues } from '@keydesk/common';
import { PageQueryDto, QueryBoolean, Trim } from '../http/query.dto';
import { IsoDateTime, Omittable } from '../http/validators';
import { IsBoolean } from 'class-validator';

export class CreateProblemDto {
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title: string;

  @Omittable()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @IsIn(PROBLEM_CATEGORIES)
  category: ProblemCategory;

  /** Default normal; sets the due date through the SLA settings. */
  @Omittable()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /** Default: the enterprise's commissioner. Must be an active commissioner. */
  @Omittable()
  @IsUUID()
  assigneeId?: string;

  /** When the enterprise raised it; default now; may lie in the past, not the future. */
  @Omittable()
  @IsoDateTime({ record: true })
  reportedAt?: Date;
}

export class UpdateProblemDto {
  @Omittable()
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title?: string;

  @Omittable()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @Omittable()
  @IsIn(PROBLEM_CATEGORIES)
  category?: ProblemCategory;

  /** A new priority recomputes dueAt from reportedAt. */
  @Omittable()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @IsInt()
  @Min(1)
  version: number;
}

export class TransitionDto {
  /** start, resolve, approve, reject, reopen, reassign, comment (see the state machine). */
  @IsIn(PROBLEM_ACTIONS)
  action: ProblemAction;

  /** Required for every action but comment. */
  @Omittable()
  @IsInt()
  @Min(1)
  version?: number;

  /** Required for reject, reopen and comment. */
  @Omittable()
  @IsString()
  @MaxLength(4000)
  note?: string;

  /** Required for resolve. */
  @Omittable()
  @IsString()
  @MaxLength(4000)
  resolution?: string;

  /** Required for reassign: an active commissioner. */
  @Omittable()
  @IsUUID()
  assigneeId?: string;
}

export class ProblemQueryDto extends PageQueryDto {
  /**
   * One status, or `open_or_in_progress` (still being worked); every status by default, and `all`
   * says the same (as on /enterprises and /demands).
   */
  @Omittable()
  @IsIn(PROBLEM_STATUS_FILTERS)
  status?: ProblemStatusFilter;

  @Omittable()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @Omittable()
  @IsIn(PROBLEM_CATEGORIES)
  category?: ProblemCategory;

  @Omittable()
  @IsUUID()
  assigneeId?: string;

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

  /** true: past due and still open or in progress. */
  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  overdue?: boolean;

  /** true: escalated to the admins (escalationLevel 2, "problem long overdue"); false: not (yet). */
  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  escalated?: boolean;

  /**
   * dueAt, reportedAt, priority, updatedAt; `-` for descending. Default dueAt, except for
   * status=resolved (the review queue): longest waiting first.
   */
  @Omittable()
  @IsIn(sortValues(PROBLEM_SORT_FIELDS))
  sort?: string;
}

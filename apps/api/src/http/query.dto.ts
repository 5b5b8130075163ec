import { Param, ParseUUIDPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsEmpty, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, NotFoundError, PageRequest } from '@keydesk/common';
import { MAX_CURSOR_LENGTH } from '@keydesk/database';
import { Omittable } from './validators';

/** `page` from 1 (at most 1 000 000), `pageSize` 1–100 (SPEC "Lists"). */
abstract class PageNumberDto {
  /** 1 when absent. */
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  /** 20 when absent; at most 100. */
  @ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, minimum: 1, maximum: MAX_PAGE_SIZE })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = DEFAULT_PAGE_SIZE;
}

/**
 * A list's paging: `page` and `pageSize`, and `after`, the `nextCursor` of the page before, which
 * finds the next page without walking past every row before it.
 */
export class PageQueryDto extends PageNumberDto implements PageRequest {
  /**
   * The `nextCursor` of the page before, sent with `page` = its page + 1 (echoed back, not used to
   * skip rows): the page starts right after the row the cursor names, in the list's current sort,
   * however deep. `total` is counted as without it. A malformed cursor, or one of another list or
   * sort, answers 400: start again from page 1. Cursors are not signed: one rewritten by hand
   * starts where it says, within the caller's scope like any page.
   */
  @ApiPropertyOptional({ maxLength: MAX_CURSOR_LENGTH })
  @Omittable()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'must be a nextCursor of this list' })
  after?: string;

  get pageRequest(): PageRequest {
    return { page: this.page, pageSize: this.pageSize, after: this.after };
  }
}

/**
 * The paging of a list that pages by page number only (its sort is computed, so a cursor would
 * not help): `after` answers 400 rather than being ignored, and its answer has no `nextCursor`.
 */
export class PageNumberQueryDto extends PageNumberDto implements PageRequest {
  @ApiHideProperty()
  @Omittable()
  @IsEmpty({ message: 'this list pages by page number only' })
  after?: never;

  get pageRequest(): PageRequest {
    return { page: this.page, pageSize: this.pageSize };
  }
}

/** A list query's paging and its filters apart, so that paging never reaches a filter (or an export). */
export function splitPaging<Q extends PageQueryDto>(
  query: Q,
): [PageRequest, Omit<Q, 'page' | 'pageSize' | 'after' | 'pageRequest'>] {
  const { page, pageSize, after, ...filter } = query;
  return [{ page, pageSize, after }, filter];
}

/** `true`/`false` in a query string; anything else stays as it is and fails @IsBoolean. */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/**
 * An integer in a query string (`7`, `-1`); anything else (`1.5`, `1e3`, an empty value) stays
 * as it is and fails @IsInt, where `Number()` would make `''` a 0.
 */
export const QueryInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value,
  );

/** Trims surrounding whitespace from a string field; leaves other types for the validators to refuse. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A route id: anything that is not a UUID cannot exist, so it answers 404 like an absent one. */
export const IdParam = (what: string) =>
  Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundError(what) }));

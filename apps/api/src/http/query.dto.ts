import { Param, ParseUUIDPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, NotFoundError, PageRequest } from '@keydesk/common';

/** `page` from 1 (at most 1 000 000), `pageSize` 1–100 (SPEC "Lists"). */
export class PageQueryDto implements PageRequest {
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

  get pageRequest(): PageRequest {
    return { page: this.page, pageSize: this.pageSize };
  }
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

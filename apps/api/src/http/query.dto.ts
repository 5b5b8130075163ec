import { Param, ParseUUIDPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, NotFoundError, PageRequest } from '@keydesk/common';

/** `page` from 1 (at most 1 000 000), `pageSize` 1–100 (SPEC "Lists"). */
export class PageQueryDto implements PageRequest {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

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

/** Trims surrounding whitespace from a string field; leaves other types for the validators to refuse. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A route id: anything that is not a UUID cannot exist, so it answers 404 like an absent one. */
export const IdParam = (what: string) =>
  Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundError(what) }));

import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, registerDecorator, ValidateIf, ValidationArguments, ValidationOptions } from 'class-validator';
import type { FieldError } from '@keydesk/common';
import { isMainlandPhone, isValidCreditCode } from '@keydesk/domain';

/**
 * The field may be left out, but when sent it is checked like any other, null included (class-
 * validator's IsOptional lets null through, and a NOT NULL column then answers 500). Fields that
 * may be emptied say so: `@IsOptional() @ValidateIf((_, value) => value !== null)`.
 */
export const Omittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** A unified social credit code with a correct GB 32100-2015 check character. */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCreditCode',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a valid unified social credit code (GB 32100-2015)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidCreditCode(value) },
    });
}

/** A mainland mobile or landline number. */
export function IsMainlandPhone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMainlandPhone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a mainland mobile (11 digits) or landline number (0431-88886666)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isMainlandPhone(value) },
    });
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A day that exists: 2024-02-29 does, 2025-02-29 and 2026-02-31 do not (JavaScript would roll them over). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** An ISO 8601 date-time with an offset that names a real moment, or null. */
export function parseIsoDateTime(value: string): Date | null {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (!isCalendarDay(year!, month!, day!) || hour! > 23 || minute! > 59 || second > 59) return null;
  if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A YYYY-MM-DD date that exists on the calendar. */
export function isIsoDate(value: unknown): value is string {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  return !!match && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Every date the API takes lies in a window: records (a visit, a problem's reportedAt, a demand's
 * neededBy) not before 2000, anything else (filters) not before 1900; nothing from 2200 on.
 * Days start in Beijing, as the bureau's calendar does. Clock-dependent rules (not in the
 * future) are the domain's.
 */
export const RECORDS_FROM = '2000-01-01';
const ANY_FROM = '1900-01-01';
const UNTIL = '2199-12-31';
const startOfDay = (day: string) => new Date(`${day}T00:00:00+08:00`).getTime();
const endOfDay = (day: string) => startOfDay(day) + 24 * 3600 * 1000;

function windowMessage(time: number, from: string, until: string): string | null {
  if (time < startOfDay(from)) return `must not be before ${from}`;
  if (time >= endOfDay(until)) return `must not be after ${until}`;
  return null;
}

function InDateWindow(from: string, until: string, timeOf: (value: unknown) => number | null): PropertyDecorator {
  const message = (value: unknown) => {
    const time = timeOf(value);
    return time === null ? null : windowMessage(time, from, until);
  };
  return (target, propertyName) =>
    registerDecorator({
      name: 'inDateWindow',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => message(value) === null,
        defaultMessage: (args?: ValidationArguments) => (args && message(args.value)) ?? 'is not valid',
      },
    });
}

/**
 * An ISO 8601 date-time with an offset (`2026-11-27T09:30:00+08:00`) on the calendar and in the
 * window, turned into a Date; `{ record: true }` for the date of something that happened.
 */
export function IsoDateTime(options: { record?: boolean } = {}): PropertyDecorator {
  const toDate = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (parseIsoDateTime(value) ?? value) : value,
  );
  const check = IsDate({ message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-27T09:30:00+08:00' });
  const window = InDateWindow(options.record ? RECORDS_FROM : ANY_FROM, UNTIL, (value) =>
    value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : null,
  );
  const document = ApiProperty({ type: String, format: 'date-time' });
  return (target, propertyName) => {
    toDate(target, propertyName);
    check(target, propertyName);
    window(target, propertyName);
    document(target, propertyName);
  };
}

/** A YYYY-MM-DD date that exists, from 2000 on (a day in Beijing, kept as written). */
export function IsoDate(): PropertyDecorator {
  const check = registerCheck('isIsoDate', 'must be a date YYYY-MM-DD', isIsoDate);
  const window = InDateWindow(RECORDS_FROM, UNTIL, (value) => (isIsoDate(value) ? startOfDay(value) : null));
  const document = ApiProperty({ required: false, nullable: true, type: String, format: 'date' });
  return (target, propertyName) => {
    check(target, propertyName);
    window(target, propertyName);
    document(target, propertyName);
  };
}

function registerCheck(name: string, message: string, validate: (value: unknown) => boolean): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message },
      validator: { validate },
    });
}

/**
 * A domain rule across fields (salaryMin ≤ salaryMax, filledCount ≤ headcount), checked with the
 * field rules so that one answer names every fault, inline items included (`demands.1.filledCount`).
 * `rule` sees the object being validated and returns the domain's errors; this field reports its own.
 */
export function SatisfiesRule<T extends object>(rule: (object: T) => FieldError[]): PropertyDecorator {
  const errorFor = (args: ValidationArguments) => rule(args.object as T).find((e) => e.field === args.property);
  return (target, propertyName) =>
    registerDecorator({
      name: 'satisfiesRule',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => !errorFor(args),
        defaultMessage: (args?: ValidationArguments) => (args && errorFor(args)?.message) ?? 'is not valid',
      },
    });
}

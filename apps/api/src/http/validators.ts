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

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with an offset (`2026-11-27T09:30:00+08:00`), turned into a Date. */
export function IsoDateTime(): PropertyDecorator {
  const toDate = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && ISO_DATE_TIME.test(value) ? new Date(value) : value,
  );
  const check = IsDate({ message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-27T09:30:00+08:00' });
  const document = ApiProperty({ type: String, format: 'date-time' });
  return (target, propertyName) => {
    toDate(target, propertyName);
    check(target, propertyName);
    document(target, propertyName);
  };
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

import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, InvalidInputError } from '@keydesk/common';
import { boundedField, MAX_FIELD_ERRORS } from './input-bounds';

/** Flattens class-validator's tree into `{field, message}` with dotted paths (`demands.0.headcount`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    // A field that is absent (or null where it may not be) breaks every rule it has; naming them
    // all ("must be a string", "must be longer than…") hides the one thing to say.
    if (
      (error.value === undefined || error.value === null) &&
      constraints.length &&
      !error.constraints?.whitelistValidation
    ) {
      return [{ field, message: error.value === null ? 'must not be null' : 'is required' }];
    }
    const own = constraints.map(([constraint, message]) => ({
      field,
      message:
        constraint === 'whitelistValidation'
          ? 'is not a known field'
          : message.startsWith(`${error.property} `)
            ? message.slice(error.property.length + 1)
            : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** One answer names the first few dozen faults (field names shortened) and counts the rest. */
export function invalidInput(errors: FieldError[]): InvalidInputError {
  if (errors.length <= MAX_FIELD_ERRORS && errors.every((e) => boundedField(e.field) === e.field)) {
    return InvalidInputError.fields(errors);
  }
  const named = errors.slice(0, MAX_FIELD_ERRORS).map((e) => ({ field: boundedField(e.field), message: e.message }));
  const more = errors.length - named.length;
  const message = named.map((error) => `${error.field} ${error.message}`).join('; ');
  return new InvalidInputError(more > 0 ? `${message}; and ${more} more` : message, named);
}

/**
 * Arrays longer than their `@ArrayMaxSize` are refused before class-transformer turns each item
 * into an instance and class-validator checks it: 10 000 inline demands cost seconds otherwise.
 */
function overLongArrays(metatype: unknown, value: unknown): FieldError[] {
  if (typeof metatype !== 'function' || value === null || typeof value !== 'object') return [];
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
  const errors: FieldError[] = [];
  for (const metadata of metadatas) {
    if (metadata.name !== 'arrayMaxSize') continue;
    const max = Number(metadata.constraints?.[0]);
    const items = (value as Record<string, unknown>)[metadata.propertyName];
    if (Array.isArray(items) && items.length > max) {
      errors.push({ field: metadata.propertyName, message: `must contain no more than ${max} elements` });
    }
  }
  return errors;
}

class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const errors = overLongArrays(metadata.metatype, value);
    if (errors.length) throw invalidInput(errors);
    return super.transform(value, metadata);
  }
}

/** Unknown fields are refused, types converted, and every failure named by field. */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // The value is kept only to tell an absent field apart; it is never sent back.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => invalidInput(flattenValidationErrors(errors)),
  });
}

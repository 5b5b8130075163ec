import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, InvalidInputError } from '@keydesk/common';

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

/** Unknown fields are refused, types converted, and every failure named by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // The value is kept only to tell an absent field apart; it is never sent back.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => InvalidInputError.fields(flattenValidationErrors(errors)),
  });
}

import { registerDecorator, ValidationOptions } from 'class-validator';
import { isMainlandPhone, isValidCreditCode } from '@keydesk/domain';

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

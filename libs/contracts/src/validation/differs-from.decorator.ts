import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * The value must differ, ignoring case and surrounding spaces, from another property of the
 * same object: a password equal to the account's email is the first one an attacker tries.
 */
export function DiffersFrom(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'differsFrom',
      constraints: [property],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown>)[property];
          return (
            typeof value !== 'string' ||
            typeof other !== 'string' ||
            value.trim().toLowerCase() !== other.trim().toLowerCase()
          );
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must not be the same as ${property}`,
      },
    },
    options,
  );
}

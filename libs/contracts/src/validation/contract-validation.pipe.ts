import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldError } from '../errors/error-reply';
import { MalformedRequestError } from '../errors/malformed-request.error';
import { ValidationFailedError } from '../errors/validation-failed.error';
import { MalformedPayload } from './malformed-payload';

/**
 * The one validation every edge applies, HTTP bodies and message payloads alike: unknown
 * properties are refused (not silently dropped), values are transformed into the DTO class,
 * and failures become `VALIDATION_FAILED` with one entry per offending field.
 */
@Injectable()
export class ContractValidationPipe implements PipeTransform {
  private readonly pipe = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (value instanceof MalformedPayload) {
      throw new MalformedRequestError(value.reason);
    }
    if (isDto(metadata) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ValidationFailedError(undefined, 'Request body must be a JSON object');
    }
    return this.pipe.transform(value, metadata);
  }
}

function isDto(metadata: ArgumentMetadata): boolean {
  const { metatype, type } = metadata;
  return (
    (type === 'body' || type === 'custom') &&
    typeof metatype === 'function' &&
    ![String, Number, Boolean, Array, Object].includes(metatype as never)
  );
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldError } from '../errors/error-reply';
import { MalformedRequestError } from '../errors/malformed-request.error';
import { ValidationFailedError } from '../errors/validation-failed.error';
import { MalformedPayload } from './malformed-payload';
import { UNSTORABLE_TEXT_MESSAGE, unstorableTextFields } from './storable-text';
import { ValidationMemo } from './validation-memo';

/**
 * How many field errors a refusal lists. A payload may break its contract in as many places as
 * it has properties: every one listed made the reply of a 200 KB payload larger than NATS
 * carries (`max_payload`, 1 MiB by default), and the caller got none.
 */
const MAX_FIELD_ERRORS = 20;

/**
 * The one validation every edge applies, HTTP bodies and message payloads alike: unknown
 * properties are refused (not silently dropped), values are transformed into the DTO class,
 * and failures become `VALIDATION_FAILED` with one entry per offending field, the first
 * `MAX_FIELD_ERRORS` of them. Every string a DTO declares must be storable text
 * (`isStorableText`), so that no contract, present or future, lets U+0000 or a lone surrogate
 * reach the database as a 500 or as a half-written state.
 */
@Injectable()
export class ContractValidationPipe implements PipeTransform {
  private readonly pipe = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });

  private readonly memo = new ValidationMemo();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value instanceof MalformedPayload) {
      throw new MalformedRequestError(value.reason);
    }
    if (isDto(metadata) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ValidationFailedError(undefined, 'Request body must be a JSON object');
    }
    // Nest validates every parameter but custom decorators' (`validateCustomDecorators`).
    const key = metadata.type === 'custom' ? undefined : this.memo.keyOf(value, metadata.metatype);
    if (key === undefined) return this.validate(value, metadata);
    const metatype = metadata.metatype as new () => object;
    const known = this.memo.recall(metatype, key);
    if (known) return known;
    const validated = await this.validate(value, metadata);
    this.memo.remember(metatype, key, validated);
    return validated;
  }

  private async validate(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated: unknown = await this.pipe.transform(value, metadata);
    // What a custom decorator gives (the principal) is the platform's own, not the caller's.
    if (metadata.type === 'custom') return validated;
    const unstorable = unstorableTextFields(validated);
    if (unstorable.length > 0) {
      throw new ValidationFailedError(
        unstorable.map((field) => ({ field, messages: [`${field} ${UNSTORABLE_TEXT_MESSAGE}`] })),
      );
    }
    return validated;
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

function validationFailed(errors: FieldError[]): ValidationFailedError {
  if (errors.length <= MAX_FIELD_ERRORS) return new ValidationFailedError(errors);
  const more = errors.length - MAX_FIELD_ERRORS;
  return new ValidationFailedError(
    errors.slice(0, MAX_FIELD_ERRORS),
    `Request validation failed (and ${more} more field errors)`,
  );
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

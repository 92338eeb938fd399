/** Remembered payloads per DTO class: enough for the ids a busy replica sees again and again. */
const MAX_ENTRIES = 1000;
/** A payload longer than this as JSON is validated every time. */
const MAX_KEY_LENGTH = 512;

const MEMOIZED = Symbol('validation memo');

/**
 * Marks a DTO whose validated payloads a `ContractValidationPipe` may remember (see
 * `ValidationMemo`). Only for DTOs that carry no secret (a remembered payload stays in memory)
 * and whose rules are pure functions of the payload, as `class-validator`'s built-in ones are:
 * the ids of reads (`GetUserDto`, `GetOrderDto`), which a client repeats with every request.
 */
export function MemoizedValidation(): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, MEMOIZED, { value: true });
  };
}

type Flat = Record<string, string | number | boolean | null | undefined>;

/**
 * What a payload of a `@MemoizedValidation()` DTO was validated and transformed into, by its
 * JSON, so that the same payload again skips `class-transformer` and `class-validator`, which
 * were a tenth of a service's time for a one-field DTO. Only flat payloads (strings, finite
 * numbers other than -0, booleans, null: what JSON says exactly) that passed and became a flat
 * instance are remembered; a refused payload is validated anew every time, so every refusal
 * is the same 400 with the same field errors. A remembered result is handed out as a fresh
 * instance of the DTO with the same own properties, in the same order, as the first one had.
 */
export class ValidationMemo {
  private readonly results = new WeakMap<object, Map<string, Flat>>();

  /** The key of `value` for DTO class `metatype`, when it may be remembered. */
  keyOf(value: unknown, metatype: unknown): string | undefined {
    if (typeof metatype !== 'function' || !Object.hasOwn(metatype, MEMOIZED)) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!isPlainRecord(value)) return undefined;
    for (const field of Object.values(value)) if (!isExactInJson(field)) return undefined;
    const key = JSON.stringify(value);
    return key.length <= MAX_KEY_LENGTH ? key : undefined;
  }

  /** A fresh instance equal to what `key` was validated into, if remembered. */
  recall(metatype: new () => object, key: string): object | undefined {
    const result = this.results.get(metatype)?.get(key);
    return result && Object.assign(Object.create(metatype.prototype) as object, result);
  }

  /** Remembers what `key` was validated into, if that is a flat instance. */
  remember(metatype: new () => object, key: string, instance: unknown): void {
    if (typeof instance !== 'object' || instance === null) return;
    const own = { ...instance } as Flat;
    for (const field of Object.values(own)) {
      if (field !== undefined && !isExactInJson(field)) return;
    }
    let results = this.results.get(metatype);
    if (!results) {
      results = new Map();
      this.results.set(metatype, results);
    }
    if (results.size >= MAX_ENTRIES) results.delete(results.keys().next().value!);
    results.set(key, Object.freeze(own));
  }
}

/**
 * A plain object, a null-prototype one, or one whose prototype is an empty object of null
 * prototype: Fastify's route parameters are the latter (find-my-way's `NullObject`), so that
 * `GET /v1/orders/:id` is remembered as the same payload over messages is. Whatever else has a
 * prototype may inherit properties the payload's JSON does not show.
 */
function isPlainRecord(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) return true;
  return Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0;
}

function isExactInJson(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0))
  );
}

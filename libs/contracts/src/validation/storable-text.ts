/**
 * U+0000, which PostgreSQL's `text` cannot hold ("invalid byte sequence for encoding UTF8:
 * 0x00") nor `jsonb` ("unsupported Unicode escape sequence"), and a UTF-16 surrogate without
 * its pair, which has no UTF-8 form (Unicode 3.9 D92): a driver either fails on it or silently
 * turns it into U+FFFD, so two different inputs would be stored as one. Matched by code unit
 * (no `u` flag), which is how a lone surrogate shows.
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a refused field's message says, naming the field and never repeating its value. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain a NUL character or an unpaired surrogate';

/** Whether `value` is text the platform can store and compare as it was given. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * The dotted paths (`items.0.name`) of the strings in a validated DTO that are not storable
 * text: its own properties, its arrays and the DTOs nested in it. A plain object inside a DTO
 * is a free-form record (an OAuth form's parameters, client metadata) whose owner reads it
 * field by field and answers in its own protocol's terms, so it is not looked into here.
 */
export function unstorableTextFields(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => unstorableTextFields(item, `${path}.${index}`));
  }
  if (!isDtoInstance(value)) return [];
  return Object.entries(value).flatMap(([name, field]) =>
    unstorableTextFields(field, path ? `${path}.${name}` : name),
  );
}

function isDtoInstance(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype !== null && prototype !== Object.prototype;
}

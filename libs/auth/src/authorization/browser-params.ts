import { isStorableText } from '@platform/contracts';

/**
 * The parameters of a hosted page's request, read by name: a parameter sent without a value
 * counts as omitted (RFC 6749 3.1). One sent more than once (RFC 6749 3.1: "Request and
 * response parameters MUST NOT be included more than once", except `resource`, RFC 8707 2), or
 * whose value is not storable text (`isStorableText`: U+0000, an unpaired surrogate), is
 * reported as malformed, never guessed at.
 */
export class BrowserParams {
  private readonly values = new Map<string, string[]>();
  readonly malformed: string[] = [];

  constructor(raw: Record<string, string | string[]> | undefined) {
    for (const [name, value] of Object.entries(raw ?? {})) {
      const values = (Array.isArray(value) ? value : [value]).filter(
        (entry) => typeof entry === 'string' && entry !== '',
      );
      if (
        (values.length > 1 && name !== 'resource') ||
        values.some((entry) => !isStorableText(entry))
      ) {
        this.malformed.push(name);
      } else if (values.length > 0) this.values.set(name, values);
    }
  }

  get(name: string): string | undefined {
    const values = this.values.get(name);
    return values?.length === 1 ? values[0] : undefined;
  }

  /** Every value of `resource`, the one parameter that may repeat. */
  all(name: 'resource'): readonly string[] {
    return this.values.get(name) ?? [];
  }

  isMalformed(name: string): boolean {
    return this.malformed.includes(name);
  }
}

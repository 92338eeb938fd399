import { isStorableText } from '@platform/contracts';

/**
 * The parameters of a hosted page's request, read by name: a parameter sent without a value
 * counts as omitted (RFC 6749 3.1). One sent more than once (RFC 6749 3.1: "Request and
 * response parameters MUST NOT be included more than once"), or whose value is not storable
 * text (`isStorableText`: U+0000, an unpaired surrogate), is reported as malformed, never
 * guessed at.
 */
export class BrowserParams {
  private readonly single = new Map<string, string>();
  readonly malformed: string[] = [];

  constructor(raw: Record<string, string | string[]> | undefined) {
    for (const [name, value] of Object.entries(raw ?? {})) {
      const values = (Array.isArray(value) ? value : [value]).filter(
        (entry) => typeof entry === 'string' && entry !== '',
      );
      if (values.length > 1 || values.some((entry) => !isStorableText(entry))) {
        this.malformed.push(name);
      } else if (values.length === 1) this.single.set(name, values[0]);
    }
  }

  get(name: string): string | undefined {
    return this.single.get(name);
  }

  isMalformed(name: string): boolean {
    return this.malformed.includes(name);
  }
}

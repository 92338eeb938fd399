/**
 * The parameters of a hosted page's request, read by name: a parameter sent without a value
 * counts as omitted (RFC 6749 3.1), and one sent more than once is reported, never guessed at
 * (RFC 6749 3.1: "Request and response parameters MUST NOT be included more than once").
 */
export class BrowserParams {
  private readonly single = new Map<string, string>();
  readonly repeated: string[] = [];

  constructor(raw: Record<string, string | string[]> | undefined) {
    for (const [name, value] of Object.entries(raw ?? {})) {
      const values = (Array.isArray(value) ? value : [value]).filter(
        (entry) => typeof entry === 'string' && entry !== '',
      );
      if (values.length > 1) this.repeated.push(name);
      else if (values.length === 1) this.single.set(name, values[0]);
    }
  }

  get(name: string): string | undefined {
    return this.single.get(name);
  }

  isRepeated(name: string): boolean {
    return this.repeated.includes(name);
  }
}

import { rememberSecret } from './secrets.ts';

/** One answer of the platform to the agent, before any redirect is followed. */
export interface PageResult {
  /** The URL the page was asked for: what its links and forms resolve against. */
  url: string;
  status: number;
  headers: Headers;
  body: string;
  /** `Location`, resolved against the request's URL. */
  location?: string;
}

/**
 * A browser as far as the hosted pages can tell, without one: it keeps the cookies the
 * platform sets (per name, as one host's cookies), sends them back, never follows a redirect
 * on its own, and reads forms out of the HTML. For the suites that drive the code flow
 * request by request; `hosted-login.e2e-spec.ts` drives a real Chromium.
 */
export class BrowserAgent {
  readonly cookies = new Map<string, string>();
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async get(pathOrUrl: string): Promise<PageResult> {
    return this.request('GET', pathOrUrl);
  }

  /** Posts a form, as a browser submits one. */
  async post(pathOrUrl: string, fields: Record<string, string>): Promise<PageResult> {
    return this.request('POST', pathOrUrl, new URLSearchParams(fields).toString());
  }

  /** Submits the page's form (its hidden fields, plus `fields`) to its action. */
  async submit(page: PageResult, fields: Record<string, string> = {}): Promise<PageResult> {
    const form = formOf(page);
    return this.post(form.action, { ...form.fields, ...fields });
  }

  private async request(method: string, pathOrUrl: string, body?: string): Promise<PageResult> {
    const url = new URL(pathOrUrl, this.baseUrl);
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      rememberSecret(value);
      if (attributes.some((attribute) => attribute.trim().toLowerCase() === 'max-age=0')) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    const location = response.headers.get('location');
    return {
      url: url.toString(),
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      location: location ? new URL(location, url).toString() : undefined,
    };
  }
}

/**
 * The first form of a page: its action, resolved against the page's URL as a browser does
 * (RFC 3986 5.1), and its fields with their values.
 */
export function formOf(page: PageResult): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
  if (!form) throw new Error(`No form in the page: ${page.body.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const [, name, value] of form[2].matchAll(
    /<input type="hidden" name="([^"]*)" value="([^"]*)">/g,
  )) {
    fields[unescape(name)] = unescape(value);
  }
  return { action: new URL(unescape(form[1]), page.url).toString(), fields };
}

function unescape(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

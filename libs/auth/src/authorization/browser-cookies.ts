import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';

/** The two cookies of the hosted pages, by role. */
export type BrowserCookie = 'browser' | 'session';

/** What a browser presented: its binding secret and its SSO session token, each if any. */
export interface PresentedCookies {
  browser?: string;
  session?: string;
}

const DAY_SECONDS = 86_400;

/** 256 random bits, base64url: what both cookies hold. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The cookies of the hosted login: `browser`, a random secret that binds pending authorization
 * requests and CSRF tokens to the browser that started them, and `session`, the token of the
 * SSO session (a row of `auth.sessions` holding its SHA-256). Both are HttpOnly and
 * SameSite=Lax (sent on the top-level navigation from a client, never on a cross-site POST),
 * and Secure with the `__Host-` prefix when the issuer is https (RFC 6265bis 4.1.3.2: no
 * Domain, Path=/, so no sibling host can set or shadow them).
 */
@Injectable()
export class BrowserCookies {
  private readonly secure: boolean;
  private readonly names: Record<BrowserCookie, string>;
  private readonly maxAgeSeconds: number;

  constructor(config: ConfigService<PlatformEnv, true>) {
    this.secure = config.get('ISSUER', { infer: true }).startsWith('https:');
    const prefix = this.secure ? '__Host-' : '';
    this.names = { browser: `${prefix}op_browser`, session: `${prefix}op_session` };
    this.maxAgeSeconds = config.get('REFRESH_ABSOLUTE_DAYS', { infer: true }) * DAY_SECONDS;
  }

  /** Our cookies in a `Cookie` header; a malformed value counts as absent. */
  read(header: string | undefined): PresentedCookies {
    const found: PresentedCookies = {};
    for (const pair of (header ?? '').split(';')) {
      const separator = pair.indexOf('=');
      if (separator < 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (!COOKIE_VALUE.test(value)) continue;
      if (name === this.names.browser) found.browser = value;
      if (name === this.names.session) found.session = value;
    }
    return found;
  }

  /** A `Set-Cookie` value storing `value`. */
  set(cookie: BrowserCookie, value: string): string {
    return `${this.names[cookie]}=${value}; ${this.attributes()}; Max-Age=${this.maxAgeSeconds}`;
  }

  /** A `Set-Cookie` value deleting the cookie. */
  clear(cookie: BrowserCookie): string {
    return `${this.names[cookie]}=; ${this.attributes()}; Max-Age=0`;
  }

  private attributes(): string {
    return `Path=/; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
  }
}

/** A new cookie value: 256 random bits. */
export function newCookieValue(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a cookie value: its SHA-256 (the value has full entropy). */
export function cookieHash(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

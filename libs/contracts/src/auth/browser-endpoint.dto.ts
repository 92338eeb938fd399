import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Where the hosted forms are posted (public paths of the gateway, beside `OAUTH_PATHS`). */
export const HOSTED_PAGE_PATHS = {
  login: '/oauth2/login',
  consent: '/oauth2/consent',
} as const;

/**
 * A browser's request to one of auth's hosted pages (`/oauth2/authorize`, the login and consent
 * forms, `/oauth2/logout`), as the gateway relays it: the pages are HTML rendered by auth, so
 * the gateway passes the request's parameters and cookies in and copies auth's answer out.
 */
export class BrowserEndpointRequest {
  @IsIn(['GET', 'POST'])
  method!: 'GET' | 'POST';

  /**
   * The query parameters of a GET, the form fields (`application/x-www-form-urlencoded`) of a
   * POST. A parameter sent more than once is a list, which every endpoint refuses
   * (RFC 6749 3.1: parameters must not be included more than once).
   */
  @IsObject()
  params!: Record<string, string | string[]>;

  /** The request's `Cookie` header as the browser sent it. */
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  cookie?: string;

  /** The client's address as the gateway sees it (`TRUSTED_PROXIES`): the login throttle's. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  clientIp?: string;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  userAgent?: string;
}

/**
 * The HTTP answer of a hosted page: status, headers (a list for `set-cookie`) and the HTML
 * body, copied out verbatim; a redirect has a `location` and no body.
 */
export interface BrowserEndpointResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
}

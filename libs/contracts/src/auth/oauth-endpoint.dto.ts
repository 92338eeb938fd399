import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Revocations } from '../platform/revocations';

/**
 * An HTTP request to one of auth's OAuth endpoints (`auth.oauth.token`, `auth.oauth.revoke`,
 * `auth.oauth.introspect`), as the gateway relays it: the endpoints are specified in HTTP
 * terms (form parameters, HTTP Basic client authentication, status codes, headers), so auth
 * answers in those terms and the gateway only copies the answer out.
 */
export class OAuthEndpointRequest {
  /**
   * The form parameters (`application/x-www-form-urlencoded`, RFC 6749 3.2). A parameter sent
   * more than once is a list; only those that may repeat (`resource`, `audience`) are accepted
   * as lists, every other one is `invalid_request` (RFC 6749 3.2).
   */
  @IsObject()
  params!: Record<string, string | string[]>;

  /** The HTTP `Authorization` header, for `client_secret_basic` (RFC 6749 2.3.1). */
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  authorization?: string;

  /** The client's address as the gateway sees it (`TRUSTED_PROXIES`), for limits and the log. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  clientIp?: string;
}

/** The HTTP answer of an OAuth endpoint: status, headers and JSON body, copied out verbatim. */
export interface OAuthEndpointResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /**
   * What the request revoked (RFC 7009 revocation, a spent refresh token that came back), for
   * the gateway's verifier to deny before it answers (see `Revocations`); not part of the
   * HTTP answer.
   */
  revoked?: Revocations;
}

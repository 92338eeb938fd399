import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { PlatformEnv } from '@platform/config';
import {
  CLIENT_ASSERTION_SIGNING_ALGORITHMS,
  isStorableText,
  TokenEndpointAuthMethod,
} from '@platform/contracts';
import { ClientRegistry } from '../clients/client-registry';
import { ClientSecretHasher } from '../clients/client-secret.hasher';
import { OAuthClient } from '../clients/oauth-client';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { ClientAssertionStore } from './client-assertion.store';
import { OAuthError } from './oauth.error';
import { TokenRequestParams } from './token-request-params';

/** RFC 7523 2.2. */
const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** A client assertion is a one-off proof: it may not live longer than this (RFC 7523 3). */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_CLIENT_ID_LENGTH = 128;
/** A `jti` is stored to refuse a replay (RFC 7523 3): a bound on what a client may make us keep. */
const MAX_JTI_LENGTH = 256;
const MIN_RSA_MODULUS_BITS = 2048;

/** What a request presented to authenticate its client. */
interface PresentedCredentials {
  method: TokenEndpointAuthMethod;
  clientId: string;
  secret?: string;
  assertion?: string;
}

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 2.3):
 * `client_secret_basic` (2.3.1, the credentials form-encoded before Basic), `client_secret_post`
 * (2.3.1), `private_key_jwt` (RFC 7523 2.2 and 3, verified with `jose`: `iss` and `sub` the
 * client, `aud` this issuer alone as RFC 10070 requires, `exp` required and near, `jti` single
 * use),
 * and `none` for public clients, which only identify themselves. A client uses exactly the
 * method it registered; one request using two is refused (RFC 6749 2.3). Every failure is
 * `invalid_client` with nothing said about which part failed.
 */
@Injectable()
export class ClientAuthentication {
  private readonly issuer: string;

  constructor(
    private readonly registry: ClientRegistry,
    private readonly secrets: ClientSecretHasher,
    private readonly assertions: ClientAssertionStore,
    private readonly securityLog: SecurityEventWriter,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.issuer = config.get('ISSUER', { infer: true });
  }

  /** The client the request authenticates, or `invalid_client` / `invalid_request`. */
  async authenticate(
    params: TokenRequestParams,
    authorization: string | undefined,
  ): Promise<OAuthClient> {
    const presented = this.presented(params, authorization);
    const found = await this.registry.findAuthenticatable(presented.clientId);
    // An unknown client id is the caller's to choose: not written to the log.
    if (!found) throw unauthenticated();
    try {
      if (found.client.tokenEndpointAuthMethod !== presented.method) throw unauthenticated();
      switch (presented.method) {
        case 'client_secret_basic':
        case 'client_secret_post':
          if (!found.secret || !this.secrets.matches(presented.secret!, found.secret)) {
            throw unauthenticated();
          }
          break;
        case 'private_key_jwt':
          await this.verifyAssertion(found.client, presented.assertion!);
          break;
        case 'none':
          break;
      }
    } catch (error) {
      if (error instanceof OAuthError) {
        await this.securityLog.append({
          type: 'client_authentication_failed',
          details: {
            clientId: found.client.clientId,
            method: presented.method,
            reason: error.description,
          },
        });
      }
      throw error;
    }
    return found.client;
  }

  /** Which method the request used, and its credentials (RFC 6749 2.3: exactly one method). */
  private presented(
    params: TokenRequestParams,
    authorization: string | undefined,
  ): PresentedCredentials {
    const used: PresentedCredentials[] = [];
    if (authorization !== undefined && authorization.length > 0) {
      used.push(basicCredentials(authorization));
    }
    const clientId = params.get('client_id');
    if (params.has('client_assertion') || params.has('client_assertion_type')) {
      if (params.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
        throw new OAuthError('invalid_client', 'Unsupported client_assertion_type');
      }
      const assertion = params.required('client_assertion');
      used.push({ method: 'private_key_jwt', clientId: assertedClient(assertion), assertion });
    }
    if (params.has('client_secret')) {
      if (clientId === undefined) throw new OAuthError('invalid_request', 'Missing client_id');
      used.push({ method: 'client_secret_post', clientId, secret: params.get('client_secret') });
    }
    if (used.length > 1) {
      throw new OAuthError('invalid_request', 'More than one client authentication method');
    }
    const [credentials] = used;
    if (!credentials) {
      if (clientId === undefined) {
        throw new OAuthError('invalid_client', 'Client authentication is required');
      }
      return { method: 'none', clientId: bounded(clientId) };
    }
    // RFC 6749 2.3.1 / RFC 7523 3: a client_id beside the credentials must be the same client.
    if (clientId !== undefined && clientId !== credentials.clientId) {
      throw unauthenticated();
    }
    return { ...credentials, clientId: bounded(credentials.clientId) };
  }

  /** RFC 7523 3: the assertion's claims, signature (the client's registered keys) and `jti`. */
  private async verifyAssertion(client: OAuthClient, assertion: string): Promise<void> {
    if (!client.jwks) throw unauthenticated();
    const registered = createLocalJWKSet(client.jwks as never);
    // A registered key the platform cannot use (registration refuses those, but one stored
    // before it did may remain) is the client's failure to authenticate, not the server's:
    // one jose cannot import, or an RSA key under 2048 bits (RFC 7518 3.3, 3.5).
    const keys = async (...selection: Parameters<typeof registered>) => {
      const key = await registered(...selection).catch((error: unknown) => {
        if (error instanceof joseErrors.JOSEError) throw error;
        throw unusableKey();
      });
      if (isShortRsaKey(key)) throw unusableKey();
      return key;
    };
    const options = {
      issuer: client.clientId,
      subject: client.clientId,
      audience: this.issuer,
      algorithms: [...CLIENT_ASSERTION_SIGNING_ALGORITHMS],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    try {
      const { payload } = await jwtVerify(assertion, keys, options).catch(
        async (error: unknown) => {
          // RFC 7515 4.1.4: `kid` is optional, so several registered keys may fit an assertion
          // (a client rolling its keys over, RFC 7517 5): each is tried, as jose leaves to us.
          if (!(error instanceof joseErrors.JWKSMultipleMatchingKeys)) throw error;
          for await (const candidate of error) {
            if (isShortRsaKey(candidate)) continue;
            const verified = await jwtVerify(assertion, candidate, options).catch((failure) => {
              if (failure instanceof joseErrors.JWSSignatureVerificationFailed) return undefined;
              throw failure;
            });
            if (verified) return verified;
          }
          throw unauthenticated();
        },
      );
      // RFC 10070 (updating RFC 7523 3): the issuer identifier must be the sole audience. An
      // assertion naming the token endpoint, or other audiences too, is one that another server
      // the client trusts could have obtained and passed on (audience injection).
      if (Array.isArray(payload.aud) && payload.aud.length !== 1) throw unauthenticated();
      // RFC 7519 4.1.1-4.1.3 and 4.1.7: `iss`, `sub` and `jti` are strings, `aud` one or a list
      // of them. jose compared the first three to what they must be, but takes any `jti`.
      const { iss, sub, aud, jti } = payload as Record<string, unknown>;
      const audience = Array.isArray(aud) ? aud[0] : aud;
      if (typeof iss !== 'string' || typeof sub !== 'string' || typeof audience !== 'string') {
        throw unauthenticated();
      }
      if (
        typeof jti !== 'string' ||
        jti.length === 0 ||
        jti.length > MAX_JTI_LENGTH ||
        !isStorableText(jti)
      ) {
        throw new OAuthError(
          'invalid_client',
          'The client assertion has no jti of 1 to 256 characters',
        );
      }
      const now = Math.floor(Date.now() / 1000);
      const exp = payload.exp!;
      if (exp > now + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
        throw new OAuthError('invalid_client', 'The client assertion lives too long');
      }
      // RFC 7523 3: the jti is kept for as long as the assertion is accepted, which is past
      // `exp` by the clock tolerance: kept only until `exp`, it could be purged and the
      // assertion replayed in that window.
      const acceptedUntil = exp + CLOCK_TOLERANCE_SECONDS;
      if (!(await this.assertions.firstUse(client.clientId, jti, acceptedUntil))) {
        throw new OAuthError('invalid_client', 'The client assertion was used before');
      }
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      if (error instanceof joseErrors.JOSEError) throw unauthenticated();
      throw error;
    }
  }
}

/** RFC 6749 2.3.1 and RFC 7617 2: `Basic base64(urlencoded(id) ":" urlencoded(secret))`. */
function basicCredentials(header: string): PresentedCredentials {
  const [scheme, credential, ...rest] = header.trim().split(/\s+/);
  if (scheme.toLowerCase() !== 'basic' || !credential || rest.length > 0) {
    throw unauthenticated();
  }
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw unauthenticated();
  try {
    return {
      method: 'client_secret_basic',
      clientId: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw unauthenticated();
  }
}

/** `application/x-www-form-urlencoded` decoding of one value (RFC 6749 Appendix B). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** The client an assertion claims to be from (checked once its signature is). */
function assertedClient(assertion: string): string {
  try {
    const { sub } = decodeJwt(assertion);
    if (typeof sub === 'string' && sub.length > 0) return sub;
  } catch {
    // Falls through to the refusal.
  }
  throw unauthenticated();
}

function bounded(clientId: string): string {
  // No client is registered under an id the database could not hold (a NUL from Basic's
  // %00, or a client assertion's `sub`): refused here, not as a failed lookup.
  if (clientId.length > MAX_CLIENT_ID_LENGTH || !isStorableText(clientId)) throw unauthenticated();
  return clientId;
}

/** RFC 7518 3.3 and 3.5: "A key of size 2048 bits or larger MUST be used". */
function isShortRsaKey(key: { algorithm?: unknown }): boolean {
  const { modulusLength } = (key.algorithm ?? {}) as { modulusLength?: number };
  return modulusLength !== undefined && modulusLength < MIN_RSA_MODULUS_BITS;
}

function unusableKey(): OAuthError {
  return new OAuthError('invalid_client', 'A registered key of the client cannot be used');
}

function unauthenticated(): OAuthError {
  return new OAuthError('invalid_client', 'Client authentication failed');
}

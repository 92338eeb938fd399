import { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  AccessTokenClaims,
  ActorClaim,
  isSigningAlgorithm,
  SigningAlgorithm,
} from '@platform/contracts';
import { InvalidTokenError } from './errors/invalid-token.error';
import { SigningKeysUnavailableError } from './errors/signing-keys-unavailable.error';
import { verifySignature } from './jws-algorithm';
import { decodeJsonObject, JsonObject } from './json-segment';
import { JwksCache } from './jwks-cache';
import { Principal } from './principal';
import { RevocationList } from './revocation-list';

export interface AccessTokenVerifierOptions {
  /** The authorization server's issuer identifier; `iss` must equal it exactly. */
  issuer: string;
  /** This service's name; `aud` must include it. */
  audience: string;
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds (default 5). */
  clockToleranceSeconds?: number;
  /**
   * How many tokens whose signature has been verified are remembered, so that the next request
   * with the same token skips the signature check (default 10 000; 0 checks every time).
   */
  verifiedTokenCacheSize?: number;
}

/** Header segments seen recently; a handful of signing keys is live at any time. */
const MAX_CHECKED_HEADERS = 64;

interface CheckedHeader {
  alg: SigningAlgorithm;
  kid: string;
}

/** A token whose signature and claims checked out, and the key that checked it. */
interface VerifiedToken {
  kid: string;
  key: KeyObject;
  principal: Principal;
  /** `nbf`, which the principal does not carry. */
  notBefore?: number;
}

/** Far above any real access token; refused before any decoding work. */
const MAX_TOKEN_LENGTH = 16_384;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Header parameters that would let the token choose or point at its own key, or change how the
 * signature is computed. RFC 8725 3.10, RFC 7515 4.1.2-4.1.8: the key comes from our JWKS by
 * `kid` only; `crit` (4.1.11) names extensions we do not understand, so it must be refused, and
 * `b64` (RFC 7797) would sign an unencoded payload.
 */
const UNTRUSTED_HEADER_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'b64'];

/** RFC 9068 4: the only `typ` values an access token may carry, compared case-insensitively. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);

/** A token's claims before they are checked: the names the platform issues, any values. */
type UncheckedClaims = Partial<Record<keyof AccessTokenClaims, unknown>> & JsonObject;

/**
 * Validates JWT access tokens (RFC 9068 4) locally against the cached JWKS, never calling the
 * authorization server per request, and strictly per the JWT best current practices (RFC 8725).
 *
 * It is its own small verifier on `node:crypto` rather than `jsonwebtoken`/`@nestjs/jwt`:
 * - those libraries skip checks RFC 8725 and RFC 9068 require here: `typ` explicit typing
 *   (8725 3.11, which is what keeps ID tokens and other JWTs from passing as access tokens),
 *   refusing header-supplied keys and unknown `crit` extensions (8725 3.10), and binding each key
 *   to exactly one algorithm (8725 3.1) instead of one allowlist for all keys;
 * - `jsonwebtoken` cannot verify EdDSA at all;
 * - verifying is a `crypto.verify` with a `KeyObject` imported once, plus two `JSON.parse`s, so
 *   it costs about what the raw signature check costs.
 *
 * Every refusal is an `InvalidTokenError` (401 `INVALID_TOKEN`) whose message is a short reason that
 * never repeats the token.
 */
export class AccessTokenVerifier {
  private readonly clockToleranceSeconds: number;
  /**
   * A client sends the same access token with every request for its lifetime, and checking the
   * signature and decoding the claims is most of what verifying costs. Keyed by the exact token,
   * so only tokens this process has verified itself are ever found; an entry expires with its
   * token.
   */
  private readonly verifiedTokens?: LRUCache<string, VerifiedToken>;
  /**
   * The token last verified for a request or message (see `verify`), for as long as that
   * object lives. Only this verifier writes it, and only with a token whose signature it
   * checked, so no client can put a principal here; an entry is used only for the identical
   * token, so a header changed in between is verified anew.
   */
  private readonly byCarrier = new WeakMap<object, VerifiedToken>();
  private readonly checkedHeaders = new Map<string, CheckedHeader>();
  /** Tokens found verified already (`hits`), and tokens whose signature was checked (`misses`). */
  readonly memoStats = { hits: 0, misses: 0 };

  constructor(
    private readonly options: AccessTokenVerifierOptions,
    private readonly keys: JwksCache,
    private readonly revocations: RevocationList,
  ) {
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? 5;
    const cacheSize = options.verifiedTokenCacheSize ?? 10_000;
    if (cacheSize > 0) this.verifiedTokens = new LRUCache({ max: cacheSize });
  }

  /**
   * The principal of a valid, unrevoked access token for `audience` (by default the configured
   * one); throws `InvalidTokenError` otherwise.
   *
   * `carrier` is the request or message the token came with: a second verification for the same
   * carrier (the gateway's edge verifies a request's token for its rate limit, then the guard
   * does) takes the token as the first one verified it, when it is the very same token, without
   * looking it up among all the tokens verified; the key, audience, time and revocation are
   * checked again as on every use.
   */
  async verify(
    token: string,
    audience = this.options.audience,
    carrier?: object,
  ): Promise<Principal> {
    const verified = await this.verifiedToken(token, carrier);
    this.checkUse(verified, audience);
    return verified.principal;
  }

  /**
   * A token whose JWS checks out (RFC 7515 5.2: header rules, key lookup, signature) and whose
   * claims are well formed. A token seen before is taken as it was verified, as long as the
   * JWKS still holds the very key that verified it; what can change between two uses is
   * `checkUse`'s to check, every time.
   */
  private async verifiedToken(token: string, carrier?: object): Promise<VerifiedToken> {
    const remembered = carrier && this.byCarrier.get(carrier);
    const known =
      remembered?.principal.token === token ? remembered : this.verifiedTokens?.get(token);
    if (known && this.keys.cached(known.kid)?.key === known.key) {
      this.memoStats.hits++;
      if (carrier) this.byCarrier.set(carrier, known);
      return known;
    }
    this.memoStats.misses++;

    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      throw invalid('Malformed token');
    }
    const headerEnd = token.indexOf('.');
    const payloadEnd = token.indexOf('.', headerEnd + 1);

    const { alg, kid } = this.checkedHeader(token.slice(0, headerEnd));
    const key = this.keys.cached(kid) ?? (await this.keys.find(kid));
    if (!key)
      throw this.keys.held ? invalid('Unknown signing key') : new SigningKeysUnavailableError();
    if (key.alg !== alg) throw invalid('Algorithm does not match the signing key');

    const encodedSignature = token.slice(payloadEnd + 1);
    const signature = Buffer.from(encodedSignature, 'base64url');
    // Only the canonical encoding of a signature is accepted, so one token has one spelling.
    if (signature.toString('base64url') !== encodedSignature) throw invalid('Malformed token');
    const signingInput = Buffer.from(token.slice(0, payloadEnd), 'ascii');
    if (!verifySignature(alg, key.key, signingInput, signature)) {
      throw invalid('Invalid signature');
    }

    const claims = decodeJsonObject(token.slice(headerEnd + 1, payloadEnd));
    if (!claims) throw invalid('Malformed token claims');
    const verified: VerifiedToken = {
      kid,
      key: key.key,
      principal: this.principalOf(claims, token),
      notBefore: claims.nbf as number | undefined,
    };
    const lifetimeMs = verified.principal.expiresAt * 1000 - Date.now();
    if (lifetimeMs > 0 && this.verifiedTokens) {
      this.verifiedTokens.set(token, verified, { ttl: lifetimeMs });
      if (carrier) this.byCarrier.set(carrier, verified);
    }
    return verified;
  }

  /**
   * The algorithm and key id of a JOSE header that passes the header rules (RFC 7515 4.1,
   * RFC 8725 3.1, 3.10, 3.11). Every token of a signing key has the same header segment, so a
   * segment that passed is remembered; the signature still covers it in every token.
   */
  private checkedHeader(segment: string): CheckedHeader {
    const known = this.checkedHeaders.get(segment);
    if (known) return known;
    const header = decodeJsonObject(segment);
    if (!header) throw invalid('Malformed token header');
    for (const name of UNTRUSTED_HEADER_PARAMETERS) {
      if (Object.hasOwn(header, name)) throw invalid(`Header parameter ${name} is not accepted`);
    }
    if (typeof header.typ !== 'string' || !ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase())) {
      throw invalid('Not an access token');
    }
    // RFC 8725 3.1: `none` and anything else outside the allowlist is refused before any key
    // is looked up.
    const alg = header.alg;
    if (!isSigningAlgorithm(alg)) throw invalid('Unsupported algorithm');
    const kid = header.kid;
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256) {
      throw invalid('Missing key id');
    }
    if (this.checkedHeaders.size >= MAX_CHECKED_HEADERS) this.checkedHeaders.clear();
    const checked = { alg, kid };
    this.checkedHeaders.set(segment, checked);
    return checked;
  }

  /** RFC 9068 2.2 and RFC 7519 4.1: the claims every access token must carry, and their types. */
  private principalOf(claims: UncheckedClaims, token: string): Principal {
    if (claims.iss !== this.options.issuer) throw invalid('Unexpected issuer');
    const audiences = stringList(claims.aud, true);
    if (!audiences) throw invalid('Not for this audience');
    const { exp, nbf, iat } = claims;
    if (!isNumber(exp)) throw invalid('Missing expiry');
    if (nbf !== undefined && !isNumber(nbf)) throw invalid('Token not yet valid');
    if (!isNumber(iat)) throw invalid('Missing issued-at time');

    const { sub, jti, client_id: clientId, sid, scope } = claims;
    if (!isNonEmptyString(sub)) throw invalid('Missing subject');
    if (!isNonEmptyString(jti)) throw invalid('Missing token id');
    if (!isNonEmptyString(clientId)) throw invalid('Missing client id');
    if (sid !== undefined && !isNonEmptyString(sid)) throw invalid('Malformed session id');
    if (scope !== undefined && typeof scope !== 'string') throw invalid('Malformed scope');
    const roles = claims.roles === undefined ? [] : stringList(claims.roles, false);
    if (!roles) throw invalid('Malformed roles');
    const actor = claims.act === undefined ? undefined : actorOf(claims.act, 0);
    if (claims.act !== undefined && !actor) throw invalid('Malformed actor');

    // Frozen: one principal answers every request that presents the same token.
    return Object.freeze({
      subject: sub,
      ...(sid !== undefined ? { sessionId: sid } : {}),
      clientId,
      // RFC 6749 3.3: space-delimited, case-sensitive.
      scopes: Object.freeze(
        scope === undefined ? [] : scope.split(' ').filter((value) => value.length > 0),
      ),
      roles: Object.freeze([...roles]),
      tokenId: jti,
      expiresAt: exp,
      issuedAt: iat,
      audience: Object.freeze([...audiences]),
      ...(actor ? { actor } : {}),
      token,
    });
  }

  /** What may differ from one use of a token to the next: audience, time, revocation. */
  private checkUse({ principal, notBefore }: VerifiedToken, audience: string): void {
    if (!principal.audience.includes(audience)) throw invalid('Not for this audience');
    const now = Date.now() / 1000;
    const tolerance = this.clockToleranceSeconds;
    // RFC 7519 4.1.4: the current time MUST be before `exp`.
    if (principal.expiresAt + tolerance <= now) throw invalid('Token expired');
    // RFC 7519 4.1.5: the current time MUST be after or equal to `nbf`.
    if (notBefore !== undefined && notBefore - tolerance > now) {
      throw invalid('Token not yet valid');
    }
    if (principal.issuedAt - tolerance > now) throw invalid('Token issued in the future');
    if (this.revocations.isRevoked(principal)) throw invalid('Token revoked');
  }
}

function invalid(reason: string): InvalidTokenError {
  return new InvalidTokenError(reason);
}

/** A string array; with `allowSingle`, a lone string too (as `aud` may be, RFC 7519 4.1.3). */
function stringList(value: unknown, allowSingle: boolean): string[] | undefined {
  if (allowSingle && typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? (value as string[])
    : undefined;
}

/** RFC 8693 4.1: `{sub, act?}`, nested at most a few levels (a chain of delegations). */
function actorOf(value: unknown, depth: number): ActorClaim | undefined {
  if (depth > 4 || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const { sub, act } = value as { sub?: unknown; act?: unknown };
  if (!isNonEmptyString(sub)) return undefined;
  if (act === undefined) return Object.freeze({ sub });
  const nested = actorOf(act, depth + 1);
  return nested ? Object.freeze({ sub, act: nested }) : undefined;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

import { hash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { PlatformEnv } from '@platform/config';
import {
  API_TOKEN_PREFIX,
  AuthPattern,
  InternalToken,
  isWellFormedApiToken,
  LegacyCredentialDto,
  ResolveApiTokenDto,
} from '@platform/contracts';
import { AccessTokenVerifier } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { MalformedApiTokenError } from './malformed-api-token.error';
import { MalformedCredentialsError } from './malformed-credentials.error';

/** A resolved API token: the header forwarded in its place, and whose it is. */
interface Translated {
  authorization: string;
  userId: string;
  tokenId?: string;
}

/** The internal token is reused until this long before it expires. */
const RENEW_BEFORE_MS = 15_000;

/**
 * Turns the credentials the gateway accepts besides access tokens into the internal access
 * token services verify (the phantom-token pattern), so nothing behind the gateway ever sees
 * an API token or a legacy password:
 * - `Bearer pat_...`: resolved through auth (`auth.api-token.resolve`) and kept for
 *   `API_TOKEN_CACHE_SECONDS`, by the token's SHA-256; a revocation, a user's disabling,
 *   revocation of their tokens or a change of their roles drops the entries at once, on every
 *   replica (`CredentialEvictionController`), and an entry is used only while this gateway's
 *   verifier accepts its internal token (a withdrawn signing key takes the tokens it signed);
 * - `Basic ...` for a legacy client, when `LEGACY_CLIENTS` is configured: exchanged through
 *   auth on every use, since every use is a security event.
 */
@Injectable()
export class CredentialTranslation {
  private readonly cacheMs: number;
  private readonly legacyEnabled: boolean;
  private readonly resolved = new LRUCache<string, Translated>({ max: 10_000 });
  private readonly resolving = new Map<string, Promise<Translated>>();
  /** Counts evictions, so a resolution that raced one is not kept (it may predate it). */
  private evictions = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly verifier: AccessTokenVerifier,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.cacheMs = config.get('API_TOKEN_CACHE_SECONDS', { infer: true }) * 1000;
    this.legacyEnabled = config.get('LEGACY_CLIENTS', { infer: true }).length > 0;
  }

  /**
   * The `Authorization` header to forward instead of `header`, or undefined to keep it (an
   * access token, or a scheme the gateway does not translate). Throws `INVALID_TOKEN` for an
   * API token that cannot be used and `INVALID_CREDENTIALS` for wrong legacy credentials.
   * `request`, if given, is what the internal token is checked for (see
   * `AccessTokenVerifier.verify`), so the edge and the guard take it as checked here.
   */
  async translate(header: string, request?: object): Promise<string | undefined> {
    const space = header.indexOf(' ');
    if (space === -1) return undefined;
    const scheme = header.slice(0, space).toLowerCase();
    const credential = header.slice(space + 1).trim();
    if (scheme === 'bearer' && credential.startsWith(API_TOKEN_PREFIX)) {
      return (await this.apiToken(credential, request)).authorization;
    }
    if (scheme === 'basic' && this.legacyEnabled) return this.legacy(credential);
    return undefined;
  }

  /** An API token was revoked. */
  forgetToken(tokenId: string): void {
    this.evicted();
    for (const [key, entry] of this.resolved.entries()) {
      if (entry.tokenId === tokenId) this.resolved.delete(key);
    }
  }

  /** Everything of this user's: disabled, tokens revoked, or roles changed. */
  forgetUser(userId: string): void {
    this.evicted();
    for (const [key, entry] of this.resolved.entries()) {
      if (entry.userId === userId) this.resolved.delete(key);
    }
  }

  /**
   * A resolution in flight may have been answered from before the eviction: it is not kept,
   * and a request arriving from now on starts one of its own instead of joining it.
   */
  private evicted(): void {
    this.evictions += 1;
    this.resolving.clear();
  }

  private async apiToken(token: string, request?: object): Promise<Translated> {
    // Keyed by a digest, so the cache holds no usable token.
    const key = hash('sha256', token, 'base64url');
    const cached = this.resolved.get(key);
    if (cached && (await this.stillAccepted(cached, request))) return cached;
    // Only a well-formed token was ever cached. The checksum turns away typos and made-up
    // tokens without asking auth.
    if (!isWellFormedApiToken(token)) {
      throw new MalformedApiTokenError();
    }
    let pending = this.resolving.get(key);
    if (!pending) {
      const started = this.resolve(key, token).finally(() => {
        if (this.resolving.get(key) === started) this.resolving.delete(key);
      });
      this.resolving.set(key, started);
      pending = started;
    }
    return pending;
  }

  private async resolve(key: string, token: string): Promise<Translated> {
    const evictionsBefore = this.evictions;
    const request: ResolveApiTokenDto = { token };
    const internal = await this.bus.send<InternalToken>(AuthPattern.ResolveApiToken, request);
    const translated = {
      authorization: `Bearer ${internal.access_token}`,
      userId: internal.userId,
      tokenId: internal.tokenId,
    };
    const ttl = Math.min(this.cacheMs, internal.expires_in * 1000 - RENEW_BEFORE_MS);
    if (ttl > 0 && this.evictions === evictionsBefore) this.resolved.set(key, translated, { ttl });
    return translated;
  }

  private stillAccepted({ authorization }: Translated, request?: object): Promise<boolean> {
    return this.verifier.verify(authorization.slice('Bearer '.length), undefined, request).then(
      () => true,
      () => false,
    );
  }

  /** RFC 7617 2: `Basic base64(user-id ":" password)`; the user-id is the client's name. */
  private async legacy(credential: string): Promise<string> {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new MalformedCredentialsError();
    const exchange: LegacyCredentialDto = {
      clientName: decoded.slice(0, colon),
      secret: decoded.slice(colon + 1),
    };
    const internal = await this.bus.send<InternalToken>(
      AuthPattern.ExchangeLegacyCredential,
      exchange,
    );
    return `Bearer ${internal.access_token}`;
  }
}

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Audience } from '@platform/contracts';
import { SessionLifetime } from '../sessions/session-lifetime';

/** RFC 6749 4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED"; ours is one. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

/** What a code is issued for. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  ssoSessionId: string;
  scopes: string[];
  nonce?: string;
  /** Epoch seconds. */
  authTime: number;
  /** The services the authorization request named (RFC 8707 2.1); none: the client's. */
  resources: readonly Audience[];
}

/** What a redemption presents; the code's bindings must all match (RFC 6749 4.1.3, RFC 7636 4.6). */
export interface CodeRedemption {
  code: string;
  clientId: string;
  redirectUri: string;
  /** BASE64URL(SHA256(code_verifier)), computed by the caller. */
  codeChallenge: string;
  /** The SHA-256 of the refresh token to store, when the client may have one. */
  refreshTokenHash?: Buffer;
  /** The client's idle lifetime of its refresh tokens (`refreshTokenTtlSeconds`), if it has one. */
  idleSeconds?: number;
}

/** A code redeemed: the grant, and the session its redemption opened. */
export interface RedeemedCode {
  userId: string;
  ssoSessionId: string;
  grantSessionId: string;
  scopes: string[];
  nonce?: string;
  authTime: number;
  /** Whether a refresh token was stored (the grant includes `offline_access`). */
  refreshable: boolean;
  /** The resources the grant is held to, which its session keeps; `null`: none named. */
  resources: Audience[] | null;
}

/**
 * Authorization codes (`auth.authorization_codes`): 256 random bits, stored as SHA-256 digests,
 * single-use and valid for `AUTHORIZATION_CODE_TTL_SECONDS`, bound to the client, the
 * redirect URI and the PKCE challenge.
 */
@Injectable()
export class AuthorizationCodeStore {
  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    private readonly lifetime: SessionLifetime,
  ) {}

  /** A new code for `grant`. */
  async issue(grant: CodeGrant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO auth.authorization_codes
         (code_hash, client_id, redirect_uri, code_challenge, user_id, sso_session_id,
          grant_session_id, scopes, nonce, auth_time, resources, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10), $11,
               now() + make_interval(secs => $12))`,
      [
        codeHash(code),
        grant.clientId,
        grant.redirectUri,
        grant.codeChallenge,
        grant.userId,
        grant.ssoSessionId,
        randomUUID(),
        grant.scopes,
        grant.nonce ?? null,
        grant.authTime,
        grant.resources.length > 0 ? grant.resources : null,
        AUTHORIZATION_CODE_TTL_SECONDS,
      ],
    );
    return code;
  }

  /**
   * Spends a code whose every binding matches and whose SSO session is still live, and opens
   * the session of the grant (with its first refresh token when the grant includes
   * `offline_access`), in one statement: of two parallel redemptions exactly one matches the
   * unspent row, and the session exists as soon as the spend is visible, so a second
   * redemption always finds what to revoke. Nothing is spent when a binding does not match.
   */
  async redeem(redemption: CodeRedemption): Promise<RedeemedCode | undefined> {
    const rows: (Omit<RedeemedCode, 'authTime' | 'nonce'> & {
      authTime: string;
      nonce: string | null;
    })[] = await this.dataSource.query(
      `WITH spent AS (
         UPDATE auth.authorization_codes AS c SET redeemed_at = now()
          WHERE c.code_hash = $1 AND c.redeemed_at IS NULL AND c.expires_at > now()
            AND c.client_id = $2 AND c.redirect_uri = $3 AND c.code_challenge = $4
            AND EXISTS (SELECT 1 FROM auth.sessions s
                         WHERE s.id = c.sso_session_id AND s.revoked_at IS NULL
                           AND s.idle_expires_at > now() AND s.absolute_expires_at > now())
          RETURNING c.user_id, c.sso_session_id, c.grant_session_id, c.scopes, c.nonce, c.auth_time,
                    c.resources),
       opened AS (
         INSERT INTO auth.sessions (id, user_id, client_id, idle_expires_at, absolute_expires_at,
                                    parent_session_id, scopes, resources)
         SELECT grant_session_id, user_id, $2, now() + make_interval(secs => $6),
                now() + make_interval(secs => $7), sso_session_id, scopes, resources FROM spent
         RETURNING id),
       refresh AS (
         INSERT INTO auth.refresh_tokens (token_hash, session_id)
         SELECT $5::bytea, opened.id FROM opened, spent
          WHERE $5::bytea IS NOT NULL AND 'offline_access' = ANY (spent.scopes)
         RETURNING session_id)
       SELECT user_id AS "userId", sso_session_id AS "ssoSessionId",
              grant_session_id AS "grantSessionId", scopes, nonce,
              floor(extract(epoch FROM auth_time))::text AS "authTime",
              EXISTS (SELECT 1 FROM refresh) AS refreshable, resources
         FROM spent`,
      [
        codeHash(redemption.code),
        redemption.clientId,
        redemption.redirectUri,
        redemption.codeChallenge,
        redemption.refreshTokenHash ?? null,
        // The client's idle lifetime from the first refresh token on, as every rotation gives
        // it (SessionStore.rotate): else the first one outlived it, up to REFRESH_IDLE_DAYS.
        this.lifetime.firstIdleSeconds(redemption.idleSeconds),
        this.lifetime.absoluteSeconds,
      ],
    );
    const [row] = rows;
    if (!row) return undefined;
    return { ...row, nonce: row.nonce ?? undefined, authTime: Number(row.authTime) };
  }

  /**
   * The resources an unspent code's grant is held to (`null`: none named), or `undefined` when
   * `code` is no live code: what a redemption naming `resource` is checked against before it
   * spends the code (RFC 8707 2.2).
   */
  async grantedResources(code: string): Promise<Audience[] | null | undefined> {
    const rows: { resources: Audience[] | null }[] = await this.dataSource.query(
      `SELECT resources FROM auth.authorization_codes
        WHERE code_hash = $1 AND redeemed_at IS NULL AND expires_at > now()`,
      [codeHash(code)],
    );
    return rows[0]?.resources;
  }

  /** The grant of a code that was redeemed already, if `code` is one. */
  async findRedeemed(
    code: string,
  ): Promise<{ userId: string; grantSessionId: string } | undefined> {
    const rows: { userId: string; grantSessionId: string }[] = await this.dataSource.query(
      `SELECT user_id AS "userId", grant_session_id AS "grantSessionId"
         FROM auth.authorization_codes WHERE code_hash = $1 AND redeemed_at IS NOT NULL`,
      [codeHash(code)],
    );
    return rows[0];
  }
}

function codeHash(code: string): Buffer {
  return createHash('sha256').update(code, 'utf8').digest();
}

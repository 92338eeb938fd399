import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  FIRST_PARTY_CLIENT_ID,
  RefreshTokenCommand,
  TokenResponse,
  UserView,
} from '@platform/contracts';
import { CombinedWrite } from '@platform/database';
import { isAccountDisabled, UsersProfileClient } from '../accounts/users-profile.client';
import { AddressLimits } from '../limits/address-limits';
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-token.codec';
import { TokenPairIssuer } from '../tokens/token-pair.issuer';
import { InvalidGrantError } from './invalid-grant.error';
import { SessionRevocation } from './session-revocation.service';
import { SessionStore } from './session.store';

/** What is known of the client a session was started from. */
export interface SessionClient {
  clientIp?: string;
  userAgent?: string;
}

/** A session about to start, its user's profile already being read. */
export interface PreparedSession {
  readonly id: string;
  /**
   * Stores the session and hands out its first token pair. `alongside` is called once the
   * profile has been read, to add what is to be written in the same statement as the session.
   */
  start(alongside?: (write: CombinedWrite) => void): Promise<TokenResponse>;
}

/**
 * Sessions and the tokens they hand out: a session's refresh tokens form one family, rotated on
 * every use (RFC 9700 4.14.2), and its id is the `sid` claim of its access tokens.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly store: SessionStore,
    private readonly tokenPairs: TokenPairIssuer,
    private readonly profiles: UsersProfileClient,
    private readonly revocation: SessionRevocation,
    private readonly limits: AddressLimits,
  ) {}

  /**
   * A session for `userId`, whose profile (the token's roles) is read from now on, so that a
   * login can have it read while the password hash is verified. If the session never starts,
   * the read is dropped; a failed read fails `start`.
   */
  prepare(userId: string, client: SessionClient): PreparedSession {
    const profile = prefetch(this.profiles.get(userId));
    const id = randomUUID();
    return {
      id,
      start: async (alongside) => this.start(await profile(), id, client, alongside),
    };
  }

  /**
   * The session's first token pair. The session is stored while the access token is signed;
   * the tokens leave here only once both have succeeded.
   */
  private async start(
    user: UserView,
    sessionId: string,
    client: SessionClient,
    alongside?: (write: CombinedWrite) => void,
  ): Promise<TokenResponse> {
    const refresh = newRefreshToken();
    const [tokens] = await Promise.all([
      this.tokenPairs.issue(user, sessionId, refresh.token, 'password'),
      this.store.create(
        {
          id: sessionId,
          userId: user.id,
          clientId: FIRST_PARTY_CLIENT_ID,
          clientIp: client.clientIp,
          userAgent: client.userAgent,
          refreshTokenHash: refresh.hash,
        },
        alongside,
      ),
    ]);
    return tokens;
  }

  /**
   * Rotates a refresh token; presenting one that was already spent ends its session, and the
   * refusal carries that revocation (see `Revocations`). Limited per client address: refresh
   * tokens have full entropy, but rotations are writes.
   */
  async refresh(command: RefreshTokenCommand): Promise<TokenResponse> {
    await this.limits.count('refresh', command.clientIp);
    const presented = hashRefreshToken(command.refresh_token);
    const next = newRefreshToken();
    const session = await this.store.rotate(presented, next.hash, FIRST_PARTY_CLIENT_ID);
    if (!session) {
      const reused = await this.store.findSpent(presented);
      const revoked = reused
        ? await this.revocation.refreshTokenReused(reused.userId, reused.sessionId)
        : undefined;
      throw new InvalidGrantError(revoked);
    }
    return this.store.handOut(presented, next.hash, async () => {
      const user = await this.profiles.get(session.userId).catch((error: unknown) => {
        throw isAccountDisabled(error) ? new InvalidGrantError() : error;
      });
      return this.tokenPairs.issue(user, session.sessionId, next.token, 'refresh_token');
    });
  }
}

/**
 * Starts `work` now and hands its outcome over when asked. Until then a failure is held, not
 * reported as an unhandled rejection; it is thrown to whoever asks.
 */
function prefetch<T>(work: Promise<T>): () => Promise<T> {
  const outcome = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const settled = await outcome;
    if (!settled.ok) throw settled.error;
    return settled.value;
  };
}

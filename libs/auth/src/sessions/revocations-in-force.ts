import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { longestTokenLifetimeOf, PlatformEnv } from '@platform/config';
import { RevocationSnapshot } from '@platform/contracts';
import { TokenRevocationStore } from '../tokens/token-revocation.store';
import { SessionStore } from './session.store';
import { SubjectRevocationStore } from './subject-revocation.store';

/**
 * What a verifier starting now must deny (`auth.revocations.list`): every revocation whose
 * tokens may still be live, of sessions, of subjects and of single access tokens.
 */
@Injectable()
export class RevocationsInForce {
  /** How long after a revocation a token it voids may still be presented. */
  private readonly horizonSeconds: number;

  constructor(
    private readonly sessions: SessionStore,
    private readonly subjects: SubjectRevocationStore,
    private readonly tokens: TokenRevocationStore,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.horizonSeconds = longestTokenLifetimeOf(config);
  }

  async snapshot(): Promise<RevocationSnapshot> {
    const [sessions, subjects, tokens] = await Promise.all([
      this.sessions.revokedWithin(this.horizonSeconds),
      this.subjects.inForce(),
      this.tokens.inForce(),
    ]);
    return { sessions, subjects, tokens };
  }
}

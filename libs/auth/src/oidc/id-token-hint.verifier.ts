import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { compactVerify, createLocalJWKSet } from 'jose';
import { PlatformEnv } from '@platform/config';
import { SIGNING_ALGORITHMS } from '@platform/contracts';
import { PublishedKeySet } from '../keys/published-key-set';

/** What an `id_token_hint` says, once its signature and issuer checked out. */
export interface IdTokenHint {
  subject: string;
  clientId: string;
  sessionId?: string;
}

/**
 * Verifies an `id_token_hint` (OpenID Connect RP-Initiated Logout 1.0 2): an ID token this
 * issuer signed, with any key it still publishes, typed `JWT`. Expiry is not checked: the
 * specification asks the OP to accept a hint whose ID token has expired, since logging out
 * is what a client does long after signing in.
 */
@Injectable()
export class IdTokenHintVerifier {
  private readonly issuer: string;

  constructor(
    private readonly keys: PublishedKeySet,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.issuer = config.get('ISSUER', { infer: true });
  }

  /** The hint's claims, or undefined for anything that is not one of our ID tokens. */
  async verify(token: string): Promise<IdTokenHint | undefined> {
    if (token.length > 16_384) return undefined;
    try {
      const jwks = createLocalJWKSet((await this.keys.jwks()) as never);
      const { payload, protectedHeader } = await compactVerify(token, jwks, {
        algorithms: [...SIGNING_ALGORITHMS],
      });
      if (protectedHeader.typ !== 'JWT') return undefined;
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      const { iss, sub, aud, sid } = claims;
      if (iss !== this.issuer || typeof sub !== 'string' || typeof aud !== 'string') {
        return undefined;
      }
      return { subject: sub, clientId: aud, sessionId: typeof sid === 'string' ? sid : undefined };
    } catch {
      return undefined;
    }
  }
}

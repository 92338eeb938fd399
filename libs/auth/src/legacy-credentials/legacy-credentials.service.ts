import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { LegacyClient, PlatformEnv } from '@platform/config';
import { InternalToken, LegacyCredentialDto } from '@platform/contracts';
import { PasswordHasher } from '../accounts/password.hasher';
import { InternalTokenIssuer } from '../api-tokens/internal-token.issuer';
import { InvalidCredentialsError } from '../login/invalid-credentials.error';
import { SecurityEventWriter } from '../security-log/security-event.writer';

/** A legacy system sends its secret with every request: an argon2 check each time would cost
 * 20 ms of CPU a request, so a match is remembered, by a digest of name and secret, this long. */
const VERIFIED_FOR_MS = 60_000;

/**
 * The bridge for legacy systems: a named client from `LEGACY_CLIENTS` presents HTTP Basic
 * credentials at the gateway and gets the same internal access token an API token would,
 * acting as its configured user with at most its configured scopes. Off unless configured;
 * every use, accepted or refused, is a security event.
 */
@Injectable()
export class LegacyCredentials {
  private readonly clients: Map<string, LegacyClient>;
  private readonly verified = new LRUCache<string, true>({ max: 1000, ttl: VERIFIED_FOR_MS });

  constructor(
    private readonly passwords: PasswordHasher,
    private readonly internalTokens: InternalTokenIssuer,
    private readonly securityLog: SecurityEventWriter,
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    config: ConfigService<PlatformEnv, true>,
  ) {
    const clients = config.get('LEGACY_CLIENTS', { infer: true });
    this.clients = new Map(clients.map((client) => [client.name, client]));
  }

  async exchange(credential: LegacyCredentialDto): Promise<InternalToken> {
    const client = this.clients.get(credential.clientName);
    if (!(await this.matches(client, credential.secret)) || !client) {
      // Only a configured name: any other is what the caller typed, perhaps the secret itself
      // in the wrong field, and the log keeps every row for good.
      await this.record('legacy_credential_refused', undefined, client?.name);
      throw new InvalidCredentialsError();
    }
    await this.record('legacy_credential_used', client.userId, client.name);
    return this.internalTokens.issue(client.userId, client.scopes, {
      clientId: `legacy:${client.name}`,
      grantType: 'legacy',
    });
  }

  /** An unknown name costs the same argon2 verification as a wrong secret. */
  private async matches(client: LegacyClient | undefined, secret: string): Promise<boolean> {
    const digest = createHash('sha256').update(`${client?.name}\u0000${secret}`).digest('hex');
    if (client && this.verified.has(digest)) return true;
    const matches = await this.passwords.verify(client?.secretHash, secret);
    if (matches) this.verified.set(digest, true);
    return matches;
  }

  private async record(
    type: 'legacy_credential_used' | 'legacy_credential_refused',
    userId: string | undefined,
    client: string | undefined,
  ): Promise<void> {
    const details = client === undefined ? {} : { client };
    await this.dataSource.transaction((manager) =>
      this.securityLog.record(manager, { type, userId, details }),
    );
  }
}

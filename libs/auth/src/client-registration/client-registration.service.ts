import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { ClientInformationView, SecurityEventType } from '@platform/contracts';
import { ClientSecretHasher } from '../clients/client-secret.hasher';
import { ClientRecord, ClientStore } from '../clients/client.store';
import { OAuthClient, StoredSecret } from '../clients/oauth-client';
import { SecurityEvent, SecurityEventWriter } from '../security-log/security-event.writer';
import { ClientRevocation } from './client-revocation';
import { ClientNotFoundError } from './client-not-found.error';
import { clientInformationOf } from './client-information';
import { clientMetadataOf, clientRecordOf, LifetimeBounds } from './client-metadata';
import { requireImportableKeys } from './importable-jwks';
import { InvalidClientMetadataError } from './invalid-client-metadata.error';

const DAY_SECONDS = 86_400;

/**
 * Registering and managing OAuth clients (RFC 7591, for administrators): a confidential client
 * gets a generated secret, shown in the answer that made it and never again; each change is in
 * the security log, in its transaction; deleting a client ends its sessions in the same one.
 * Every auth replica drops a changed client from its cache (`ClientStore`).
 * Built-in clients are configuration, not registrations: they are not found here.
 */
@Injectable()
export class ClientRegistration {
  private readonly bounds: LifetimeBounds;

  constructor(
    private readonly store: ClientStore,
    private readonly secrets: ClientSecretHasher,
    private readonly securityLog: SecurityEventWriter,
    private readonly revocation: ClientRevocation,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.bounds = {
      maxAccessTokenTtlSeconds: config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true }),
      maxRefreshTokenTtlSeconds: config.get('REFRESH_IDLE_DAYS', { infer: true }) * DAY_SECONDS,
    };
  }

  async register(metadata: unknown, by: string): Promise<ClientInformationView> {
    // RFC 6749 2.2: unique, and revealing nothing; 128 random bits.
    const clientId = randomBytes(16).toString('base64url');
    const record = await this.recordOf(clientId, metadata);
    const { secret, stored } = this.secretFor(record);
    const client = await this.store.transaction(async (manager) => {
      const inserted = await this.store.insert(manager, record, stored);
      await this.securityLog.record(manager, registryChange('client_registered', clientId, by));
      return inserted;
    });
    return clientInformationOf(client, secret);
  }

  async get(clientId: string): Promise<OAuthClient> {
    const found = await this.store.find(clientId);
    if (!found) throw new ClientNotFoundError();
    return found.client;
  }

  /**
   * Replaces what `metadata` names, keeping the rest. A client that moves to a secret-based
   * method gets a new secret (in this answer); one that moves away from them loses its own, as
   * one that moves away from `private_key_jwt` loses its keys.
   */
  async update(clientId: string, metadata: unknown, by: string): Promise<ClientInformationView> {
    const current = await this.get(clientId);
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new InvalidClientMetadataError('Client metadata must be a JSON object');
    }
    const changes = metadata as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...clientMetadataOf(current), ...changes };
    // The keys were for private_key_jwt alone: a client moving off it leaves them behind.
    if (merged.token_endpoint_auth_method !== 'private_key_jwt' && changes.jwks === undefined) {
      delete merged.jwks;
    }
    const record = await this.recordOf(clientId, merged);
    const hadSecret = hasSecret(current.tokenEndpointAuthMethod);
    const needsSecret = hasSecret(record.tokenEndpointAuthMethod);
    const { secret, stored } =
      needsSecret && !hadSecret ? this.secretFor(record) : { secret: undefined, stored: undefined };
    const client = await this.store.transaction(async (manager, events) => {
      const updated = await this.store.update(
        manager,
        record,
        stored ?? (needsSecret ? undefined : null),
      );
      if (!updated) throw new ClientNotFoundError();
      await this.securityLog.record(manager, registryChange('client_updated', clientId, by));
      await this.store.changed(events, clientId);
      return updated;
    });
    this.store.forget(clientId);
    return clientInformationOf(client, secret);
  }

  /** A new secret; the old one stops working at once. */
  async rotateSecret(clientId: string, by: string): Promise<ClientInformationView> {
    const client = await this.get(clientId);
    if (!hasSecret(client.tokenEndpointAuthMethod)) {
      throw new InvalidClientMetadataError(
        `A client using ${client.tokenEndpointAuthMethod} has no secret`,
      );
    }
    const secret = this.secrets.newSecret();
    await this.store.transaction(async (manager, events) => {
      if (!(await this.store.replaceSecret(manager, clientId, this.secrets.hash(secret)))) {
        throw new ClientNotFoundError();
      }
      await this.securityLog.record(manager, registryChange('client_secret_rotated', clientId, by));
      await this.store.changed(events, clientId);
    });
    this.store.forget(clientId);
    return clientInformationOf(client, secret);
  }

  /** Deletes a client; its sessions and tokens end with it (`ClientRevocation`). */
  async delete(clientId: string, by: string): Promise<void> {
    await this.revocation.end(clientId, async (manager, events) => {
      if (!(await this.store.delete(manager, clientId))) throw new ClientNotFoundError();
      await this.securityLog.record(manager, registryChange('client_deleted', clientId, by));
      await this.store.changed(events, clientId);
    });
    this.store.forget(clientId);
  }

  /** The metadata checked into what is stored, its keys imported once to be sure they can be. */
  private async recordOf(clientId: string, metadata: unknown): Promise<ClientRecord> {
    const record = clientRecordOf(clientId, metadata, this.bounds);
    if (record.jwks) await requireImportableKeys(record.jwks);
    return record;
  }

  private secretFor(record: ClientRecord): { secret?: string; stored?: StoredSecret } {
    if (!hasSecret(record.tokenEndpointAuthMethod)) return {};
    const secret = this.secrets.newSecret();
    return { secret, stored: this.secrets.hash(secret) };
  }
}

/** A change to the client registry, for the security log: which client, and who changed it. */
function registryChange(type: SecurityEventType, clientId: string, by: string): SecurityEvent {
  return { type, userId: by, details: { clientId, by } };
}

function hasSecret(method: string): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post';
}

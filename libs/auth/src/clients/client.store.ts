import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource, EntityManager } from 'typeorm';
import {
  Audience,
  AuthEvent,
  ClientChangedEvent,
  GrantTypeName,
  TokenEndpointAuthMethod,
} from '@platform/contracts';
import { Outbox, OutboxEvents } from '@platform/transport';
import { AuthenticatableClient, ClientJwks, OAuthClient, StoredSecret } from './oauth-client';

/** What a registration stores: the client's metadata, and its secret's hash if it has one. */
export interface ClientRecord {
  clientId: string;
  clientName: string;
  grantTypes: readonly GrantTypeName[];
  redirectUris: readonly string[];
  /** RP-Initiated Logout 1.0 3.1: where a logout may send the browser back. */
  postLogoutRedirectUris: readonly string[];
  scopes: readonly string[];
  audiences: readonly Audience[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  jwks?: ClientJwks;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
}

interface ClientRow {
  client_id: string;
  client_name: string;
  grant_types: GrantTypeName[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scopes: string[];
  audiences: Audience[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  jwks: ClientJwks | null;
  secret_hash: Buffer | null;
  secret_key_id: string | null;
  access_token_ttl_seconds: number | null;
  refresh_token_ttl_seconds: number | null;
  created_at: string;
}

const COLUMNS = `client_id, client_name, grant_types, redirect_uris, post_logout_redirect_uris,
  scopes, audiences, token_endpoint_auth_method, jwks, secret_hash, secret_key_id,
  access_token_ttl_seconds, refresh_token_ttl_seconds,
  extract(epoch FROM created_at)::bigint::text AS created_at`;

/** How many registered clients are kept in memory, the most recently used. */
const CACHED_CLIENTS = 10_000;
/**
 * How long a cached client is believed without hearing `auth.client.changed`: the bound on a
 * stale client should that event be lost (the bus down while it was published).
 */
const CACHED_CLIENT_TTL_MS = 30_000;

/**
 * Registered OAuth clients, in `auth.oauth_clients`. Every token request reads its client, so
 * clients are cached in memory; a change records `auth.client.changed` in its transaction,
 * which every auth replica hears and drops the client on (this one at once, after commit).
 */
@Injectable()
export class ClientStore {
  private readonly cache = new LRUCache<string, AuthenticatableClient>({
    max: CACHED_CLIENTS,
    ttl: CACHED_CLIENT_TTL_MS,
  });
  /** Bumped by every `forget`: a read that began before one must not fill the cache. */
  private generation = 0;

  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /** Runs `work` in one transaction of auth's database, with the outbox for its events. */
  transaction<T>(work: (manager: EntityManager, events: OutboxEvents) => Promise<T>): Promise<T> {
    return this.outbox.transaction(work);
  }

  async find(clientId: string): Promise<AuthenticatableClient | undefined> {
    const cached = this.cache.get(clientId);
    if (cached) return cached;
    const generation = this.generation;
    const rows: ClientRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM auth.oauth_clients WHERE client_id = $1`,
      [clientId],
    );
    const found = rows[0] && fromRow(rows[0]);
    if (found && generation === this.generation) this.cache.set(clientId, found);
    return found;
  }

  /** Records, in a change's transaction, that every replica must drop the client. */
  changed(events: OutboxEvents, clientId: string): Promise<void> {
    const event: ClientChangedEvent = { clientId };
    return events.record(AuthEvent.ClientChanged, event);
  }

  /** Drops a client from this replica's cache (on `auth.client.changed`, and after commit). */
  forget(clientId: string): void {
    this.generation += 1;
    this.cache.delete(clientId);
  }

  /** Every registered client, oldest first. */
  async list(): Promise<OAuthClient[]> {
    const rows: ClientRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM auth.oauth_clients ORDER BY created_at, client_id`,
    );
    return rows.map((row) => fromRow(row).client);
  }

  async insert(
    manager: EntityManager,
    record: ClientRecord,
    secret?: StoredSecret,
  ): Promise<OAuthClient> {
    const rows: ClientRow[] = await manager.query(
      `INSERT INTO auth.oauth_clients (client_id, client_name, grant_types, redirect_uris, scopes,
         audiences, token_endpoint_auth_method, jwks, access_token_ttl_seconds,
         refresh_token_ttl_seconds, post_logout_redirect_uris, secret_hash, secret_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
      [...recordParameters(record), secret?.hash ?? null, secret?.keyId ?? null],
    );
    return fromRow(rows[0]).client;
  }

  /**
   * Replaces a client's metadata and, when `secret` is given (the auth method changed to one
   * with a secret), its secret; `secret` null drops it. Returns undefined for an unknown client.
   */
  async update(
    manager: EntityManager,
    record: ClientRecord,
    secret: StoredSecret | null | undefined,
  ): Promise<OAuthClient | undefined> {
    const [rows] = (await manager.query(
      `UPDATE auth.oauth_clients SET client_name = $2, grant_types = $3, redirect_uris = $4,
              scopes = $5, audiences = $6, token_endpoint_auth_method = $7, jwks = $8,
              access_token_ttl_seconds = $9, refresh_token_ttl_seconds = $10,
              post_logout_redirect_uris = $11,
              secret_hash = CASE WHEN $12 THEN $13::bytea ELSE secret_hash END,
              secret_key_id = CASE WHEN $12 THEN $14 ELSE secret_key_id END,
              updated_at = now()
        WHERE client_id = $1 RETURNING ${COLUMNS}`,
      [
        ...recordParameters(record),
        secret !== undefined,
        secret?.hash ?? null,
        secret?.keyId ?? null,
      ],
    )) as [ClientRow[], number];
    return rows[0] && fromRow(rows[0]).client;
  }

  /** Replaces the secret of a client that has one; false when there is no such client. */
  async replaceSecret(
    manager: EntityManager,
    clientId: string,
    secret: StoredSecret,
  ): Promise<boolean> {
    const [, count] = (await manager.query(
      `UPDATE auth.oauth_clients SET secret_hash = $2, secret_key_id = $3, updated_at = now()
        WHERE client_id = $1 AND secret_hash IS NOT NULL`,
      [clientId, secret.hash, secret.keyId],
    )) as [unknown, number];
    return count === 1;
  }

  async delete(manager: EntityManager, clientId: string): Promise<boolean> {
    const [, count] = (await manager.query(`DELETE FROM auth.oauth_clients WHERE client_id = $1`, [
      clientId,
    ])) as [unknown, number];
    return count === 1;
  }
}

function recordParameters(record: ClientRecord): unknown[] {
  return [
    record.clientId,
    record.clientName,
    record.grantTypes,
    record.redirectUris,
    record.scopes,
    record.audiences,
    record.tokenEndpointAuthMethod,
    record.jwks ? JSON.stringify(record.jwks) : null,
    record.accessTokenTtlSeconds ?? null,
    record.refreshTokenTtlSeconds ?? null,
    record.postLogoutRedirectUris,
  ];
}

function fromRow(row: ClientRow): AuthenticatableClient {
  const client: OAuthClient = Object.freeze({
    clientId: row.client_id,
    clientType: row.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
    clientName: row.client_name,
    grantTypes: row.grant_types,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    scopes: row.scopes,
    audiences: row.audiences,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    ...(row.jwks ? { jwks: row.jwks } : {}),
    ...(row.access_token_ttl_seconds !== null
      ? { accessTokenTtlSeconds: row.access_token_ttl_seconds }
      : {}),
    ...(row.refresh_token_ttl_seconds !== null
      ? { refreshTokenTtlSeconds: row.refresh_token_ttl_seconds }
      : {}),
    firstParty: false,
    builtIn: false,
    roles: [],
    createdAt: Number(row.created_at),
  });
  const secret =
    row.secret_hash && row.secret_key_id
      ? { hash: row.secret_hash, keyId: row.secret_key_id }
      : undefined;
  return { client, ...(secret ? { secret } : {}) };
}

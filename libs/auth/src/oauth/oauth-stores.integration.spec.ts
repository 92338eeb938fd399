import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { CLOCK_SKEW_SECONDS } from '@platform/config';
import { AuthEvent } from '@platform/contracts';
import { AccessTokenVerifier, Principal } from '@platform/security';
import { Outbox, OutboxWriter } from '@platform/transport';
import { authDatabase } from '../auth.database';
import { ClientSecretHasher } from '../clients/client-secret.hasher';
import { OAuthClient } from '../clients/oauth-client';
import { ClientStore } from '../clients/client.store';
import { KeyEncryptionKey, KeyEncryptionKeys } from '../keys/key-encryption-key.provider';
import { SessionLifetime } from '../sessions/session-lifetime';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { SessionStore } from '../sessions/session.store';
import { SubjectRevocationStore } from '../sessions/subject-revocation.store';
import { IssuedTokenStore } from '../tokens/issued-token.store';
import { newRefreshToken } from '../tokens/refresh-token.codec';
import { TokenRevocationStore } from '../tokens/token-revocation.store';
import { UnregisteredClientError } from '../tokens/unregistered-client.error';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { AccessTokenRevocation } from './access-token-revocation';
import { ClientAssertionStore } from './client-assertion.store';
import { ClientAuthentication } from './client-authentication';
import { IntrospectionEndpoint } from './introspection-endpoint.service';
import { OAuthTokenIssuer } from './oauth-token.issuer';
import { TokenExchangeGrant } from './token-exchange.grant';
import { TokenRequestParams } from './token-request-params';

/** The authorization server's state on PostgreSQL with the auth schema and its migrations. */
describe('client registry, assertions, issued tokens and client sessions (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let clients: ClientStore;
  let assertions: ClientAssertionStore;
  let issued: IssuedTokenStore;
  let sessions: SessionStore;
  let outbox: Outbox;
  const hasher = new ClientSecretHasher(
    new KeyEncryptionKeys(new KeyEncryptionKey(createSecretKey(randomBytes(32)))),
  );

  beforeAll(async () => {
    scratch = await scratchContextDatabase('oauth', authDatabase);
    dataSource = scratch.dataSource;
    // The relay is not under test: the store's events are read back from the outbox table.
    const relay = { notify: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[2];
    outbox = new Outbox(dataSource, new OutboxWriter('auth'), relay);
    clients = new ClientStore(dataSource, outbox);
    assertions = new ClientAssertionStore(dataSource);
    issued = new IssuedTokenStore(dataSource);
    sessions = new SessionStore(
      dataSource,
      new SessionLifetime({
        get: (name: string) => ({ REFRESH_IDLE_DAYS: 1, REFRESH_ABSOLUTE_DAYS: 2 })[name],
      } as unknown as ConfigService<never, true>),
    );
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  const record = (clientId: string) => ({
    clientId,
    clientName: 'probe',
    grantTypes: ['client_credentials' as const],
    redirectUris: [],
    postLogoutRedirectUris: [],
    scopes: ['orders:read'],
    audiences: ['orders' as const],
    tokenEndpointAuthMethod: 'client_secret_basic' as const,
    accessTokenTtlSeconds: 120,
  });

  it('stores a client with its keyed secret hash, never the secret', async () => {
    const secret = hasher.newSecret();
    const clientId = randomUUID();
    await clients.transaction((manager) =>
      clients.insert(manager, record(clientId), hasher.hash(secret)),
    );
    const found = await clients.find(clientId);
    expect(found?.client).toMatchObject({
      clientId,
      clientType: 'confidential',
      scopes: ['orders:read'],
      audiences: ['orders'],
      accessTokenTtlSeconds: 120,
    });
    expect(hasher.matches(secret, found!.secret!)).toBe(true);
    expect(hasher.matches(`${secret}x`, found!.secret!)).toBe(false);
    const [row] = await dataSource.query(
      `SELECT secret_hash::text AS hash FROM auth.oauth_clients WHERE client_id = $1`,
      [clientId],
    );
    expect(row.hash).not.toContain(Buffer.from(secret).toString('hex'));

    // A replaced secret: the old one no longer matches what is stored, once the replica that
    // cached the client forgets it, which the change's event tells every replica to do.
    const next = hasher.newSecret();
    await clients.transaction(async (manager, events) => {
      expect(await clients.replaceSecret(manager, clientId, hasher.hash(next))).toBe(true);
      await clients.changed(events, clientId);
    });
    expect(hasher.matches(secret, (await clients.find(clientId))!.secret!)).toBe(true);
    const [event] = await dataSource.query(
      `SELECT payload FROM auth.outbox WHERE subject = 'auth.client.changed' AND payload->>'clientId' = $1`,
      [clientId],
    );
    expect(event.payload).toEqual({ clientId });
    clients.forget(clientId);
    const rotated = (await clients.find(clientId))!.secret!;
    expect(hasher.matches(secret, rotated)).toBe(false);
    expect(hasher.matches(next, rotated)).toBe(true);
  });

  it('does not cache what a read found if the client changed while it was reading', async () => {
    const clientId = randomUUID();
    await clients.transaction((manager) =>
      clients.insert(manager, record(clientId), hasher.hash(hasher.newSecret())),
    );
    const reading = clients.find(clientId);
    clients.forget(clientId);
    await reading;
    await dataSource.query(
      `UPDATE auth.oauth_clients SET client_name = 'renamed' WHERE client_id = $1`,
      [clientId],
    );
    expect((await clients.find(clientId))?.client.clientName).toBe('renamed');
  });

  it('refuses a secret-based client without a secret, and a secret a public client would have', async () => {
    await expect(
      clients.transaction((manager) => clients.insert(manager, record(randomUUID()))),
    ).rejects.toThrow();
    await expect(
      clients.transaction((manager) =>
        clients.insert(
          manager,
          { ...record(randomUUID()), tokenEndpointAuthMethod: 'none' },
          hasher.hash('x'),
        ),
      ),
    ).rejects.toThrow();
  });

  it('lets a client assertion be used once, even by concurrent requests', async () => {
    const jti = randomUUID();
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => assertions.firstUse('client-a', jti, expiresAt)),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    // The same jti from another client is that client's own.
    expect(await assertions.firstUse('client-b', jti, expiresAt)).toBe(true);
  });

  it('records issued tokens and their revocation', async () => {
    const tokenId = randomUUID();
    await issued.record({
      tokenId,
      clientId: 'client-a',
      clientRegistered: false,
      subject: 'client-a',
      grantType: 'client_credentials',
      audiences: ['orders'],
      scopes: ['orders:read'],
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    expect(await issued.isRevoked(tokenId)).toBe(false);
    expect(await dataSource.transaction((manager) => issued.revoke(manager, tokenId))).toBe(true);
    expect(await dataSource.transaction((manager) => issued.revoke(manager, tokenId))).toBe(false);
    expect(await issued.isRevoked(tokenId)).toBe(true);
    expect(await issued.isRevoked('not-a-uuid')).toBe(false);
  });

  it('writes concurrent audit records together, each caller released once its row is in', async () => {
    const tokenIds = Array.from({ length: 60 }, () => randomUUID());
    await Promise.all(
      tokenIds.map((tokenId, index) =>
        issued.record({
          tokenId,
          clientId: 'client-batch',
          clientRegistered: false,
          subject: `subject-${index}`,
          grantType: 'token_exchange',
          audiences: ['users'],
          scopes: ['users:read'],
          sessionId: randomUUID(),
          actor: 'orders',
          expiresAt: Math.floor(Date.now() / 1000) + 60,
        }),
      ),
    );
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM auth.issued_tokens
        WHERE client_id = 'client-batch' AND actor = 'orders' AND audiences = '{users}'`,
    );
    expect(count).toBe(60);
  });

  it('records no token for a registered client deleted before or while it is written', async () => {
    const token = (clientId: string) => ({
      tokenId: randomUUID(),
      clientId,
      clientRegistered: true,
      subject: clientId,
      grantType: 'client_credentials' as const,
      audiences: ['orders'],
      scopes: ['orders:read'],
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    const register = async () => {
      const clientId = randomUUID();
      await clients.transaction((manager) =>
        clients.insert(manager, record(clientId), hasher.hash(hasher.newSecret())),
      );
      return clientId;
    };
    const recordedFor = async (clientId: string) => {
      const [{ count }] = await dataSource.query(
        `SELECT count(*)::int AS count FROM auth.issued_tokens WHERE client_id = $1`,
        [clientId],
      );
      return count as number;
    };

    // Another replica, whose cache still holds the client, issues after the deletion committed.
    const deleted = await register();
    await clients.transaction((manager) => clients.delete(manager, deleted));
    await expect(issued.record(token(deleted))).rejects.toBeInstanceOf(UnregisteredClientError);
    expect(await recordedFor(deleted)).toBe(0);

    // It issues while the deletion, which then revokes the client's tokens, is in flight.
    const deleting = await register();
    let recording: Promise<void> | undefined;
    await clients.transaction(async (manager) => {
      await clients.delete(manager, deleting);
      recording = issued.record(token(deleting));
      // Give the record's statement time to reach the deleted row and wait for its lock.
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await expect(recording).rejects.toBeInstanceOf(UnregisteredClientError);
    expect(await recordedFor(deleting)).toBe(0);

    // A built-in client has no row, and a live registered one keeps its row.
    const live = await register();
    await issued.record(token(live));
    await issued.record({ ...token('orders'), clientRegistered: false });
    expect(await recordedFor(live)).toBe(1);
    expect(await recordedFor('orders')).toBeGreaterThanOrEqual(1);
  });

  it('revokes and announces every live token of a client, however many it holds', async () => {
    const clientId = `client-busy-${randomUUID()}`;
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    const token = (expiresAt: number) => ({
      tokenId: randomUUID(),
      clientId,
      clientRegistered: false,
      subject: clientId,
      grantType: 'client_credentials' as const,
      audiences: ['orders'],
      scopes: ['orders:read'],
      expiresAt,
    });
    const live = Array.from({ length: 6000 }, () => token(expiresAt));
    const expired = token(Math.floor(Date.now() / 1000) - 1);
    await Promise.all([...live, expired].map((issuedToken) => issued.record(issuedToken)));
    const revocation = new AccessTokenRevocation(
      outbox,
      issued,
      new TokenRevocationStore(dataSource),
      new SecurityEventWriter(dataSource),
    );

    await outbox.transaction((manager, events) =>
      revocation.revokeAllOfClient(manager, events, clientId),
    );

    const ids = live.map(({ tokenId }) => tokenId);
    const [{ revoked }] = await dataSource.query(
      `SELECT count(*)::int AS revoked FROM auth.issued_tokens
        WHERE client_id = $1 AND revoked_at IS NOT NULL`,
      [clientId],
    );
    expect(revoked).toBe(live.length);
    const denied: { jti: string; until: string }[] = await dataSource.query(
      `SELECT jti, extract(epoch FROM until)::text AS until FROM auth.token_revocations
        WHERE jti = ANY($1::text[])`,
      [[...ids, expired.tokenId]],
    );
    expect(denied.map(({ jti }) => jti).sort()).toEqual([...ids].sort());
    expect(new Set(denied.map(({ until }) => Number(until)))).toEqual(
      new Set([expiresAt + CLOCK_SKEW_SECONDS]),
    );
    const announced: { payload: { tokenId: string; until: number } }[] = await dataSource.query(
      `SELECT payload FROM auth.outbox WHERE subject = $1 AND payload->>'tokenId' = ANY($2::text[])`,
      [AuthEvent.TokenRevoked, [...ids, expired.tokenId]],
    );
    expect(announced.map(({ payload }) => payload.tokenId).sort()).toEqual([...ids].sort());
    expect(announced[0].payload).toEqual({
      tokenId: announced[0].payload.tokenId,
      until: expiresAt + CLOCK_SKEW_SECONDS,
    });
  });

  it('takes a first-party access token revoked in the database as revoked before this process hears of it', async () => {
    // A first-party token has no issuance record: its revocation is only in
    // auth.token_revocations until the event reaches this process's revocation list. The
    // verifier below has not heard of it yet, as auth's own does not in the split deployment.
    const sessionId = randomUUID();
    const userId = randomUUID();
    await sessions.create({
      id: sessionId,
      userId,
      clientId: 'identity-platform',
      refreshTokenHash: newRefreshToken().hash,
    });
    const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${segment({ typ: 'at+jwt', alg: 'RS256', kid: 'k' })}.${segment({ aud: ['gateway', 'users', 'orders'] })}.c2ln`;
    const principal: Principal = {
      subject: userId,
      sessionId,
      clientId: 'identity-platform',
      scopes: ['openid', 'users:read', 'orders:read'],
      roles: ['user'],
      tokenId: randomUUID(),
      expiresAt: Math.floor(Date.now() / 1000) + 300,
      issuedAt: Math.floor(Date.now() / 1000),
      audience: ['gateway', 'users', 'orders'],
      token,
    };
    const verifier = { verify: async () => principal } as unknown as AccessTokenVerifier;
    await new AccessTokenRevocation(
      outbox,
      issued,
      new TokenRevocationStore(dataSource),
      new SecurityEventWriter(dataSource),
    ).revoke(principal, 'identity-platform');

    const users = {
      clientId: 'users',
      clientType: 'confidential',
      audiences: ['orders'],
      scopes: ['orders:read'],
    } as unknown as OAuthClient;
    const introspection = new IntrospectionEndpoint(
      { authenticate: async () => users } as unknown as ClientAuthentication,
      verifier,
      sessions,
      issued,
      { get: () => 'http://issuer.test' } as unknown as ConfigService<never, true>,
    );
    // RFC 7009 2.1: a revoked token is no longer active; RFC 7662 2.2: then only active: false.
    expect((await introspection.introspect({ params: { token } })).body).toEqual({
      active: false,
    });
    // RFC 8693 2.2.2: a revoked subject token is invalid_request, and nothing is issued.
    const exchange = new TokenExchangeGrant(verifier, sessions, issued, {
      issue: () => Promise.reject(new Error('issued a token for a revoked subject token')),
    } as unknown as OAuthTokenIssuer);
    await expect(
      exchange.exchange(
        users,
        TokenRequestParams.of({
          subject_token: token,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          audience: 'orders',
        }),
      ),
    ).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('spends a refresh token only for the client it was issued to, and ends a client’s sessions', async () => {
    const first = newRefreshToken();
    const sessionId = randomUUID();
    const userId = randomUUID();
    await sessions.create({
      id: sessionId,
      userId,
      clientId: 'client-a',
      refreshTokenHash: first.hash,
      scopes: ['orders:read'],
    });
    const next = newRefreshToken();
    expect(await sessions.rotate(first.hash, next.hash, 'client-b')).toBeNull();
    expect(await sessions.findSpent(first.hash)).toBeNull();
    const rotated = await sessions.rotate(first.hash, next.hash, 'client-a');
    expect(rotated).toEqual({
      sessionId,
      userId,
      clientId: 'client-a',
      scopes: ['orders:read'],
      resources: null,
    });
    expect(await sessions.findByRefreshToken(next.hash)).toMatchObject({
      sessionId,
      clientId: 'client-a',
      spent: false,
    });
    const ended = await dataSource.transaction((manager) =>
      sessions.revokeAllOfClient(manager, 'client-a'),
    );
    expect(ended).toEqual([{ id: sessionId, userId }]);
    expect(await sessions.isLive(sessionId)).toBe(false);
    expect(await sessions.findByRefreshToken(next.hash)).toBeNull();
  });

  it('announces and logs every session a deleted client had, each user’s its own', async () => {
    const clientId = `client-many-${randomUUID()}`;
    const ended = Array.from({ length: 40 }, () => ({ id: randomUUID(), userId: randomUUID() }));
    for (const { id, userId } of ended) {
      await sessions.create({ id, userId, clientId, refreshTokenHash: newRefreshToken().hash });
    }
    const revocation = new SessionRevocation(
      sessions,
      new SubjectRevocationStore(dataSource),
      outbox,
      new SecurityEventWriter(dataSource),
      { get: () => 600 } as unknown as ConfigService<never, true>,
    );
    let deleted = false;
    await revocation.endClient(clientId, async () => {
      deleted = true;
    });
    expect(deleted).toBe(true);

    const ids = ended.map(({ id }) => id);
    const announced: { payload: Record<string, unknown> }[] = await dataSource.query(
      `SELECT payload FROM auth.outbox WHERE subject = $1 AND payload->>'sessionId' = ANY($2::text[])`,
      [AuthEvent.SessionRevoked, ids],
    );
    expect(announced.map(({ payload }) => payload).sort(bySession)).toEqual(
      ended
        .map(({ id, userId }) => ({
          sessionId: id,
          userId,
          reason: 'client-deleted',
          until: expect.any(Number),
        }))
        .sort(bySession),
    );
    const logged: { id: string; userId: string }[] = await dataSource.query(
      `SELECT session_id AS id, user_id AS "userId" FROM auth.security_events
        WHERE type = 'session_revoked' AND session_id = ANY($1::uuid[]) ORDER BY session_id`,
      [ids],
    );
    expect(logged).toEqual([...ended].sort((a, b) => a.id.localeCompare(b.id)));
  });
});

function bySession(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return String(a.sessionId).localeCompare(String(b.sessionId));
}

import { randomBytes } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorCode, ServiceError } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import {
  CurrentPrincipal,
  Principal,
  CallableBy,
  ClientAddressFrom,
  Public,
  RevocationList,
  Roles,
  Scopes,
} from '@platform/security';
import { startGuardedApp } from './guarded-app';
import {
  generateTestKey,
  signAccessToken,
  TEST_AUDIENCE,
  TestJwksSource,
  TokenOptions,
} from './token-factory';

/**
 * The guard family's behaviour on both sides of a service, as one suite run against each
 * transport: an HTTP controller and a message controller with the same public, protected,
 * scoped and role-restricted endpoints must accept and refuse the same tokens.
 */
const prefix = `guard${randomBytes(4).toString('hex')}`;
// Messages are checked against the audience their subject names: the `orders` context here.
const subject = (name: string) => `${TEST_AUDIENCE}.${prefix}.${name}`;
const key = generateTestKey('ES256');
const events: { name: string; subject?: string }[] = [];

const view = (principal: Principal) => ({
  subject: principal.subject,
  scopes: principal.scopes,
  roles: principal.roles,
  hasToken: principal.token.length > 0,
});

@Controller('probe')
class ProbeHttpController {
  @Public()
  @Get('public')
  open() {
    return { open: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return view(principal);
  }

  @Scopes('orders:read', 'orders:write')
  @Get('scoped')
  scoped() {
    return { scoped: true };
  }

  @Roles('admin', 'auditor')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

@Public()
@Controller('open')
class OpenHttpController {
  @Get()
  open() {
    return { open: true };
  }
}

@Controller()
class ProbeMessageController {
  @Public()
  @MessagePattern(subject('public'))
  open() {
    return { open: true };
  }

  @MessagePattern(subject('me'))
  me(@CurrentPrincipal() principal: Principal) {
    return view(principal);
  }

  @Scopes('orders:read', 'orders:write')
  @MessagePattern(subject('scoped'))
  scoped() {
    return { scoped: true };
  }

  @Roles('admin', 'auditor')
  @MessagePattern(subject('admin'))
  admin() {
    return { admin: true };
  }

  @Public()
  @CallableBy('gateway')
  @MessagePattern(subject('from-gateway'))
  fromGateway() {
    return { fromGateway: true };
  }

  @Public()
  @ClientAddressFrom('gateway')
  @MessagePattern(subject('addressed'))
  addressed(@Payload() payload: { clientIp?: string }) {
    return { clientIp: payload.clientIp ?? null };
  }

  @EventPattern<string>(subject('protected-event'))
  protectedEvent(@Payload() payload: { name: string }, @CurrentPrincipal() principal: Principal) {
    events.push({ name: payload.name, subject: principal.subject });
  }

  @Public()
  @EventPattern<string>(subject('public-event'))
  publicEvent(@Payload() payload: { name: string }) {
    events.push({ name: payload.name });
  }
}

/**
 * `nats` starts the NATS server the suite runs on (none: the in-process transport): a private
 * one, since the verifier hears key-set changes from the event streams, and a shared server's
 * would carry another deployment's keys.
 */
export function describeGuardContract(
  name: string,
  nats?: () => Promise<{ url: string; stop(): Promise<void> }>,
): void {
  describe(`authentication guard over HTTP and the ${name} transport`, () => {
    const source = new TestJwksSource([key.jwk]);
    let app: NestFastifyApplication;
    let bus: MessageBus;
    let server: { url: string; stop(): Promise<void> } | undefined;

    const bearer = (tokenOptions?: TokenOptions) => `Bearer ${signAccessToken(key, tokenOptions)}`;

    beforeAll(async () => {
      server = await nats?.();
      const options = {
        natsUrl: server?.url,
        requestTimeoutMs: 2000,
        connectionName: 'guard-test',
        recentEventsSeconds: 60,
      };

      app = await startGuardedApp(
        source,
        [ProbeHttpController, OpenHttpController, ProbeMessageController],
        options,
      );
      bus = app.get(MessageBus);
    });

    afterAll(async () => {
      await app?.close();
      await server?.stop();
    });

    const get = (url: string, authorization?: string) =>
      app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

    const send = (name: string, authorization?: string) =>
      bus.send<Record<string, unknown>>(subject(name), {}, authorization ? { authorization } : {});

    const refusal = (name: string, authorization?: string) =>
      send(name, authorization).then(
        () => {
          throw new Error(`${name} was not refused`);
        },
        (error: unknown) => error as ServiceError,
      );

    describe('HTTP', () => {
      it('lets anyone reach a @Public() route, or any route of a @Public() controller', async () => {
        expect((await get('/probe/public')).json()).toEqual({ open: true });
        expect((await get('/open')).statusCode).toBe(200);
      });

      it('answers a request without a credential with 401 and a bare Bearer challenge', async () => {
        for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', 'Bearerish abc']) {
          const response = await get('/probe/me', authorization);
          expect(response.statusCode).toBe(401);
          expect(response.headers['www-authenticate']).toBe('Bearer');
          expect(response.headers['content-type']).toContain('application/problem+json');
          expect(response.json()).toMatchObject({
            status: 401,
            code: ErrorCode.Unauthenticated,
            detail: 'Authentication required',
          });
        }
      });

      it('answers an invalid token with 401 invalid_token (RFC 6750 3.1)', async () => {
        const expired = bearer({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } });
        const response = await get('/probe/me', expired);
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toBe(
          'Bearer error="invalid_token", error_description="Token expired"',
        );
        expect(response.json()).toMatchObject({ code: ErrorCode.InvalidToken });
        expect(response.body).not.toContain(expired.slice(7));
      });

      it.each([
        ['not for this service', { claims: { aud: 'users' } }, 'Not for this audience'],
        ['an ID token', { header: { typ: 'JWT' } }, 'Not an access token'],
        ['alg none', { header: { alg: 'none' } }, 'Unsupported algorithm'],
      ])('refuses a token %s', async (_name, tokenOptions, reason) => {
        const response = await get('/probe/me', bearer(tokenOptions));
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toContain(`error_description="${reason}"`);
      });

      it('refuses a malformed bearer credential as invalid_token', async () => {
        for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer ✓']) {
          const response = await get('/probe/me', authorization);
          expect(response.statusCode).toBe(401);
          expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
        }
      });

      it('accepts a valid token, with the scheme in any case, and shows the principal', async () => {
        const token = bearer({ claims: { scope: 'openid orders:read', roles: ['user'] } });
        for (const authorization of [
          token,
          token.replace('Bearer', 'bearer'),
          token.replace('Bearer', 'BEARER  '),
        ]) {
          const response = await get('/probe/me', authorization);
          expect(response.statusCode).toBe(200);
          expect(response.json()).toEqual({
            subject: 'user-1',
            scopes: ['openid', 'orders:read'],
            roles: ['user'],
            hasToken: true,
          });
        }
      });

      it('answers missing scopes with 403 insufficient_scope naming them', async () => {
        const response = await get('/probe/scoped', bearer({ claims: { scope: 'orders:read' } }));
        expect(response.statusCode).toBe(403);
        expect(response.headers['www-authenticate']).toBe(
          'Bearer error="insufficient_scope", error_description="Requires scope: orders:read orders:write"',
        );
        expect(response.json()).toMatchObject({ code: ErrorCode.InsufficientScope });
        const allowed = await get(
          '/probe/scoped',
          bearer({ claims: { scope: 'orders:write orders:read' } }),
        );
        expect(allowed.statusCode).toBe(200);
      });

      it('answers a missing role with 403 FORBIDDEN, and accepts any one of the roles', async () => {
        const response = await get('/probe/admin', bearer({ claims: { roles: ['user'] } }));
        expect(response.statusCode).toBe(403);
        expect(response.headers['www-authenticate']).toBeUndefined();
        expect(response.json()).toMatchObject({
          code: ErrorCode.Forbidden,
          detail: 'Requires one of the roles: admin auditor',
        });
        const auditor = await get(
          '/probe/admin',
          bearer({ claims: { roles: ['user', 'auditor'] } }),
        );
        expect(auditor.statusCode).toBe(200);
      });

      it('refuses a token once its session is revoked', async () => {
        const token = bearer({ claims: { sid: 'session-http' } });
        expect((await get('/probe/me', token)).statusCode).toBe(200);
        app.get(RevocationList).revokeSession('session-http', Date.now() / 1000 + 600);
        const response = await get('/probe/me', token);
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toContain('error_description="Token revoked"');
      });
    });

    describe('messages', () => {
      it('lets anyone reach a @Public() handler', async () => {
        await expect(send('public')).resolves.toEqual({ open: true });
      });

      it('obeys a @CallableBy() handler only with that service’s token as service-authorization', async () => {
        const service = (clientId: string, roles = ['service']) =>
          bearer({ claims: { sub: `service:${clientId}`, client_id: clientId, roles } });
        const fromGateway = (serviceAuthorization?: string, authorization?: string) =>
          bus.send(subject('from-gateway'), {}, { serviceAuthorization, authorization });
        await expect(fromGateway(service('gateway'))).resolves.toEqual({ fromGateway: true });
        for (const [serviceAuthorization, authorization] of [
          [undefined, undefined],
          // The caller's own token in either header vouches for no service.
          [undefined, service('gateway')],
          [bearer(), undefined],
          [service('orders'), undefined],
          [service('gateway', ['admin']), undefined],
          [
            bearer({
              claims: {
                sub: 'service:gateway',
                client_id: 'gateway',
                roles: ['service'],
                iss: 'https://evil.example',
              },
            }),
            undefined,
          ],
        ]) {
          const error = await fromGateway(serviceAuthorization, authorization).then(
            () => undefined,
            (refused: unknown) => refused as ServiceError,
          );
          expect(error?.toReply()).toEqual({
            status: 403,
            code: ErrorCode.Forbidden,
            message: 'Only the service gateway may send this',
          });
        }
      });

      it('believes a @ClientAddressFrom() payload’s address only from that service', async () => {
        const gateway = bearer({
          claims: { sub: 'service:gateway', client_id: 'gateway', roles: ['service'] },
        });
        const orders = bearer({
          claims: { sub: 'service:orders', client_id: 'orders', roles: ['service'] },
        });
        const addressed = (payload: object, serviceAuthorization?: string) =>
          bus.send(subject('addressed'), payload, { serviceAuthorization });
        await expect(addressed({})).resolves.toEqual({ clientIp: null });
        await expect(addressed({}, orders)).resolves.toEqual({ clientIp: null });
        await expect(addressed({ clientIp: '203.0.113.7' }, gateway)).resolves.toEqual({
          clientIp: '203.0.113.7',
        });
        for (const serviceAuthorization of [undefined, orders, bearer()]) {
          const error = await addressed({ clientIp: '203.0.113.7' }, serviceAuthorization).then(
            () => undefined,
            (refused: unknown) => refused as ServiceError,
          );
          expect(error?.toReply()).toMatchObject({ status: 403, code: ErrorCode.Forbidden });
        }
      });

      it('refuses a message without a credential with 401 UNAUTHENTICATED', async () => {
        for (const authorization of [undefined, 'Basic dXNlcjpwYXNz']) {
          const error = await refusal('me', authorization);
          expect(error).toBeInstanceOf(ServiceError);
          expect(error.toReply()).toEqual({
            status: 401,
            code: ErrorCode.Unauthenticated,
            message: 'Authentication required',
          });
        }
      });

      it('refuses an invalid token with 401 INVALID_TOKEN and the reason', async () => {
        const error = await refusal('me', bearer({ claims: { iss: 'https://evil.example' } }));
        expect(error.toReply()).toEqual({
          status: 401,
          code: ErrorCode.InvalidToken,
          message: 'Unexpected issuer',
        });
      });

      it('accepts a valid token from the authorization header and shows the principal', async () => {
        await expect(send('me', bearer({ claims: { sub: 'user-9', roles: [] } }))).resolves.toEqual(
          {
            subject: 'user-9',
            scopes: ['openid', 'orders:read'],
            roles: [],
            hasToken: true,
          },
        );
      });

      it('refuses missing scopes with 403 INSUFFICIENT_SCOPE', async () => {
        const error = await refusal('scoped', bearer());
        expect(error.toReply()).toEqual({
          status: 403,
          code: ErrorCode.InsufficientScope,
          message: 'Requires scope: orders:read orders:write',
        });
        await expect(
          send('scoped', bearer({ claims: { scope: 'orders:read orders:write' } })),
        ).resolves.toEqual({ scoped: true });
      });

      it('refuses a missing role with 403 FORBIDDEN', async () => {
        const error = await refusal('admin', bearer({ claims: { roles: ['user'] } }));
        expect(error).toMatchObject({ status: 403, code: ErrorCode.Forbidden });
        await expect(send('admin', bearer({ claims: { roles: ['admin'] } }))).resolves.toEqual({
          admin: true,
        });
      });

      it('refuses a token of a subject revoked since it was issued', async () => {
        const token = bearer({
          claims: { sub: 'user-disabled', iat: Math.floor(Date.now() / 1000) - 5 },
        });
        await expect(send('me', token)).resolves.toMatchObject({ subject: 'user-disabled' });
        const now = Date.now() / 1000;
        app.get(RevocationList).revokeSubject('user-disabled', Math.ceil(now), now + 600);
        expect((await refusal('me', token)).toReply()).toMatchObject({
          code: ErrorCode.InvalidToken,
          message: 'Token revoked',
        });
      });

      it('delivers a protected event only with a valid credential, public events always', async () => {
        events.length = 0;
        await bus.emit(subject('protected-event'), { name: 'anonymous' });
        await bus.emit(
          subject('protected-event'),
          { name: 'forged' },
          {
            authorization: bearer({ header: { alg: 'none' } }),
          },
        );
        await bus.emit(
          subject('protected-event'),
          { name: 'signed' },
          {
            authorization: bearer({ claims: { sub: 'publisher' } }),
          },
        );
        await bus.emit(subject('public-event'), { name: 'public' });
        await waitFor(() => events.length >= 2);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(events).toEqual(
          expect.arrayContaining([{ name: 'signed', subject: 'publisher' }, { name: 'public' }]),
        );
        expect(events).toHaveLength(2);
      });
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

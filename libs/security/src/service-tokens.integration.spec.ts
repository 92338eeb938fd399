import { randomBytes } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorCode, serviceTokenSubject, ServiceToken } from '@platform/contracts';
import { TransportOptions } from '@platform/transport';
import { NatsServer } from '../../../test/support/nats-server';
import { startGuardedApp } from '../test/guarded-app';
import {
  generateTestKey,
  signAccessToken,
  TEST_AUDIENCE,
  TestJwksSource,
  TestKey,
} from '../test/token-factory';
import { CallableBy, Public } from './auth-metadata';
import { JwksCache } from './jwks-cache';
import { ServiceTokens } from './service-tokens';

const prefix = `svc${randomBytes(4).toString('hex')}`;
const subject = (name: string) => `${TEST_AUDIENCE}.${prefix}.${name}`;
const withdrawn = generateTestKey('ES256');
const next = generateTestKey('ES256');

/** What the callee's side of the bus does: auth's token subject, and two guarded subjects. */
const callee = { signingKey: withdrawn as TestKey, tokensIssued: 0, obeyed: 0 };

@Controller()
class CalleeController {
  /** Auth's side of `ServiceTokens`: the gateway's token, signed with the key that signs now. */
  @Public()
  @MessagePattern(serviceTokenSubject('gateway'))
  serviceToken(): ServiceToken {
    callee.tokensIssued += 1;
    // For auth, as every service token, and for the test's callee.
    const aud = ['auth', TEST_AUDIENCE];
    const claims = { sub: 'gateway', client_id: 'gateway', aud, roles: ['service'] };
    return { access_token: signAccessToken(callee.signingKey, { claims }), expires_in: 300 };
  }

  @Public()
  @CallableBy('gateway')
  @MessagePattern(subject('from-gateway'))
  fromGateway() {
    callee.obeyed += 1;
    return { obeyed: true };
  }

  @Public()
  @CallableBy('users')
  @MessagePattern(subject('from-users'))
  fromUsers() {
    return { obeyed: true };
  }
}

/**
 * A service's token crosses a key withdrawal (`keys:revoke`): the callee has dropped the key
 * that signed it when the message arrives, while the sender still held that key when it sent.
 * That is a message on its way during the announcement, or a sender that hears it a moment
 * after the callee: two processes on one NATS server, each with its own key set, make the order
 * certain.
 */
describe('ServiceTokens across a signing key withdrawal', () => {
  let nats: NatsServer;
  let calleeApp: NestFastifyApplication;
  let senderApp: NestFastifyApplication;
  let serviceTokens: ServiceTokens;

  beforeAll(async () => {
    nats = await NatsServer.start();
    const options = (name: string): TransportOptions => ({
      natsUrl: nats.url,
      requestTimeoutMs: 2000,
      connectionName: name,
      recentEventsSeconds: 60,
    });
    const keySet = () => new TestJwksSource([withdrawn.jwk, next.jwk]);
    calleeApp = await startGuardedApp(keySet(), [CalleeController], options('callee'));
    senderApp = await startGuardedApp(keySet(), [], options('sender'));
    serviceTokens = senderApp.get(ServiceTokens);
    await Promise.all([calleeApp, senderApp].map((app) => app.get(JwksCache).refresh()));
  });

  afterAll(async () => {
    await senderApp?.close();
    await calleeApp?.close();
    await nats?.stop();
  });

  it('renews a token the callee refused for its withdrawn key, and sends the message again', async () => {
    expect(await serviceTokens.send(subject('from-gateway'), {})).toEqual({ obeyed: true });
    expect(callee.tokensIssued).toBe(1);

    // The withdrawal has reached the callee (and auth, which signs with the next key), not yet
    // the sender, which still holds its token as valid.
    calleeApp.get(JwksCache).accept({ keys: [next.jwk] });
    callee.signingKey = next;

    expect(await serviceTokens.send(subject('from-gateway'), {})).toEqual({ obeyed: true });
    expect(callee.tokensIssued).toBe(2);
    expect(callee.obeyed).toBe(2);
  });

  it('passes on a refusal that a new token would not change, asking no more than once', async () => {
    const issuedBefore = callee.tokensIssued;
    const refusal = await serviceTokens.send(subject('from-users'), {}).catch((error) => error);
    expect(refusal).toMatchObject({ status: 403, code: ErrorCode.Forbidden });
    expect(callee.tokensIssued - issuedBefore).toBeLessThanOrEqual(1);
  });
});

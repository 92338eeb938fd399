import { validatePlatformEnv } from '@platform/config';
import { createHttpAdapter } from './http-server';
import { securityHeaders } from './security-headers';

/** The client address every per-address limit counts, as Fastify reads it. */
async function clientAddress(trustedProxies: string, remoteAddress: string, forwardedFor?: string) {
  const fastify = createHttpAdapter(
    validatePlatformEnv({ TRUSTED_PROXIES: trustedProxies }),
  ).getInstance();
  fastify.get('/ip', (request) => ({ ip: request.ip }));
  const answer = await fastify.inject({
    method: 'GET',
    url: '/ip',
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  await fastify.close();
  return answer.json<{ ip: string }>().ip;
}

describe('TRUSTED_PROXIES', () => {
  it('ignores X-Forwarded-For unless configured: a client cannot name its own address', async () => {
    expect(await clientAddress('', '203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    expect(await clientAddress('10.0.0.0/8', '203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
  });

  it('takes the address a trusted proxy saw, not one the client prepended', async () => {
    expect(await clientAddress('10.0.0.0/8', '10.1.2.3', '198.51.100.1')).toBe('198.51.100.1');
    expect(await clientAddress('10.0.0.0/8', '10.1.2.3', '192.0.2.66, 198.51.100.1')).toBe(
      '198.51.100.1',
    );
    expect(await clientAddress('10.0.0.0/8', '10.1.2.3', '198.51.100.1, 10.4.4.4')).toBe(
      '198.51.100.1',
    );
  });
});

describe('security headers', () => {
  it('are helmet’s defaults, computed once', () => {
    expect(securityHeaders()).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'content-security-policy': expect.stringContaining("script-src 'self'"),
      'strict-transport-security': expect.stringContaining('max-age='),
    });
  });
});

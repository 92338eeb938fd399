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

describe('what Fastify refuses before any route', () => {
  async function answer(request: { method: 'GET' | 'POST'; url: string; payload?: string }) {
    const fastify = createHttpAdapter(validatePlatformEnv({})).getInstance();
    fastify.get('/v1/users/:id', () => ({}));
    fastify.post('/echo', (request) => request.body);
    const response = await fastify.inject({
      ...request,
      headers: {
        'x-correlation-id': 'router-refusal',
        ...(request.payload ? { 'content-type': 'application/json' } : {}),
      },
    });
    await fastify.close();
    return response;
  }

  it.each([
    ['a URL that does not decode', '/v1/users/%E0%A4%A', 'MALFORMED_REQUEST'],
    ['a path parameter past maxParamLength', `/v1/users/${'x'.repeat(600)}`, 'REQUEST_REJECTED'],
  ])('answers %s as problem+json with the headers of every answer', async (_case, url, code) => {
    const response = await answer({ method: 'GET', url });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 400, code, correlationId: 'router-refusal' });
    expect(response.json().detail).not.toContain('xxxx');
    expect(response.headers['x-correlation-id']).toBe('router-refusal');
    expect(response.headers).toMatchObject(securityHeaders());
  });

  it('parses a JSON body as deep as the contracts allow, and refuses one level more with 400', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const allowed = await answer({ method: 'POST', url: '/echo', payload: nested(32) });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toBe(nested(32));
    const refused = await answer({ method: 'POST', url: '/echo', payload: nested(33) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('Request body nests deeper than 32 levels');
  });

  it('still refuses a body that is not JSON, and a prototype-poisoning one', async () => {
    expect((await answer({ method: 'POST', url: '/echo', payload: '{"a":' })).statusCode).toBe(400);
    const poisoned = await answer({
      method: 'POST',
      url: '/echo',
      payload: '{"__proto__":{"admin":true}}',
    });
    expect(poisoned.statusCode).toBe(400);
  });
});

import type { FastifyRequest } from 'fastify';
import { parseForm, parseFormBody } from './form-body';

function parse(url: string, body: string): { error: Error | null; parsed?: unknown } {
  let outcome: { error: Error | null; parsed?: unknown } | undefined;
  parseFormBody({ url } as FastifyRequest, Buffer.from(body), (error, parsed) => {
    outcome = { error, parsed };
  });
  return outcome!;
}

describe('form bodies', () => {
  it('are parsed for the OAuth endpoints, a repeated parameter as a list', () => {
    const { error, parsed } = parse(
      '/oauth2/token',
      'grant_type=client_credentials&resource=urn%3Aa&resource=urn%3Ab&scope=a+b',
    );
    expect(error).toBeNull();
    expect({ ...(parsed as object) }).toEqual({
      grant_type: 'client_credentials',
      resource: ['urn:a', 'urn:b'],
      scope: 'a b',
    });
  });

  it('cannot reach Object.prototype', () => {
    const parsed = parseForm('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(parsed.__proto__).toBe('x');
  });

  it('are refused with 415 anywhere else: the JSON API takes no cross-site form posts', () => {
    for (const url of ['/v1/auth/login', '/v1/oauth2/token', '/oauth2']) {
      const { error } = parse(url, 'email=a&password=b');
      expect(error).toMatchObject({ statusCode: 415 });
    }
  });
});

import { BrowserParams } from './browser-params';

describe('BrowserParams', () => {
  it('reads a parameter sent once, and takes one sent empty as omitted', () => {
    const params = new BrowserParams({ state: 'xyz', nonce: '' });
    expect([params.get('state'), params.get('nonce'), params.malformed]).toEqual([
      'xyz',
      undefined,
      [],
    ]);
  });

  it.each([
    ['repeated', ['a', 'b']],
    ['with U+0000', 'a\u0000b'],
    ['with a lone high surrogate', 'a\ud800b'],
    ['with a lone low surrogate', '\udc00'],
  ])('reports a parameter %s as malformed, and gives no value for it', (_name, value) => {
    const params = new BrowserParams({ client_id: value });
    expect(params.get('client_id')).toBeUndefined();
    expect(params.isMalformed('client_id')).toBe(true);
  });

  it('keeps text outside the Basic Multilingual Plane', () => {
    expect(new BrowserParams({ state: 'state-😀' }).get('state')).toBe('state-😀');
  });
});

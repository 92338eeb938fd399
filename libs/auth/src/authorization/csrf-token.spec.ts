import { csrfToken, csrfTokenMatches } from './csrf-token';

describe('CSRF tokens', () => {
  const browser = 'b'.repeat(43);
  const token = csrfToken(browser, 'login', 'request-1');

  it('match the browser, form and request they were made for', () => {
    expect(csrfTokenMatches(token, browser, 'login', 'request-1')).toBe(true);
  });

  it.each([
    ['another browser', token, 'c'.repeat(43), 'login', 'request-1'],
    ['no browser cookie', token, undefined, 'login', 'request-1'],
    ['another form', token, browser, 'consent', 'request-1'],
    ['another request', token, browser, 'login', 'request-2'],
    ['no token', undefined, browser, 'login', 'request-1'],
    ['a truncated token', token.slice(0, -1), browser, 'login', 'request-1'],
  ] as const)('refuse a token from %s', (_name, presented, secret, purpose, subject) => {
    expect(csrfTokenMatches(presented, secret, purpose, subject)).toBe(false);
  });
});

import { ConfigService } from '@nestjs/config';
import { BrowserCookies } from './browser-cookies';
import { escape, loginPage } from './hosted-pages';

function cookiesFor(issuer: string): BrowserCookies {
  const values: Record<string, unknown> = { ISSUER: issuer, REFRESH_ABSOLUTE_DAYS: 30 };
  return new BrowserCookies({ get: (name: string) => values[name] } as unknown as ConfigService<
    never,
    true
  >);
}

describe('BrowserCookies', () => {
  const value = 'a'.repeat(43);

  it('are HttpOnly and SameSite=Lax, and Secure with the __Host- prefix behind https', () => {
    expect(cookiesFor('http://localhost:3000').set('session', value)).toBe(
      `op_session=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`,
    );
    expect(cookiesFor('https://id.example').set('session', value)).toBe(
      `__Host-op_session=${value}; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=2592000`,
    );
    expect(cookiesFor('https://id.example').clear('browser')).toMatch(/Max-Age=0$/);
  });

  it('reads only its own well-formed cookies', () => {
    const cookies = cookiesFor('http://localhost:3000');
    expect(cookies.read(`other=1; op_browser=${value}; op_session=short`)).toEqual({
      browser: value,
    });
    expect(cookies.read(undefined)).toEqual({});
  });
});

describe('the hosted pages', () => {
  it('escape what they show', () => {
    const html = loginPage('nonce', {
      clientName: '<script>alert(1)</script>',
      action: '/oauth2/login',
      fields: [{ name: 'request', value: '"><img src=x>' }],
      email: "o'hara@example.com",
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"><img');
    expect(html).toContain(escape("o'hara@example.com"));
    expect(html).toContain('<label for="email">Email</label>');
  });
});

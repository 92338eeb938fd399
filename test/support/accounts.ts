import { randomUUID } from 'node:crypto';
import { http } from './http.ts';

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  authorization: { authorization: string };
}

/** Logs in, retrying while the account may not exist yet (the bootstrap admin is created async). */
export async function login(
  baseUrl: string,
  email: string,
  password: string,
  retryForMs = 0,
): Promise<{ access_token: string; refresh_token: string }> {
  const deadline = Date.now() + retryForMs;
  for (;;) {
    const response = await http(baseUrl, 'POST', '/v1/auth/login', { json: { email, password } });
    if (response.status === 200) return response.body;
    if (Date.now() > deadline) {
      throw new Error(
        `login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A new user, registered and logged in. */
export async function newAccount(baseUrl: string, displayName?: string): Promise<TestAccount> {
  const email = `user-${randomUUID()}@example.com`;
  const password = `password-${randomUUID()}`;
  const registered = await http(baseUrl, 'POST', '/v1/auth/register', {
    json: { email, password, ...(displayName ? { displayName } : {}) },
  });
  if (registered.status !== 201) {
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  const tokens = await login(baseUrl, email, password);
  return accountOf(registered.body.id, email, password, tokens);
}

export function accountOf(
  id: string,
  email: string,
  password: string,
  tokens: { access_token: string; refresh_token: string },
): TestAccount {
  return {
    id,
    email,
    password,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    authorization: { authorization: `Bearer ${tokens.access_token}` },
  };
}

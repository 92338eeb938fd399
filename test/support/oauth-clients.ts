import { http } from './http.ts';
import type { TestAccount } from './accounts.ts';

/** A client registered through the admin API (RFC 7591), with its secret when it has one. */
export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

/** Registers an OAuth client as an administrator; fails the test when registration does. */
export async function registerClient(
  baseUrl: string,
  admin: TestAccount,
  metadata: Record<string, unknown>,
): Promise<RegisteredClient> {
  const registered = await http(baseUrl, 'POST', '/v1/admin/clients', {
    headers: admin.authorization,
    json: metadata,
  });
  if (registered.status !== 201) {
    throw new Error(
      `client registration failed: ${registered.status} ${JSON.stringify(registered.body)}`,
    );
  }
  return registered.body as RegisteredClient;
}

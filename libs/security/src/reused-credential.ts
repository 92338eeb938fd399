import { ErrorCode, ServiceError } from '@platform/contracts';
import { decodeJsonObject } from './json-segment';

/**
 * A bearer credential a process obtained for itself and reuses until shortly before it
 * expires: a service's own token, auth's token for users, a token exchanged on a user's behalf.
 * The sender reuses one only while the key that signed it is still trusted, but a key's
 * withdrawal (`keys:revoke`) can reach the callee first: while a message carrying it is on its
 * way, or because the sender hears the announcement a moment later than the callee. The callee
 * then refuses a credential the sender believed in, and a new one, signed with the key that
 * signs now, would be obeyed.
 */
export interface ReusedCredential {
  /** `Bearer <jwt>`: the one held, or a new one once that one will not do. */
  authorization(): Promise<string>;
  /** A credential in place of `refused`, which is not held any more. */
  renew(refused: string): Promise<string>;
}

/**
 * `send` with the credential, and once more with a renewed one when the callee refused the
 * first (RFC 6750 3.1 `invalid_token`, or the 403 of a sender it does not believe) and the
 * renewed one names another signing key (RFC 7515 4.1.4 `kid`): the refusal was the key's
 * withdrawal. Otherwise the refusal was about something a new credential does not change, and
 * is passed on. Sending again does nothing twice: a credential is refused by the callee's
 * guard, before its handler runs.
 */
export async function sendWithCredential<T>(
  credential: ReusedCredential,
  send: (authorization: string) => Promise<T>,
): Promise<T> {
  const authorization = await credential.authorization();
  try {
    return await send(authorization);
  } catch (error) {
    if (!isCredentialRefusal(error)) throw error;
    const renewed = await credential.renew(authorization);
    if (keyIdOf(renewed) === keyIdOf(authorization)) throw error;
    return send(renewed);
  }
}

function isCredentialRefusal(error: unknown): boolean {
  return (
    error instanceof ServiceError &&
    (error.code === ErrorCode.InvalidToken || error.code === ErrorCode.Forbidden)
  );
}

/** The `kid` of a token this platform issued; not a verification, which is the callee's. */
function keyIdOf(authorization: string): string | undefined {
  const token = authorization.slice(authorization.indexOf(' ') + 1);
  const kid = decodeJsonObject(token.slice(0, token.indexOf('.')))?.kid;
  return typeof kid === 'string' ? kid : undefined;
}

import { KeyObject } from 'node:crypto';
import { SigningAlgorithm } from '@platform/contracts';
import { createSignature } from '@platform/security';

/**
 * A JWS in compact serialization (RFC 7515 7.1), signed with node:crypto directly: one call,
 * no PEM parsing per token, and the header is exactly what we write (RFC 8725 3.11: explicit
 * typing).
 */
export async function signCompactJws(
  header: { alg: SigningAlgorithm; kid: string; typ: string },
  payload: object,
  key: KeyObject,
): Promise<string> {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = await createSignature(header.alg, key, Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${signature.toString('base64url')}`;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

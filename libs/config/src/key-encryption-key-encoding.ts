/** A key-encryption key's length: AES-256. */
export const KEY_ENCRYPTION_KEY_BYTES = 32;

/**
 * Whether `text` is the base64 (RFC 4648 4) or base64url (RFC 4648 5) of exactly
 * `KEY_ENCRYPTION_KEY_BYTES` and nothing else. Node's decoder skips characters it does not
 * know, so a quoted, mangled or cut-off value would otherwise become another key.
 */
export function isKeyEncryptionKeyEncoding(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text);
}

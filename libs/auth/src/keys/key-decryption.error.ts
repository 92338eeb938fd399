/**
 * A sealed private key that cannot be opened: encrypted under another key-encryption key, bound
 * to another `kid`, malformed, or altered. The message names the `kid`, and the ids of
 * key-encryption keys when they tell which one is missing, never any key material.
 */
export class KeyDecryptionError extends Error {
  constructor(
    readonly kid: string,
    reason = 'it was encrypted under a different KEY_ENCRYPTION_KEY, or its stored form was altered',
  ) {
    super(`Signing key ${kid} cannot be decrypted: ${reason}`);
    this.name = 'KeyDecryptionError';
  }
}

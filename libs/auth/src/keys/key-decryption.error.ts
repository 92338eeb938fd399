/**
 * A sealed private key that cannot be opened: encrypted under another key-encryption key, bound
 * to another `kid`, malformed, or altered. The message names the `kid` and never any key material.
 */
export class KeyDecryptionError extends Error {
  constructor(readonly kid: string) {
    super(
      `Signing key ${kid} cannot be decrypted: it was encrypted under a different ` +
        `KEY_ENCRYPTION_KEY, or its stored form was altered`,
    );
    this.name = 'KeyDecryptionError';
  }
}

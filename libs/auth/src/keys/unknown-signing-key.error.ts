/** `keys:revoke` was given a `kid` that names no stored key (never one, or deleted already). */
export class UnknownSigningKeyError extends Error {
  constructor(readonly kid: string) {
    super(`There is no signing key ${kid}`);
    this.name = 'UnknownSigningKeyError';
  }
}

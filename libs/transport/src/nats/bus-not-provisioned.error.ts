/**
 * A stream or bucket this process needs is missing from a hardened bus, or is not configured
 * as this release declares it. Its identity may not create or change one (see
 * `busPermissions`): the operator provisions them, so the process stops, saying how.
 */
export class BusNotProvisionedError extends Error {
  constructor(problem: string) {
    super(`${problem}: provision the bus with this release's npm run nats:provision`);
    this.name = 'BusNotProvisionedError';
  }
}

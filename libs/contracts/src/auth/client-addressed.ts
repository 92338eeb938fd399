import { IsIP, IsOptional } from 'class-validator';

// TypeScript requires exactly `any[]` of a class a mixin extends (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = new (...args: any[]) => object;

/**
 * A message payload that carries, beside a request body, the client's address as the gateway
 * saw it, for the per-address limits. Believed only from the gateway: on the hardened bus it
 * alone may publish these subjects. Without one, all such requests share one count.
 */
export function ClientAddressed<T extends Constructor>(Body: T) {
  class Addressed extends Body {
    @IsOptional()
    @IsIP()
    clientIp?: string;
  }
  return Addressed;
}

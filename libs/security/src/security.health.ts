import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { JwksCache } from './jwks-cache';
import { RevocationCatchUp } from './revocation-catch-up';

/**
 * Readiness of token checking: this process holds the signing keys and the revocations in
 * force. Before that it would refuse good tokens or accept revoked ones.
 */
@Injectable()
export class SecurityHealthIndicator {
  constructor(
    private readonly keys: JwksCache,
    private readonly revocations: RevocationCatchUp,
    private readonly health: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult {
    const indicator = this.health.check('security');
    if (!this.keys.held) return indicator.down({ message: 'signing keys not obtained yet' });
    if (!this.revocations.loaded) return indicator.down({ message: 'revocations not loaded yet' });
    return indicator.up({ keys: this.keys.size });
  }
}

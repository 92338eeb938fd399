import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ContextReadiness } from '@platform/health';
import { ActiveSigningKey } from './active-signing-key';

/**
 * Readiness of signing: this auth replica holds an active key it can open. Without one every
 * login and token grant fails, so the replica must not take traffic.
 */
@Injectable()
@ContextReadiness()
export class SigningKeyHealthIndicator {
  constructor(
    private readonly activeKey: ActiveSigningKey,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('signing');
    try {
      return indicator.up({ kid: (await this.activeKey.current()).kid });
    } catch {
      return indicator.down({ message: 'no active signing key this process can open' });
    }
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { Metrics } from '@platform/observability';
import { AccessTokenVerifier } from './access-token-verifier';

/**
 * `token_verifier_memo_total{result}`: how many tokens this process's verifier found verified
 * already (`hit`, no signature check) and how many it had to check (`miss`).
 */
@Injectable()
export class VerifierMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  onModuleInit(): void {
    const stats = this.verifier.memoStats;
    this.metrics.counter({
      name: 'token_verifier_memo_total',
      help: 'Access tokens verified, by whether the verifier had checked the same token before',
      labelNames: ['result'] as const,
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, stats.hits);
        this.inc({ result: 'miss' }, stats.misses);
      },
    });
  }
}

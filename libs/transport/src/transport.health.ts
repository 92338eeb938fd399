import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClientNats, ClientProxy } from '@nestjs/microservices';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MESSAGE_CLIENT } from './transport-options';

const PING_TIMEOUT_MS = 2000;

/**
 * Readiness of the transport: this process's message handlers are subscribed, and over NATS a
 * PING/PONG round trip to the server succeeds.
 */
@Injectable()
export class TransportHealthIndicator {
  private serverListening = false;

  constructor(
    @Inject(MESSAGE_CLIENT) private readonly client: ClientProxy,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Called once the message server has subscribed every handler. */
  markServerListening(): void {
    this.serverListening = true;
  }

  async check(): Promise<HealthIndicatorResult> {
    if (!this.serverListening) {
      return this.health
        .check('transport')
        .down({ message: 'message handlers not subscribed yet' });
    }
    const client = this.client;
    if (!(client instanceof ClientNats)) {
      return this.health.check('transport').up({ kind: 'in-process' });
    }
    return this.health
      .check('transport')
      .attempt(async () => {
        await client.connect();
        await client.unwrap<NatsConnection>().flush();
        return { kind: 'nats' };
      })
      .withTimeout(PING_TIMEOUT_MS);
  }
}

import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClientNats, ClientProxy } from '@nestjs/microservices';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EventReplayProgress } from './event-replay.progress';
import { MESSAGE_CLIENT } from './transport-options';

const PING_TIMEOUT_MS = 2000;

/**
 * Readiness of the transport: this process's message handlers are subscribed, its replaying
 * event handlers have caught up with their streams (see `EventReplay`), and over NATS a
 * PING/PONG round trip to the server succeeds.
 */
@Injectable()
export class TransportHealthIndicator {
  private serverListening = false;

  constructor(
    @Inject(MESSAGE_CLIENT) private readonly client: ClientProxy,
    private readonly health: HealthIndicatorService,
    private readonly replays: EventReplayProgress,
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
    const behind = this.replays.behind();
    if (behind.length > 0) {
      return this.health
        .check('transport')
        .down({ message: `still reading the event streams for ${behind.join(', ')}` });
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

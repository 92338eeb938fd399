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
    if (!(this.client instanceof ClientNats)) {
      return this.health.check('transport').up({ kind: 'in-process' });
    }
    const indicator = this.health.check('transport');
    try {
      await withTimeout(
        (async () => {
          await this.client.connect();
          await this.client.unwrap<NatsConnection>().flush();
        })(),
        PING_TIMEOUT_MS,
      );
      return indicator.up({ kind: 'nats' });
    } catch (error) {
      return indicator.down({ kind: 'nats', message: String((error as Error).message ?? error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClientNats, ClientProxy } from '@nestjs/microservices';
import { MESSAGE_CLIENT } from '../transport-options';

/**
 * The NATS connection under this process's message client, for what needs NATS itself rather
 * than request/reply (a JetStream key-value bucket); none with the in-process transport.
 */
@Injectable()
export class NatsConnectionAccess {
  constructor(@Inject(MESSAGE_CLIENT) private readonly client: ClientProxy) {}

  /**
   * The connection, once there is one (it waits for a NATS that is not up yet); undefined
   * in-process. While it reconnects it is still the connection: nats.js holds what is sent
   * meanwhile and sends it once back, where Nest's client would refuse at once.
   */
  async connection(): Promise<NatsConnection | undefined> {
    if (!(this.client instanceof ClientNats)) return undefined;
    try {
      return this.client.unwrap<NatsConnection>();
    } catch {
      await this.client.connect();
      return this.client.unwrap<NatsConnection>();
    }
  }
}

import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClientNats, ClientProxy } from '@nestjs/microservices';
import { MESSAGE_CLIENT, TRANSPORT_OPTIONS, TransportOptions } from '../transport-options';

/**
 * The NATS connection under this process's message client, for what needs NATS itself rather
 * than request/reply (a JetStream key-value bucket); none with the in-process transport.
 */
@Injectable()
export class NatsConnectionAccess {
  constructor(
    @Inject(MESSAGE_CLIENT) private readonly client: ClientProxy,
    @Inject(TRANSPORT_OPTIONS) private readonly options: TransportOptions,
  ) {}

  /**
   * Whether the streams and buckets are the operator's: a process that connects with an
   * identity of its own (`NATS_NKEY_SEED_FILE`) is on a hardened bus, where it may look them up
   * but not create or change them (`npm run nats:provision` does). On the open bus, without
   * credentials, a process creates what it needs itself.
   */
  get provisionedAhead(): boolean {
    return Boolean(this.options.natsUrl && this.options.natsIdentity?.seedFile);
  }

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

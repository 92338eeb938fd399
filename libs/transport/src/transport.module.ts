import {
  DynamicModule,
  Global,
  Inject,
  INestApplicationContext,
  Module,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { ClientProxy, CustomStrategy } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import { MessageHandledLog, MetricsModule } from '@platform/observability';
import { InProcessBroker } from './in-process/in-process.broker';
import { InProcessClient } from './in-process/in-process.client';
import { InProcessServer } from './in-process/in-process.server';
import { ContextNatsClient } from './nats/context-nats.client';
import { ContextNatsServer } from './nats/context-nats.server';
import { natsConnectionOptions } from './nats/nats-connection.options';
import { EventPublisher } from './event-publisher';
import { EventReplayProgress } from './event-replay.progress';
import { MessageBus } from './message-bus';
import { NatsConnectionAccess } from './nats/nats-connection.access';
import { ProvisionedBusCheck } from './nats/provisioned-bus.check';
import { OutboxMetrics } from './outbox/outbox.metrics';
import { TransportHealthIndicator } from './transport.health';
import { MESSAGE_CLIENT, TRANSPORT_OPTIONS, TransportOptions } from './transport-options';

/**
 * The mode toggle, in one place: `natsUrl` unset means the in-process broker, set means NATS,
 * for the client every context calls through and for the server that runs its handlers. Over
 * NATS, a process's requests to its own contexts still take the in-process broker, unless
 * `preferLocal` is off (see `ContextNatsClient`).
 */
@Global()
@Module({})
export class TransportModule implements OnApplicationShutdown {
  constructor(@Inject(MESSAGE_CLIENT) private readonly client: ClientProxy) {}

  static forRoot(options: TransportOptions): DynamicModule {
    const client: Provider = options.natsUrl
      ? {
          provide: MESSAGE_CLIENT,
          inject: [InProcessBroker],
          useFactory: (broker: InProcessBroker) =>
            new ContextNatsClient(
              natsConnectionOptions(
                options.natsUrl!,
                `${options.connectionName}:client`,
                options.natsIdentity,
              ),
              options.requestTimeoutMs + 1000,
              options.preferLocal === false ? undefined : broker,
            ),
        }
      : {
          provide: MESSAGE_CLIENT,
          inject: [InProcessBroker],
          useFactory: (broker: InProcessBroker) => new InProcessClient(broker),
        };
    return {
      module: TransportModule,
      imports: [TerminusModule, MetricsModule],
      providers: [
        { provide: TRANSPORT_OPTIONS, useValue: options },
        InProcessBroker,
        client,
        MessageBus,
        TransportHealthIndicator,
        NatsConnectionAccess,
        ProvisionedBusCheck,
        OutboxMetrics,
        EventPublisher,
        EventReplayProgress,
      ],
      exports: [
        EventPublisher,
        EventReplayProgress,
        MessageBus,
        TransportHealthIndicator,
        InProcessBroker,
        TRANSPORT_OPTIONS,
        NatsConnectionAccess,
        ProvisionedBusCheck,
        OutboxMetrics,
      ],
    };
  }

  /**
   * The message server for `app.connectMicroservice`, on the same transport as the client, of
   * the application `app` whose `TransportModule.forRoot` it serves.
   */
  static createServer(options: TransportOptions, app: INestApplicationContext): CustomStrategy {
    return {
      strategy: options.natsUrl
        ? new ContextNatsServer({
            connection: {
              ...natsConnectionOptions(
                options.natsUrl,
                `${options.connectionName}:server`,
                options.natsIdentity,
              ),
              gracefulShutdown: true,
              gracePeriod: 500,
            },
            identity: options.natsIdentity ?? {},
            recentEventsSeconds: options.recentEventsSeconds,
            progress: app.get(EventReplayProgress),
            local: options.preferLocal === false ? undefined : app.get(InProcessBroker),
            handled: messageHandledLogOf(app),
          })
        : new InProcessServer(app.get(InProcessBroker), messageHandledLogOf(app)),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** The application's `MessageHandledLog`, which an application without `LoggingModule` lacks. */
function messageHandledLogOf(app: INestApplicationContext): MessageHandledLog | undefined {
  try {
    return app.get(MessageHandledLog, { strict: false });
  } catch {
    return undefined;
  }
}

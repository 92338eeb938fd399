import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  AuthEvent,
  durableConsumerName,
  ErrorCode,
  EVENT_STREAMS,
  EventStream,
  ServiceError,
  UsersEvent,
} from '@platform/contracts';
import { PlatformExceptionFilter } from '@platform/http';
import { LoggingModule } from '@platform/observability';
import { NatsServer } from '../../../../test/support/nats-server';
import { TcpLink } from '../../../../test/support/tcp-link';
import { EventPublisher } from '../event-publisher';
import { EventReplayProgress } from '../event-replay.progress';
import { TransportModule } from '../transport.module';

const USERS = EVENT_STREAMS.users!;
const AUTH = EVENT_STREAMS.auth!;

/** What each handler saw, and what the shared one does with the next event. */
const seen = {
  shared: [] as string[],
  recent: [] as string[],
  last: [] as string[],
  fresh: [] as string[],
};
const failures = new Map<string, 'once' | 'refuse'>();

@Controller()
class AuthSideController {
  /** The one action auth takes per event, whichever replica takes it. */
  @EventPattern(UsersEvent.UserDisabled, { queue: 'auth' })
  disabled(@Payload() event: { id: string }): void {
    seen.shared.push(event.id);
    const failure = failures.get(event.id);
    if (failure === 'once') {
      failures.delete(event.id);
      throw new Error('database unavailable');
    }
    if (failure === 'refuse') throw new ServiceError(ErrorCode.ValidationFailed, 'not an id');
  }
}

@Controller()
class EveryProcessController {
  @EventPattern(AuthEvent.SessionRevoked, { replay: 'recent' })
  revoked(@Payload() event: { sessionId: string }): void {
    seen.recent.push(event.sessionId);
  }

  @EventPattern(AuthEvent.KeySetChanged, { replay: 'last' })
  keys(@Payload() event: { keys: { kid: string }[] }): void {
    seen.last.push(event.keys[0].kid);
  }

  @EventPattern(UsersEvent.UserUpdated)
  updated(@Payload() event: { id: string }): void {
    seen.fresh.push(event.id);
  }
}

@Module({
  imports: [LoggingModule.forRoot({ level: 'silent', service: 'jetstream-test' })],
  controllers: [AuthSideController, EveryProcessController],
  providers: [{ provide: APP_FILTER, useClass: PlatformExceptionFilter }],
})
class ProbeModule {}

async function startApp(natsUrl: string): Promise<INestApplication> {
  const options = {
    natsUrl,
    requestTimeoutMs: 2000,
    connectionName: 'jetstream-test',
    recentEventsSeconds: 60,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [TransportModule.forRoot(options), ProbeModule],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  app.connectMicroservice(TransportModule.createServer(options, app), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.init();
  return app;
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Durable events on JetStream, against a NATS server of its own that it stops and restarts. */
describe('events on JetStream', () => {
  let nats: NatsServer;
  let publisherApp: INestApplication;
  let publisher: EventPublisher;
  let observer: NatsConnection;

  const publish = (
    stream: EventStream,
    subject: string,
    payload: object,
    id: string = randomUUID(),
  ) => publisher.publish(stream, { id, subject, payload, headers: {} });

  beforeAll(async () => {
    nats = await NatsServer.start();
    publisherApp = await Test.createTestingModule({
      imports: [
        TransportModule.forRoot({
          natsUrl: nats.url,
          requestTimeoutMs: 2000,
          connectionName: 'jetstream-test-publisher',
          recentEventsSeconds: 60,
        }),
      ],
    })
      .compile()
      .then((moduleRef) => moduleRef.createNestApplication(new FastifyAdapter()).init());
    publisher = publisherApp.get(EventPublisher);
    observer = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await observer?.close();
    await publisherApp?.close();
    await nats?.stop();
  });

  it('creates the stream with the contracts’ subjects and drops a re-sent event', async () => {
    const id = randomUUID();
    await publish(USERS, UsersEvent.UserDisabled, { id: 'before-start' }, id);
    await publish(USERS, UsersEvent.UserDisabled, { id: 'before-start' }, id);
    const info = await (await jetstreamManager(observer)).streams.info(USERS.name);
    expect(info.config.subjects.sort()).toEqual([...USERS.subjects].sort());
    expect(info.state.messages).toBe(1);
  });

  it('is caught up with a stream its producer has not created yet, and reads it once it is', async () => {
    const empty = await NatsServer.start();
    const app = await startApp(empty.url);
    try {
      // Nothing was ever published: waiting would keep the process unready until the producer
      // of each stream started (auth's verifier waiting for users).
      await eventually(() => expect(app.get(EventReplayProgress).behind()).toEqual([]));
      const producer = await Test.createTestingModule({
        imports: [
          TransportModule.forRoot({
            natsUrl: empty.url,
            requestTimeoutMs: 2000,
            connectionName: 'jetstream-test-late-producer',
            recentEventsSeconds: 60,
          }),
        ],
      })
        .compile()
        .then((moduleRef) => moduleRef.createNestApplication(new FastifyAdapter()).init());
      try {
        await producer.get(EventPublisher).publish(AUTH, {
          id: randomUUID(),
          subject: AuthEvent.SessionRevoked,
          payload: { sessionId: 'stream-created-late' },
          headers: {},
        });
        await eventually(() => expect(seen.recent).toContain('stream-created-late'), 10_000);
      } finally {
        await producer.close();
      }
    } finally {
      await app.close();
      await empty.stop();
      for (const list of Object.values(seen)) list.length = 0;
    }
  });

  describe('a process that starts after events were published', () => {
    let app: INestApplication;
    /** The process's own way to NATS, to take it away while the publisher stays. */
    let link: TcpLink;

    beforeAll(async () => {
      for (const sessionId of ['session-1', 'session-2']) {
        await publish(AUTH, AuthEvent.SessionRevoked, { sessionId });
      }
      for (const kid of ['key-1', 'key-2']) {
        await publish(AUTH, AuthEvent.KeySetChanged, { keys: [{ kid }] });
      }
      await publish(USERS, UsersEvent.UserUpdated, { id: 'updated-before-start' });
      link = await TcpLink.to(nats.url);
      app = await startApp(link.url());
    });

    afterAll(async () => {
      await app?.close();
      await link?.close();
    });

    it('acts once on what its context missed, and acknowledges it', async () => {
      await eventually(() => expect(seen.shared).toEqual(['before-start']));
      const jsm = await jetstreamManager(observer);
      await eventually(async () => {
        const consumer = await jsm.consumers.info(
          USERS.name,
          durableConsumerName('auth', UsersEvent.UserDisabled),
        );
        expect({ pending: consumer.num_pending, unacknowledged: consumer.num_ack_pending }).toEqual(
          { pending: 0, unacknowledged: 0 },
        );
      });
    });

    it('replays recent events, the last of a subject, or none, as each handler asks', async () => {
      await eventually(() => {
        expect(seen.recent).toEqual(['session-1', 'session-2']);
        expect(seen.last).toEqual(['key-2']);
      });
      expect(seen.fresh).toEqual([]);
      expect(app.get(EventReplayProgress).behind()).toEqual([]);
    });

    it('hears what is published from then on, in every way', async () => {
      await publish(USERS, UsersEvent.UserUpdated, { id: 'updated-after-start' });
      await publish(AUTH, AuthEvent.KeySetChanged, { keys: [{ kid: 'key-3' }] });
      await eventually(() => {
        expect(seen.fresh).toEqual(['updated-after-start']);
        expect(seen.last).toEqual(['key-2', 'key-3']);
      });
    });

    it('delivers an event again after its handler failed, and never after it refused it', async () => {
      failures.set('fails-once', 'once');
      failures.set('refused', 'refuse');
      await publish(USERS, UsersEvent.UserDisabled, { id: 'fails-once' });
      await publish(USERS, UsersEvent.UserDisabled, { id: 'refused' });
      await eventually(
        () => expect(seen.shared.filter((id) => id === 'fails-once')).toHaveLength(2),
        8000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(seen.shared.filter((id) => id === 'refused')).toHaveLength(1);
    });

    it('misses nothing published while it was cut off from NATS, once it reconnects', async () => {
      await link.cut();
      await publish(AUTH, AuthEvent.SessionRevoked, { sessionId: 'while-away' });
      await publish(USERS, UsersEvent.UserDisabled, { id: 'while-away' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen.recent).not.toContain('while-away');
      await link.restore();
      await eventually(() => {
        expect(seen.recent).toContain('while-away');
        expect(seen.shared).toContain('while-away');
      }, 10_000);
    });

    it('misses nothing published while NATS was away, once it is back', async () => {
      await nats.pause();
      await nats.resume();
      // As the outbox relay does: until the stream is reachable again, the rows wait.
      await eventually(
        () =>
          publish(
            AUTH,
            AuthEvent.SessionRevoked,
            { sessionId: 'after-restart' },
            'after-restart-1',
          ),
        10_000,
      );
      await eventually(
        () => publish(USERS, UsersEvent.UserDisabled, { id: 'after-restart' }, 'after-restart-2'),
        10_000,
      );
      await eventually(() => {
        expect(seen.recent).toContain('after-restart');
        expect(seen.shared).toContain('after-restart');
      }, 10_000);
      expect(seen.recent.filter((id) => id === 'after-restart')).toHaveLength(1);
    });
  });

  it('is caught up on streams not created yet, and hears them once they appear', async () => {
    const empty = await NatsServer.start();
    const app = await startApp(empty.url);
    const producer = await startApp(empty.url);
    try {
      await eventually(() => expect(app.get(EventReplayProgress).behind()).toEqual([]));
      await producer.get(EventPublisher).publish(AUTH, {
        id: randomUUID(),
        subject: AuthEvent.SessionRevoked,
        payload: { sessionId: 'first-ever' },
        headers: {},
      });
      await eventually(() => expect(seen.recent).toContain('first-ever'), 10_000);
    } finally {
      await producer.close();
      await app.close();
      await empty.stop();
    }
  });
});

import { Controller, INestApplication, Module } from '@nestjs/common';
import { EventPattern, RpcException } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ErrorCode } from '@platform/contracts';
import { LoggingModule } from '@platform/observability';
import { MessageBus } from '../message-bus';
import { TransportModule } from '../transport.module';
import { TransportOptions } from '../transport-options';

jest.setTimeout(20_000);

/** How many times each handler ran, and how many more times it fails before it succeeds. */
const runs = { failing: 0, refusing: 0, everyProcess: 0 };
let failuresLeft = 0;

@Controller()
class FlakyHandlers {
  @EventPattern<string>('probe.flaky.failing', { queue: 'probe' })
  failing() {
    runs.failing += 1;
    if (failuresLeft-- > 0) throw new Error('database unavailable');
  }

  @EventPattern<string>('probe.flaky.refusing', { queue: 'probe' })
  refusing() {
    runs.refusing += 1;
    throw new RpcException({ status: 400, code: ErrorCode.ValidationFailed, message: 'bad' });
  }

  @EventPattern<string>('probe.flaky.every-process')
  everyProcess() {
    runs.everyProcess += 1;
    throw new Error('not applied');
  }
}

@Module({
  imports: [LoggingModule.forRoot({ level: 'silent', service: 'in-process-test' })],
  controllers: [FlakyHandlers],
})
class FlakyModule {}

const until = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

/**
 * An event a context's handler (one of a queue group, whose work is durable) failed on is
 * delivered again, backing off, as a JetStream consumer redelivers it over NATS: the embedded
 * shape must not lose what a monolith on NATS would retry.
 */
describe('InProcessServer redelivery', () => {
  let app: INestApplication;
  let bus: MessageBus;

  beforeAll(async () => {
    const options: TransportOptions = {
      requestTimeoutMs: 500,
      connectionName: 'in-process-redelivery',
      recentEventsSeconds: 60,
    };
    const moduleRef = await Test.createTestingModule({
      imports: [TransportModule.forRoot(options), FlakyModule],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    app.connectMicroservice(TransportModule.createServer(options, app), { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.init();
    bus = app.get(MessageBus);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('delivers an event again after its handler failed, until it succeeds', async () => {
    failuresLeft = 2;
    await bus.emit('probe.flaky.failing', {});
    await until(() => runs.failing >= 3, 10_000);
    expect(runs.failing).toBe(3);
  });

  it('drops an event its handler refused, and one a handler of every process failed on', async () => {
    await bus.emit('probe.flaky.refusing', {});
    await bus.emit('probe.flaky.every-process', {});
    await new Promise((r) => setTimeout(r, 2500));
    expect(runs).toMatchObject({ refusing: 1, everyProcess: 1 });
  });
});

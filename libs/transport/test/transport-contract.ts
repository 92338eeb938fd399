import { randomBytes } from 'node:crypto';
import { Controller, INestApplication, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import {
  Ctx,
  EventPattern,
  MessagePattern,
  NatsContext,
  Payload,
  RpcException,
} from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsInt, IsString } from 'class-validator';
import {
  ContractValidationPipe,
  ErrorCode,
  MAX_JSON_NESTING,
  MessageHeader,
  ServiceError,
} from '@platform/contracts';
import { LoggingModule, RequestContext } from '@platform/observability';
import { MessageBus, TransportModule, TransportOptions } from '@platform/transport';
import { PlatformExceptionFilter } from '@platform/http';

/**
 * The behaviour both transports must share, as one suite run against each: whatever passes
 * in-process must pass over NATS, and the reverse.
 */
const prefix = `contract${randomBytes(4).toString('hex')}`;
const subject = (name: string) => `${prefix}.probe.${name}`;
const TIMEOUT_MS = 400;

class EchoDto {
  @IsString()
  text!: string;
  @IsInt()
  count!: number;
}

/** Arrays `depth` levels deep: `[]` is one. */
function nestedArrays(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

const received: { payload: unknown; headers: Record<string, string | undefined> }[] = [];

function headersOf(context: NatsContext): Record<string, string | undefined> {
  const headers = context.getHeaders();
  const read = (name: string) => (headers?.has(name) ? headers.get(name) : undefined);
  return {
    authorization: read(MessageHeader.Authorization),
    correlationId: read(MessageHeader.CorrelationId),
    traceparent: read(MessageHeader.Traceparent),
  };
}

@Controller()
class ProbeController {
  @MessagePattern(subject('echo'))
  echo(@Payload() payload: unknown, @Ctx() context: NatsContext) {
    return { payload, headers: headersOf(context) };
  }

  @MessagePattern(subject('validated'))
  validated(@Payload() payload: EchoDto) {
    return { isDto: payload instanceof EchoDto, text: payload.text };
  }

  @MessagePattern(subject('service-error'))
  serviceError(): never {
    throw new ServiceError(ErrorCode.EmailAlreadyRegistered, 'taken');
  }

  @MessagePattern(subject('rpc-exception'))
  rpcException(): never {
    throw new RpcException({ status: 404, code: ErrorCode.NotFound, message: 'gone' });
  }

  @MessagePattern(subject('crash'))
  crash(): never {
    throw new Error('secret internal detail');
  }

  @MessagePattern(subject('slow'))
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
    return 'late';
  }

  @EventPattern<string>(subject('happened'))
  happened(@Payload() payload: unknown, @Ctx() context: NatsContext) {
    received.push({ payload, headers: headersOf(context) });
  }
}

@Module({
  imports: [LoggingModule.forRoot({ level: 'silent', service: 'transport-test' })],
  controllers: [ProbeController],
  providers: [
    { provide: APP_PIPE, useClass: ContractValidationPipe },
    { provide: APP_FILTER, useClass: PlatformExceptionFilter },
  ],
})
class ProbeModule {}

/** Three contexts' handlers for one event, as a monolith hosting them all registers them. */
const heardBy: string[] = [];

@Controller()
class SharedEventController {
  @EventPattern<string>(subject('shared'), { queue: 'first' })
  first() {
    heardBy.push('first');
  }

  @EventPattern<string>(subject('shared'), { queue: 'second' })
  second() {
    heardBy.push('second');
  }

  @EventPattern<string>(subject('shared'))
  everyProcess() {
    heardBy.push('every process');
  }
}

@Module({ controllers: [SharedEventController] })
class SharedEventModule {}

/** An application of `module` served by `servers` message servers (replicas) on the transport. */
async function startApp(
  options: TransportOptions,
  module: Type,
  servers = 1,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [TransportModule.forRoot(options), module],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  for (let server = 0; server < servers; server++) {
    app.connectMicroservice(TransportModule.createServer(options, app), {
      inheritAppConfig: true,
    });
  }
  await app.startAllMicroservices();
  await app.init();
  return app;
}

export function describeTransportContract(
  name: string,
  natsUrl?: string,
  transportSpecific?: (subjectOf: typeof subject, bus: () => MessageBus) => void,
  transportOptions: Partial<TransportOptions> = {},
): void {
  describe(`${name} transport contract`, () => {
    let app: INestApplication;
    let bus: MessageBus;
    const options = {
      natsUrl,
      requestTimeoutMs: TIMEOUT_MS,
      connectionName: 'contract-test',
      recentEventsSeconds: 60,
      ...transportOptions,
    };

    beforeAll(async () => {
      app = await startApp(options, ProbeModule);
      bus = app.get(MessageBus);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('serializes payloads as JSON on the wire, both ways', async () => {
      const when = new Date('2026-01-02T03:04:05.000Z');
      const reply = await bus.send<{ payload: Record<string, unknown> }>(subject('echo'), {
        when,
        nested: { list: [1, 'two'] },
        dropped: undefined,
      });
      expect(reply.payload).toEqual({
        when: '2026-01-02T03:04:05.000Z',
        nested: { list: [1, 'two'] },
      });
    });

    it('carries authorization, correlation id and a child traceparent', async () => {
      const traceId = 'a'.repeat(32);
      const reply = await RequestContext.run(
        {
          correlationId: 'corr-42',
          traceparent: `00-${traceId}-${'b'.repeat(16)}-01`,
          authorization: 'Bearer token-from-request',
        },
        () => bus.send<{ headers: Record<string, string> }>(subject('echo'), {}),
      );
      expect(reply.headers.correlationId).toBe('corr-42');
      expect(reply.headers.authorization).toBe('Bearer token-from-request');
      expect(reply.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(reply.headers.traceparent).not.toContain('b'.repeat(16));
    });

    it('lets the caller override the authorization it sends', async () => {
      const reply = await bus.send<{ headers: Record<string, string> }>(
        subject('echo'),
        {},
        { authorization: 'Bearer explicit' },
      );
      expect(reply.headers.authorization).toBe('Bearer explicit');
    });

    it('validates and transforms payloads with the contract DTOs', async () => {
      await expect(bus.send(subject('validated'), { text: 'hi', count: 2 })).resolves.toEqual({
        isDto: true,
        text: 'hi',
      });
      const error = await bus
        .send<never>(subject('validated'), { text: 3, extra: true })
        .catch((e: ServiceError) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect(error.toReply()).toEqual({
        status: 400,
        code: ErrorCode.ValidationFailed,
        message: 'Request validation failed',
        errors: expect.arrayContaining([
          { field: 'extra', messages: ['property extra should not exist'] },
          { field: 'text', messages: ['text must be a string'] },
          { field: 'count', messages: expect.arrayContaining(['count must be an integer number']) },
        ]),
      });
    });

    it.each([
      ['service-error', 409, ErrorCode.EmailAlreadyRegistered, 'taken'],
      ['rpc-exception', 404, ErrorCode.NotFound, 'gone'],
      ['crash', 500, ErrorCode.Internal, 'Internal error'],
    ])(
      'returns a %s to the caller with its status and code intact',
      async (name, status, code, message) => {
        const error = await bus.send(subject(name), {}).catch((e) => e);
        expect(error).toBeInstanceOf(ServiceError);
        expect(error).toMatchObject({ status, code, message });
      },
    );

    it('takes a payload nested as deep as the contracts allow, and refuses one level more', async () => {
      await expect(
        bus.send(subject('echo'), nestedArrays(MAX_JSON_NESTING)),
      ).resolves.toMatchObject({ payload: nestedArrays(MAX_JSON_NESTING) });
      const error = await bus
        .send(subject('echo'), { list: nestedArrays(MAX_JSON_NESTING) })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect(error).toMatchObject({ status: 400, code: ErrorCode.MalformedRequest });
    });

    it('fails a request whose payload cannot be serialized, and goes on serving', async () => {
      // Deep enough for JSON.stringify to run out of stack.
      const error = await bus.send(subject('echo'), nestedArrays(200_000)).catch((e) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect(error).toMatchObject({ status: 500, code: ErrorCode.Internal });
      await expect(bus.send(subject('echo'), { after: true })).resolves.toMatchObject({
        payload: { after: true },
      });
    });

    it('fails fast when no handler answers the subject', async () => {
      const started = Date.now();
      const error = await bus.send(subject('nobody-home'), {}).catch((e) => e);
      expect(error).toMatchObject({ status: 503, code: ErrorCode.ServiceUnavailable });
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    });

    it('gives up on a request after its timeout', async () => {
      const started = Date.now();
      const error = await bus.send(subject('slow'), {}).catch((e) => e);
      expect(error).toMatchObject({ status: 504, code: ErrorCode.ServiceTimeout });
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    });

    it('delivers events with their headers, but never the credential of the request', async () => {
      received.length = 0;
      await RequestContext.run(
        { correlationId: 'event-corr', authorization: 'Bearer token-from-request' },
        () => bus.emit(subject('happened'), { id: 7, at: new Date(0) }),
      );
      await waitFor(() => received.length > 0);
      expect(received).toEqual([
        {
          payload: { id: 7, at: '1970-01-01T00:00:00.000Z' },
          headers: expect.objectContaining({ correlationId: 'event-corr' }),
        },
      ]);
      expect(received[0].headers.authorization).toBeUndefined();
    });

    transportSpecific?.(subject, () => bus);
  });

  describe(`${name} transport: one event, handlers of several contexts, two replicas`, () => {
    let app: INestApplication;
    const options = {
      natsUrl,
      requestTimeoutMs: TIMEOUT_MS,
      connectionName: 'contract-groups',
      recentEventsSeconds: 60,
      ...transportOptions,
    };

    beforeAll(async () => {
      // Two message servers of the same handlers: two replicas of the same monolith.
      app = await startApp(options, SharedEventModule, 2);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('delivers it once to each queue group, and to every replica without one', async () => {
      heardBy.length = 0;
      await app.get(MessageBus).emit(subject('shared'), {});
      await waitFor(() => heardBy.length >= 4);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heardBy.sort()).toEqual(['every process', 'every process', 'first', 'second']);
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

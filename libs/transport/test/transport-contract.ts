import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
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
import {
  InProcessBroker,
  MessageBus,
  TransportModule,
  TransportOptions,
} from '@platform/transport';
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
/** How many times the handler that takes no payload ran. */
let obeyed = 0;

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

  /** As a handler that reads only its headers (a logout): no `@Payload()`, so no validation pipe. */
  @MessagePattern(subject('no-payload'))
  noPayload(@Ctx() _context: NatsContext) {
    obeyed++;
    return 'obeyed';
  }

  /** A reply larger than NATS carries by default (`max_payload`, 1 MiB). */
  @MessagePattern(subject('huge'))
  huge() {
    return 'x'.repeat(2 * 1024 * 1024);
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

/**
 * Raw messages on the transport, as another process writes them: over NATS a connection of the
 * test's own, in-process the broker itself.
 */
interface Wire {
  /** Publishes `body` as it is, with `reply` as its reply subject. */
  publish(subject: string, body: string, reply?: string): Promise<void>;
  /** Sends `body` as it is and resolves with the body of its reply. */
  request(subject: string, body: string): Promise<string>;
  /** Collects the bodies published on `subject` until the returned function is called. */
  watch(subject: string): Promise<{ bodies: string[]; stop: () => void }>;
  close(): Promise<void>;
}

async function natsWire(url: string): Promise<Wire> {
  const nc: NatsConnection = await connect({ servers: url });
  return {
    publish: async (subject, body, reply) => {
      nc.publish(subject, body, reply ? { reply } : {});
      await nc.flush();
    },
    request: async (subject, body) => (await nc.request(subject, body, { timeout: 2000 })).string(),
    watch: async (subject) => {
      const bodies: string[] = [];
      const subscription = nc.subscribe(subject, {
        callback: (_error, message) => {
          bodies.push(message.string());
        },
      });
      await nc.flush();
      return { bodies, stop: () => subscription.unsubscribe() };
    },
    close: () => nc.close(),
  };
}

function inProcessWire(broker: InProcessBroker): Wire {
  const watch = async (subject: string) => {
    const bodies: string[] = [];
    const stop = broker.subscribe(subject, (message) => bodies.push(message.data));
    return Promise.resolve({ bodies, stop });
  };
  return {
    publish: (subject, body, reply) => {
      broker.publish(subject, body, undefined, reply);
      return Promise.resolve();
    },
    request: async (subject, body) => {
      const inbox = broker.inbox();
      const { bodies, stop } = await watch(inbox);
      broker.publish(subject, body, undefined, inbox);
      await waitFor(() => bodies.length > 0);
      stop();
      return bodies[0];
    },
    watch,
    close: () => Promise.resolve(),
  };
}

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
    let wire: Wire;
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
      wire = natsUrl ? await natsWire(natsUrl) : inProcessWire(app.get(InProcessBroker));
    });

    afterAll(async () => {
      await wire?.close();
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
      // A payload is an object: it is the first of the levels.
      const deepest = { list: nestedArrays(MAX_JSON_NESTING - 1) };
      await expect(bus.send(subject('echo'), deepest)).resolves.toMatchObject({ payload: deepest });
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

    it('publishes no reply on a reply subject that is not an inbox, and runs no handler for it', async () => {
      received.length = 0;
      obeyed = 0;
      const watched = await wire.watch(subject('happened'));
      // A sender choosing another subject's name as its reply subject, and the id echoed there.
      for (const [name, body] of [
        ['echo', JSON.stringify({ pattern: subject('echo'), data: {}, id: 'victim' })],
        ['no-payload', JSON.stringify({ id: 'victim' })],
      ]) {
        await wire.publish(subject(name), body, subject('happened'));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      watched.stop();
      expect(watched.bodies).toEqual([]);
      expect(received).toEqual([]);
      expect(obeyed).toBe(0);
      // The same requests with an inbox are answered.
      expect(
        JSON.parse(await wire.request(subject('echo'), JSON.stringify({ id: 'victim' }))),
      ).toMatchObject({ response: { payload: { id: 'victim' } }, isDisposed: true });
    });

    it('hands an event handler only an event in the shape events are published in', async () => {
      received.length = 0;
      for (const body of [
        // A reply, as a request whose reply subject named the event would have produced.
        JSON.stringify({ err: { status: 401 }, isDisposed: true, id: 'victim' }),
        JSON.stringify({ response: { id: 'victim' }, isDisposed: true, id: 'victim' }),
        // A plain payload, and an envelope naming another subject.
        JSON.stringify({ id: 'victim' }),
        JSON.stringify({ pattern: subject('echo'), data: { id: 'victim' } }),
        '{not json',
      ]) {
        await wire.publish(subject('happened'), body);
      }
      await wire.publish(
        subject('happened'),
        JSON.stringify({ pattern: subject('happened'), data: { id: 'published' } }),
      );
      await waitFor(() => received.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received.map((event) => event.payload)).toEqual([{ id: 'published' }]);
    });

    it.each([
      ['not JSON', '{not json', 'Message body is not valid JSON'],
      ['a JSON string', '"str"', 'Message body must be a JSON object'],
      ['a JSON array', '[1]', 'Message body must be a JSON object'],
      [
        'an envelope whose data is no object',
        '{"pattern":"x","data":7,"id":"e1"}',
        'Message body must be a JSON object',
      ],
    ])(
      'refuses a body that is %s before any handler runs, even one that takes no payload',
      async (_kind, body, message) => {
        obeyed = 0;
        const reply = JSON.parse(await wire.request(subject('no-payload'), body));
        expect(reply).toMatchObject({
          err: { status: 400, code: ErrorCode.MalformedRequest, message },
          isDisposed: true,
        });
        expect(obeyed).toBe(0);
        await expect(bus.send(subject('no-payload'), {})).resolves.toBe('obeyed');
      },
    );

    it('reports the first field errors of a payload with very many, and how many more', async () => {
      const payload = Object.fromEntries(
        Array.from({ length: 2_000 }, (_, index) => [`k${index}`, 1]),
      );
      const error = await bus
        .send<never>(subject('validated'), { text: 'hi', count: 1, ...payload })
        .catch((e: ServiceError) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect(error).toMatchObject({
        status: 400,
        code: ErrorCode.ValidationFailed,
        message: 'Request validation failed (and 1980 more field errors)',
      });
      expect(error.errors).toHaveLength(20);
      expect(error.errors![0]).toEqual({ field: 'k0', messages: ['property k0 should not exist'] });
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

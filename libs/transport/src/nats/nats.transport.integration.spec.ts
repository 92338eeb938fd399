import { connect, NatsConnection } from '@nats-io/transport-node';
import { describeTransportContract } from '../../test/transport-contract';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A plain NATS connection of the test's own, for what another process would do. */
function outsideConnection(): () => NatsConnection {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    await nc?.close();
  });
  return () => nc;
}

/** How many requests for `subject` pass through the NATS server while `run` runs. */
async function seenOnNats(nc: NatsConnection, subject: string, run: () => Promise<unknown>) {
  let seen = 0;
  const tap = nc.subscribe(subject, {
    callback: () => {
      seen++;
    },
  });
  await nc.flush();
  await run();
  await nc.flush();
  tap.unsubscribe();
  return seen;
}

// Every request over the NATS server, as between split processes.
describeTransportContract(
  'NATS',
  natsUrl,
  (subject, appBus) => {
    const nc = outsideConnection();

    it('sends every request through the NATS server', async () => {
      const seen = await seenOnNats(nc(), subject('echo'), () =>
        appBus().send(subject('echo'), {}),
      );
      expect(seen).toBe(1);
    });

    it('answers with a small structured error when its reply is larger than NATS carries', async () => {
      const started = Date.now();
      const error = await appBus()
        .send(subject('huge'), {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 500,
        code: 'INTERNAL',
        message: 'The reply could not be sent',
      });
      expect(Date.now() - started).toBeLessThan(300);
    });

    describe('requests from outside clients (any language, no Nest envelope)', () => {
      it('answers a plain JSON payload', async () => {
        const reply = await nc().request(
          subject('validated'),
          JSON.stringify({ text: 'raw', count: 1 }),
          { timeout: 2000 },
        );
        expect(reply.json()).toMatchObject({
          response: { isDto: true, text: 'raw' },
          isDisposed: true,
        });
      });

      it('answers a body that is not JSON with a structured error instead of dropping it', async () => {
        const reply = await nc().request(subject('validated'), '{not json', { timeout: 2000 });
        expect(reply.json()).toMatchObject({
          err: {
            status: 400,
            code: 'MALFORMED_REQUEST',
            message: 'Message body is not valid JSON',
          },
          isDisposed: true,
        });
      });

      it('answers a body nested too deep to walk with a structured error, not a crash', async () => {
        const deep = '['.repeat(20_000) + ']'.repeat(20_000);
        const reply = await nc().request(
          subject('validated'),
          `{"text":"deep","count":1,"extra":${deep}}`,
          { timeout: 2000 },
        );
        expect(reply.json()).toMatchObject({
          err: { status: 400, code: 'MALFORMED_REQUEST' },
          isDisposed: true,
        });
        const next = await nc().request(
          subject('validated'),
          JSON.stringify({ text: 'after', count: 1 }),
          { timeout: 2000 },
        );
        expect(next.json()).toMatchObject({ response: { text: 'after' } });
      });
    });
  },
  { preferLocal: false },
);

// A process hosting the caller and the callee: the same contract, without the round trip.
describeTransportContract(
  'NATS, local first',
  natsUrl,
  (subject, appBus) => {
    const nc = outsideConnection();

    it('hands a request for a subject this process serves to its handler, not to NATS', async () => {
      const seen = await seenOnNats(nc(), subject('echo'), () =>
        appBus().send(subject('echo'), {}),
      );
      expect(seen).toBe(0);
    });

    it('sends a subject this process does not serve to NATS, for another process to answer', async () => {
      const elsewhere = nc().subscribe(subject('elsewhere'), {
        callback: (_error, message) => {
          const { id } = message.json<{ id: string }>();
          message.respond(
            JSON.stringify({ id, response: { from: 'elsewhere' }, isDisposed: true }),
          );
        },
      });
      await nc().flush();
      await expect(appBus().send(subject('elsewhere'), {})).resolves.toEqual({
        from: 'elsewhere',
      });
      elsewhere.unsubscribe();
    });
  },
  { preferLocal: true },
);

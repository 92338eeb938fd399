import { connect, NatsConnection } from '@nats-io/transport-node';
import { describeTransportContract } from '../../test/transport-contract';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describeTransportContract('NATS', natsUrl, (subject) => {
  describe('requests from outside clients (any language, no Nest envelope)', () => {
    let nc: NatsConnection;
    beforeAll(async () => {
      nc = await connect({ servers: natsUrl });
    });
    afterAll(async () => {
      await nc?.close();
    });

    it('answers a plain JSON payload', async () => {
      const reply = await nc.request(
        subject('validated'),
        JSON.stringify({ text: 'raw', count: 1 }),
        {
          timeout: 2000,
        },
      );
      expect(reply.json()).toMatchObject({
        response: { isDto: true, text: 'raw' },
        isDisposed: true,
      });
    });

    it('answers a body that is not JSON with a structured error instead of dropping it', async () => {
      const reply = await nc.request(subject('validated'), '{not json', { timeout: 2000 });
      expect(reply.json()).toMatchObject({
        err: { status: 400, code: 'MALFORMED_REQUEST', message: 'Message body is not valid JSON' },
        isDisposed: true,
      });
    });
  });
});

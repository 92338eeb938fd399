import { ErrorCode, ServiceError } from '@platform/contracts';
import { MessageBus } from './message-bus';
import type { TransportOptions } from './transport-options';

describe('MessageBus', () => {
  it('fails a request whose transport throws while sending, at once, instead of leaving it unsettled', async () => {
    const client = {
      connect: () => Promise.resolve(),
      request: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    const bus = new MessageBus(client as never, { requestTimeoutMs: 5000 } as TransportOptions);
    const started = Date.now();
    const error = await bus.send('probe.subject', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: ErrorCode.Internal });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

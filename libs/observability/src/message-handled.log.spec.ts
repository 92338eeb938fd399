import { Writable } from 'node:stream';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { ErrorCode, ServiceError } from '@platform/contracts';
import { MessageHandledLog } from './message-handled.log';
import { Metrics } from './metrics/metrics';

describe('MessageHandledLog', () => {
  function handledLog() {
    const lines: { level: number; msg: string; code?: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const logger = { logger: pino({ level: 'info' }, sink) } as unknown as PinoLogger;
    return { log: new MessageHandledLog(logger, new Metrics()), lines };
  }

  it("calls a client's mistake refused, at info, and our own failure failed, at error", async () => {
    const { log, lines } = handledLog();
    const started = performance.now();
    log.record('users.user.get', started);
    log.record('users.user.get', started, new ServiceError(ErrorCode.NotFound, 'No such user'));
    log.record('users.user.get', started, new ServiceError(ErrorCode.Internal, 'Broken'));
    log.record('users.user.get', started, new Error('Broken'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map(({ level, msg, code }) => ({ level, msg, code }))).toEqual([
      { level: 30, msg: 'message handled', code: undefined },
      { level: 30, msg: 'message refused', code: 'NOT_FOUND' },
      { level: 50, msg: 'message failed', code: 'INTERNAL' },
      { level: 50, msg: 'message failed', code: undefined },
    ]);
  });
});

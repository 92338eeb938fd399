import type { WritePacket } from '@nestjs/microservices';
import { Observable, of, throwError } from 'rxjs';
import { replyWithResult } from './handler-reply';

/** The packets replied and where the end hook ran among them. */
function repliesTo(result: unknown): (WritePacket | 'done')[] {
  const heard: (WritePacket | 'done')[] = [];
  replyWithResult(
    result,
    (packet) => heard.push(packet),
    () => heard.push('done'),
  );
  return heard;
}

describe('replyWithResult (the packets Nest would send)', () => {
  it('replies a plain result once, disposed', () => {
    expect(repliesTo({ id: 'u1' })).toEqual(['done', { response: { id: 'u1' }, isDisposed: true }]);
  });

  it('replies an Observable of one value as one disposed reply', () => {
    expect(repliesTo(of('one'))).toEqual(['done', { response: 'one', isDisposed: true }]);
  });

  it('replies each value of an Observable of several, only the last disposed', () => {
    expect(repliesTo(of(1, 2, 3))).toEqual([
      { response: 1 },
      { response: 2 },
      'done',
      { response: 3, isDisposed: true },
    ]);
  });

  it('replies an empty Observable with a bare disposal', () => {
    expect(repliesTo(new Observable((s) => s.complete()))).toEqual(['done', { isDisposed: true }]);
  });

  it('replies an error as err, disposed, after any value before it', () => {
    const reply = { status: 404, code: 'NOT_FOUND', message: 'gone' };
    expect(repliesTo(throwError(() => reply))).toEqual(['done', { err: reply, isDisposed: true }]);
    const partial = new Observable((s) => {
      s.next('first');
      s.error(reply);
    });
    expect(repliesTo(partial)).toEqual([
      { response: 'first' },
      'done',
      { err: reply, isDisposed: true },
    ]);
  });

  it('waits for an Observable that settles later', async () => {
    const heard = repliesTo(
      new Observable((s) => void setTimeout(() => (s.next(7), s.complete()))),
    );
    expect(heard).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(heard).toEqual(['done', { response: 7, isDisposed: true }]);
  });

  it('tells settled how the result ended, before the end hook', () => {
    const heard: unknown[] = [];
    const settle = (result: unknown) =>
      replyWithResult(
        result,
        () => undefined,
        () => heard.push('done'),
        (error) => heard.push({ settled: error }),
      );
    const reply = { status: 404, code: 'NOT_FOUND', message: 'gone' };
    settle('plain');
    settle(of(1, 2));
    settle(throwError(() => reply));
    expect(heard).toEqual([
      { settled: undefined },
      'done',
      { settled: undefined },
      'done',
      { settled: reply },
      'done',
    ]);
  });
});

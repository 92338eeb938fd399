import type { WritePacket } from '@nestjs/microservices';
import { isObservable } from 'rxjs';
import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * What a caller gets in place of a reply that could not be sent (larger than the bus carries,
 * or no JSON), rather than wait for it until its timeout. The reason is logged, never returned.
 */
export const REPLY_NOT_SENT: WritePacket = {
  err: new ServiceError(ErrorCode.Internal, 'The reply could not be sent').toReply(),
  isDisposed: true,
};

/**
 * Replies to a request with what its Nest handler returned, packet for packet as Nest's
 * `Server.handleRequest` and `Server.send` do, without their pipeline: Nest wraps every result
 * in an Observable (`transformToObservable`), pipes it through `catchError` and two
 * `finalize`s, and queues each packet for the next tick, which under load was a tenth of a
 * service's time. Here a plain result is one reply; an Observable (what the interceptors and
 * exception filters make of a handler) is subscribed once, and each value it emits is a reply,
 * the last one marked `isDisposed`, or its error is (`{err, isDisposed}`), as in Nest.
 * `done` (the processing end hook) runs once the result has settled, before its last reply,
 * after `settled`, which hears the error if the result failed. An event's result is settled
 * the same way, with a `respond` that sends nothing.
 */
export function replyWithResult(
  result: unknown,
  respond: (packet: WritePacket) => void,
  done: () => void,
  settled: (error?: unknown) => void = () => undefined,
): void {
  if (!isObservable(result)) {
    settled();
    done();
    respond({ response: result, isDisposed: true });
    return;
  }
  let held: { value: unknown } | undefined;
  result.subscribe({
    next: (value) => {
      if (held) respond({ response: held.value });
      held = { value };
    },
    error: (err: unknown) => {
      if (held) respond({ response: held.value });
      settled(err);
      done();
      respond({ err, isDisposed: true });
    },
    complete: () => {
      settled();
      done();
      respond(held ? { response: held.value, isDisposed: true } : { isDisposed: true });
    },
  });
}

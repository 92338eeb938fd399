import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request carries through every hop: who asked, and how to find its log lines. */
export interface RequestContextData {
  correlationId: string;
  traceparent?: string;
  authorization?: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/**
 * The current request's context, set for HTTP routes by `runRoutesInRequestContext` and for
 * messages by the message servers (`runInMessageContext`), read by the logger and by
 * `MessageBus` to propagate headers.
 */
export const RequestContext = {
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  run<T>(data: RequestContextData, callback: () => T): T {
    return storage.run(data, callback);
  },
};

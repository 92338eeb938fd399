// The lightest HTTP/1.1 client the load benches need, because it shares the CPUs with the
// servers it measures: one keep-alive connection, one request in flight, each request's bytes
// built once by the caller. It reads only what the platform and the bare servers answer: a
// status line, headers with a `content-length`, and that many bytes of body. Anything else (a
// chunked body, the server closing the connection, no answer in time) fails the request.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^content-length:\s*(\d+)\s*$/im;

/** The bytes of one `POST` of `json` to `path`, to send as often as needed. */
export function jsonPost(origin, path, json) {
  const body = Buffer.from(JSON.stringify(json));
  const head =
    `POST ${path} HTTP/1.1\r\nhost: ${new URL(origin).host}\r\n` +
    `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** A keep-alive connection to `origin`: `send(bytes)` answers `{ status, body }` (a Buffer). */
export function openConnection(origin, { timeoutMs = 10_000 } = {}) {
  const { hostname, port } = new URL(origin);
  const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
  let pending;
  let received = Buffer.alloc(0);

  const settle = (error, answer) => {
    const request = pending;
    pending = undefined;
    if (!request) return;
    if (error) request.reject(error);
    else request.resolve(answer);
  };
  const fail = (error) => {
    socket.destroy();
    settle(error);
  };

  socket.setTimeout(timeoutMs, () => {
    if (pending) fail(new Error(`no answer within ${timeoutMs} ms`));
  });
  socket.on('error', (error) => settle(error));
  socket.on('close', () => settle(new Error('the server closed the connection')));
  socket.on('data', (chunk) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const headerEnd = received.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = received.toString('latin1', 0, headerEnd);
    const length = CONTENT_LENGTH.exec(head);
    if (!length) return fail(new Error(`an answer without content-length: ${head}`));
    const bodyStart = headerEnd + HEADER_END.length;
    const bodyEnd = bodyStart + Number(length[1]);
    if (received.length < bodyEnd) return;
    const answer = {
      status: Number(head.slice(9, 12)),
      body: received.subarray(bodyStart, bodyEnd),
    };
    received = received.subarray(bodyEnd);
    settle(undefined, answer);
  });

  return {
    send(bytes) {
      if (pending) return Promise.reject(new Error('one request at a time per connection'));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(bytes);
      });
    },
    close() {
      socket.destroy();
    },
  };
}

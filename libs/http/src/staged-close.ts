import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long a closing connection still reads what the client sends, at most. */
const LINGER_MS = 2_000;

/**
 * RFC 9112 section 9.6: a server that closes a connection after its answer closes its write
 * side first and keeps reading until the client closes too, or for a bounded time. Closing at
 * once makes the server's TCP reset the connection when more of the request arrives (the rest
 * of a body refused with 413 on its Content-Length, which Fastify answers with
 * `Connection: close` before reading it), and the reset can reach the client before it has read
 * the answer. Node closes a connection after an answer through `socket.destroySoon()`; on this
 * server's connections that is the staged close, and Node's HTTP parser discards what it reads.
 */
export function closeConnectionsInStages(server: Server): void {
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = () => closeInStages(socket);
  });
}

function closeInStages(socket: Socket): void {
  // The socket destroys itself once both sides have ended: the client's close ends the wait.
  socket.end();
  if (socket.readableEnded) return;
  const linger = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(linger));
  // Read on even if the socket was paused behind pipelined requests: data left unread at the
  // close is what makes TCP reset the connection.
  socket.resume();
}

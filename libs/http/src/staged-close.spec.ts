import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { validatePlatformEnv } from '@platform/config';
import { configureHttpServer, createHttpAdapter } from './http-server';

const BODY_LIMIT_BYTES = 64 * 1024;

describe('a body refused on its Content-Length (RFC 9112 section 9.6)', () => {
  let fastify: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    const env = validatePlatformEnv({ BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) });
    fastify = createHttpAdapter(env).getInstance();
    await configureHttpServer(fastify, env);
    fastify.post('/echo', (request) => request.body);
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    port = (fastify.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await fastify.close();
  });

  it('is answered 413 before it is sent, and the client may finish sending it and read the answer', async () => {
    const length = 32 * BODY_LIMIT_BYTES;
    const socket = connect(port, '127.0.0.1');
    let failure: Error | undefined;
    socket.on('error', (error) => (failure = error));
    socket.write(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`,
    );
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    // The answer comes before a byte of the body.
    while (!answer.includes('\r\n\r\n')) await once(socket, 'data');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
    // A client that does not wait for an early answer (fetch does not) sends the body anyway; a
    // server that closed at once would reset the connection under it, and the client would see
    // ECONNRESET or EPIPE, often before it had read the answer.
    const chunk = Buffer.alloc(BODY_LIMIT_BYTES, 'x');
    for (let sent = 0; sent < length && !failure; sent += chunk.length) {
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
    socket.end();
    await once(socket, 'close');
    expect(failure).toBeUndefined();
  });

  it('is not read for ever: a client that keeps sending is cut off', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n`,
    );
    const sending = setInterval(() => socket.write(Buffer.alloc(1024, 'x')), 50);
    // The cut-off is a reset, seen by this side as an error and then a close.
    await new Promise((closed) => socket.once('close', closed));
    clearInterval(sending);
    expect(socket.bytesWritten).toBeLessThan(1_000_000);
  });
});

import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to `host:port` that a test can cut and restore, to take one process off a server
 * while everything else stays connected (a network partition, not an outage of the server).
 */
export class TcpLink {
  port = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly target: { host: string; port: number };

  private constructor(target: { host: string; port: number }) {
    this.target = target;
  }

  /** A link to the server at `url` (`nats://host:port`), listening on a port of its own. */
  static async to(url: string): Promise<TcpLink> {
    const { hostname, port } = new URL(url);
    const link = new TcpLink({ host: hostname, port: Number(port) });
    await link.listen();
    return link;
  }

  /** The URL to give the process that goes through the link. */
  url(scheme = 'nats'): string {
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  /** Drops every connection through the link and refuses new ones until `restore`. */
  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
    this.server = undefined;
  }

  async restore(): Promise<void> {
    await this.listen();
  }

  close(): Promise<void> {
    return this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }
}

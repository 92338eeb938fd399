import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy on loopback that serves the platform under a path, as an operator's does when
 * `ISSUER` has one (`https://example.com/idp`): a request under the path goes to the gateway
 * without it, RFC 8414 3.1's metadata (`/.well-known/oauth-authorization-server/idp`, the
 * well-known part inserted before the path) goes as it is, and anything else is not the
 * platform's: 404, as on a host that serves other applications beside it.
 */
export class PathPrefixProxy {
  private target?: URL;
  private readonly server: Server;
  readonly prefix: string;

  private constructor(server: Server, prefix: string) {
    this.server = server;
    this.prefix = prefix;
  }

  static async start(prefix: string): Promise<PathPrefixProxy> {
    const server = createServer();
    const proxy = new PathPrefixProxy(server, prefix);
    server.on('request', (incoming, outgoing) => {
      const path = proxy.upstreamPath(incoming.url ?? '/');
      if (!proxy.target || path === undefined) {
        outgoing.writeHead(404, { 'content-type': 'text/plain' }).end('not the platform');
        return;
      }
      const upstream = request(
        {
          host: proxy.target.hostname,
          port: proxy.target.port,
          method: incoming.method,
          path,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The platform's public base URL, its `ISSUER`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.prefix}`;
  }

  /** Where requests go from now on: the gateway's own URL. */
  forwardTo(gatewayUrl: string): void {
    this.target = new URL(gatewayUrl);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private upstreamPath(path: string): string | undefined {
    if (path === `/.well-known/oauth-authorization-server${this.prefix}`) return path;
    if (path.startsWith(`${this.prefix}/`)) return path.slice(this.prefix.length);
    return undefined;
  }
}

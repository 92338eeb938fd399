import { type IncomingHttpHeaders, request } from 'node:http';
import { rememberAuthorization, rememberSecretsIn } from './secrets.ts';

/** A JSON HTTP call against the gateway, returning status, headers and the parsed body. */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  rememberAuthorization(headers.authorization);
  rememberSecretsIn(options.json);
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const parsed = parse(await response.text());
  rememberSecretsIn(parsed);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/**
 * The same call as `http`, from another loopback address (`127.0.0.2`, say): a peer the
 * platform does not know, for what it must not believe from just anyone (`X-Forwarded-For`).
 */
export function httpFrom<T = any>(
  localAddress: string,
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: T }> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {
    ...options.headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  rememberAuthorization(headers.authorization);
  rememberSecretsIn(options.json);
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, baseUrl), { method, headers, localAddress }, (reply) => {
      let text = '';
      reply.setEncoding('utf8');
      reply.on('data', (chunk: string) => (text += chunk));
      reply.on('end', () =>
        resolve({ status: reply.statusCode ?? 0, headers: reply.headers, body: parse(text) as T }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** JSON when it is JSON; the text otherwise. */
function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

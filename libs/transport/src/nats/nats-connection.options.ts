import type { NodeConnectionOptions } from '@nats-io/transport-node';
import { inboxPrefixOf, NatsIdentity, nkeyAuthenticatorOf } from './nats-identity';

/**
 * Connection behaviour shared by the NATS server and client: wait for the server at start-up
 * instead of crashing, and reconnect forever, so a NATS restart is an outage, never a crash.
 * With an identity, the connection authenticates with its NKey, trusts the configured CA for
 * TLS, and takes its replies in the identity's own inboxes.
 */
export function natsConnectionOptions(
  url: string,
  name: string,
  identity: NatsIdentity = {},
): NodeConnectionOptions {
  return {
    servers: url.split(','),
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
    // nats.js otherwise builds an Error, stack trace and all, for every request it sends, only
    // to have a stack to show should that request fail: a tenth of the gateway's time.
    noAsyncTraces: true,
    ...(identity.seedFile ? { authenticator: nkeyAuthenticatorOf(identity.seedFile) } : {}),
    ...(identity.tlsCaFile ? { tls: { caFile: identity.tlsCaFile } } : {}),
    ...(inboxPrefixOf(identity) ? { inboxPrefix: inboxPrefixOf(identity) } : {}),
  };
}

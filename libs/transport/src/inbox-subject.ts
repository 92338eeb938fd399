/**
 * A NATS client's inbox: `_INBOX.<token>`, nats.js's default and every other client's (the
 * in-process broker's too), or `_INBOX_<identity>.<token>`, where the platform's processes and
 * the hardened bus's identities hear their replies (see `inboxPrefixOf`).
 */
const INBOX = /^_INBOX(?:_[\w-]+)?\.[^.]/;

/**
 * Whether a request's reply subject is an inbox, the only kind of subject a reply is published
 * on. The sender chooses the reply subject, and the replier's permission to answer (nats-server's
 * `allow_responses`) lets the reply onto whatever subject it names: named after an event
 * subject, the reply would be heard, and stored by JetStream, as that event, published by the
 * replier with an id the sender chose (`{"err":…,"id":"<a user id>"}` on `users.user.disabled`).
 */
export function isInboxSubject(subject: string): boolean {
  return INBOX.test(subject);
}

import { Injectable } from '@nestjs/common';
import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';

/** A message as a subscriber receives it: wire bytes as text, headers, and a reply path. */
export interface BrokerMessage {
  subject: string;
  /** The serialized packet, exactly as it would travel over NATS. */
  data: string;
  headers: MsgHdrs;
  /** Present on requests: the subject a reply is published on, as on NATS (see `inbox`). */
  reply?: string;
}

type Listener = (message: BrokerMessage) => void;

interface Subscription {
  queue?: string;
  listener: Listener;
}

/**
 * The in-process message bus: subjects, queue groups and request/reply with NATS semantics.
 * A message reaches every plain subscriber and one member of each queue group; delivery is
 * asynchronous, so a handler never runs inside its caller's stack; headers are copied per
 * delivery, as they would be on the wire.
 */
@Injectable()
export class InProcessBroker {
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly cursors = new Map<string, number>();
  private nextInbox = 0;

  subscribe(subject: string, listener: Listener, queue?: string): () => void {
    const subscription: Subscription = { queue, listener };
    const list = this.subscriptions.get(subject) ?? [];
    this.subscriptions.set(subject, [...list, subscription]);
    return () => {
      const remaining = (this.subscriptions.get(subject) ?? []).filter((s) => s !== subscription);
      if (remaining.length > 0) this.subscriptions.set(subject, remaining);
      else this.subscriptions.delete(subject);
    };
  }

  /**
   * A subject of its own for a requester to hear its replies on, shaped as a NATS client's
   * inbox (`_INBOX.<token>`): a reply is a message published there like any other, so a reply
   * subject that is not an inbox reaches whatever subscribes to that subject, as on NATS.
   */
  inbox(): string {
    return `_INBOX.in-process.${(this.nextInbox++).toString(36)}`;
  }

  /** Whether anything here listens on `subject`. */
  serves(subject: string): boolean {
    return this.subscriptions.has(subject);
  }

  /**
   * Delivers a message. Returns how many subscribers it reached: a request that reaches none
   * is answered at once with "no responders", as a NATS server does.
   */
  publish(subject: string, data: string, headers?: MsgHdrs, reply?: string): number {
    const recipients = this.pickRecipients(subject);
    const headerEntries = headers
      ? [...headers.keys()].map((k) => [k, headers.values(k)] as const)
      : [];
    for (const { listener } of recipients) {
      const copy = natsHeaders();
      for (const [key, values] of headerEntries)
        for (const value of values) copy.append(key, value);
      setImmediate(() => listener({ subject, data, headers: copy, reply }));
    }
    return recipients.length;
  }

  private pickRecipients(subject: string): Subscription[] {
    const subscriptions = this.subscriptions.get(subject) ?? [];
    const recipients = subscriptions.filter((s) => !s.queue);
    const groups = new Map<string, Subscription[]>();
    for (const s of subscriptions) {
      if (s.queue) groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    for (const [queue, members] of groups) {
      const key = `${subject}\u0000${queue}`;
      const cursor = this.cursors.get(key) ?? 0;
      recipients.push(members[cursor % members.length]);
      this.cursors.set(key, cursor + 1);
    }
    return recipients;
  }
}

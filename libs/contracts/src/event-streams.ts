import { AuthEvent } from './auth/auth.patterns';
import { OrdersEvent } from './orders/orders.patterns';
import { UsersEvent } from './users/users.patterns';
import type { ContextName } from './platform/contexts';

/** A JetStream stream holding the events one context publishes, and nothing else. */
export interface EventStream {
  name: string;
  subjects: readonly string[];
}

/**
 * The event streams, one per producing context: its outbox publishes into it, and only that
 * context's NATS identity may publish its subjects. Consumers read them through their own
 * consumers (see `durableConsumerName`). The gateway publishes no events.
 */
export const EVENT_STREAMS: Readonly<Partial<Record<ContextName, EventStream>>> = {
  auth: { name: 'AUTH_EVENTS', subjects: Object.values(AuthEvent) },
  users: { name: 'USERS_EVENTS', subjects: Object.values(UsersEvent) },
  orders: { name: 'ORDERS_EVENTS', subjects: Object.values(OrdersEvent) },
};

/** The stream an event subject is published into, if it is an event of a context. */
export function eventStreamOf(subject: string): EventStream | undefined {
  return Object.values(EVENT_STREAMS).find((stream) => stream.subjects.includes(subject));
}

/**
 * The durable consumer through which the replicas of context `consumer` share an event subject:
 * `auth__users_user_disabled` for auth's consumer of `users.user.disabled`. Named, rather than
 * left to whoever creates it, so that NATS permissions can give each context its own consumers
 * and no other's.
 */
export function durableConsumerName(consumer: ContextName, subject: string): string {
  return `${consumer}__${subject.replaceAll('.', '_')}`;
}

import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { OrderView } from '@platform/contracts';

/** At most this many orders are held; the least recently read go first. */
const MAX_ENTRIES = 10_000;

/**
 * Orders by id, so that reading an order again (a client polling it) does not query the
 * database each time. An order never changes once placed (no subject changes or removes one),
 * so an entry is never stale; a change to orders must drop the entry after its commit, as
 * `UsersService.change` does for profiles. Who may see an order is checked on every read, after
 * the lookup. Views are frozen: one object answers many requests.
 */
@Injectable()
export class OrderViewCache {
  private readonly orders = new LRUCache<string, OrderView>({ max: MAX_ENTRIES });

  async get(
    id: string,
    load: () => Promise<OrderView | undefined>,
  ): Promise<OrderView | undefined> {
    const cached = this.orders.get(id);
    if (cached) return cached;
    const order = await load();
    if (order) this.remember(order);
    return order;
  }

  /** A committed order. */
  remember(order: OrderView): void {
    for (const item of order.items) Object.freeze(item);
    Object.freeze(order.items);
    this.orders.set(order.id, Object.freeze(order));
  }
}

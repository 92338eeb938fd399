import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  CreateOrderDto,
  OrderCreatedEvent,
  OrderPage,
  OrdersEvent,
  OrderView,
} from '@platform/contracts';
import { actsAsAdministrator, isUser, type Principal } from '@platform/security';
import { Outbox } from '@platform/transport';
import { AllOrdersForbiddenError } from './all-orders-forbidden.error';
import { BuyerNotAUserError } from './buyer-not-a-user.error';
import { BuyerProfiles } from './buyer-profiles.client';
import { OrderNotFoundError } from './order-not-found.error';
import { OrderViewCache } from './order-view.cache';
import { OrderStore } from './order.store';

/** Orders belong to the user who placed them; an administrator sees everyone's. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly store: OrderStore,
    private readonly outbox: Outbox,
    private readonly buyers: BuyerProfiles,
    private readonly views: OrderViewCache,
  ) {}

  /** Places an order and records `orders.order.created` in the same transaction. */
  async create(buyer: Principal, command: CreateOrderDto): Promise<OrderView> {
    if (!isUser(buyer)) throw new BuyerNotAUserError();
    const profile = await this.buyers.of(buyer);
    const placed = await this.outbox.transaction(async (manager, events) => {
      const order = await this.store.insert(manager, {
        id: randomUUID(),
        userId: buyer.subject,
        email: profile.email,
        items: command.items.map(({ sku, quantity }) => ({ sku, quantity })),
      });
      const event: OrderCreatedEvent = order;
      await events.record(OrdersEvent.OrderCreated, event);
      return order;
    });
    this.views.remember({ ...placed, items: placed.items.map((item) => ({ ...item })) });
    return placed;
  }

  /** Another user's order is not found, exactly like one that does not exist. */
  async get(caller: Principal, id: string): Promise<OrderView> {
    const order = await this.views.get(id, () => this.store.find(id));
    if (!order || (order.userId !== caller.subject && !actsAsAdministrator(caller))) {
      throw new OrderNotFoundError();
    }
    return order;
  }

  async list(caller: Principal, limit: number, offset: number, all: boolean): Promise<OrderPage> {
    if (all && !actsAsAdministrator(caller)) {
      throw new AllOrdersForbiddenError();
    }
    // A client's own token (`sub` the client, not a user) owns no orders.
    if (!all && !isUser(caller)) return { items: [], total: 0, limit, offset };
    const page = await this.store.page(all ? undefined : caller.subject, limit, offset);
    return { ...page, limit, offset };
  }
}

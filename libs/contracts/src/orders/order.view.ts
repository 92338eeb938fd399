/** One line of an order as it was placed. */
export class OrderItemView {
  sku!: string;
  quantity!: number;
}

/** An order as clients and other contexts see it. */
export class OrderView {
  id!: string;
  /** The user who placed it. */
  userId!: string;
  /** The buyer's email when the order was placed, as users had it. */
  email!: string;
  items!: OrderItemView[];
  /** ISO 8601 timestamp. */
  createdAt!: string;
}

/** One page of orders. */
export class OrderPage {
  items!: OrderView[];
  /** Orders in all pages. */
  total!: number;
  limit!: number;
  offset!: number;
}

/** Payload of `orders.order.created`: the order as placed. */
export type OrderCreatedEvent = OrderView;

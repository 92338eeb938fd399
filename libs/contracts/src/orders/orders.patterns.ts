/** Request subjects answered by the orders context (`<context>.<aggregate>.<verb>`). */
export const OrdersPattern = {
  /** Place an order for the caller (scope orders:write); orders reads the caller's profile from users with a token for users alone. Payload: `CreateOrderDto`. Reply: `OrderView`. Errors: 400, 401, 403, 404 (the caller's profile is gone). */
  CreateOrder: 'orders.order.create',
  /** Read one order: the owner's, or any for an administrator (scope orders:read); another user's order is 404, not 403, so ids reveal nothing. Payload: `GetOrderDto`. Reply: `OrderView`. Errors: 400, 401, 403, 404. */
  GetOrder: 'orders.order.get',
  /** A page of the caller's orders, newest first; `all: true` lists everyone's (administrators, scope admin). Payload: `ListOrdersDto`. Reply: `OrderPage`. Errors: 400, 401, 403. */
  ListOrders: 'orders.order.list',
} as const;

/** Events published by the orders context (`<context>.<aggregate>.<past-tense>`). */
export const OrdersEvent = {
  /** An order was placed. Payload: `OrderCreatedEvent`. Published through the outbox. */
  OrderCreated: 'orders.order.created',
} as const;

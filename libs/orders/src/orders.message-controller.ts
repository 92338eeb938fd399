import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateOrderDto,
  GetOrderDto,
  ListOrdersDto,
  OrderPage,
  OrdersPattern,
  OrderView,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Scopes } from '@platform/security';
import { OrdersService } from './orders.service';

const DEFAULT_PAGE_SIZE = 20;

/** The orders context's subjects; each message is authenticated here again, whoever relayed it. */
@Controller()
export class OrdersMessageController {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern(OrdersPattern.CreateOrder)
  @Scopes('orders:write')
  create(
    @Payload() command: CreateOrderDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrderView> {
    return this.orders.create(principal, command);
  }

  @MessagePattern(OrdersPattern.GetOrder)
  @Scopes('orders:read')
  get(@Payload() query: GetOrderDto, @CurrentPrincipal() principal: Principal): Promise<OrderView> {
    return this.orders.get(principal, query.id);
  }

  @MessagePattern(OrdersPattern.ListOrders)
  @Scopes('orders:read')
  list(
    @Payload() query: ListOrdersDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrderPage> {
    return this.orders.list(
      principal,
      query.limit ?? DEFAULT_PAGE_SIZE,
      query.offset ?? 0,
      query.all ?? false,
    );
  }
}

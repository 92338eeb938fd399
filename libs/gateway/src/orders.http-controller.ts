import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CreateOrderDto,
  GetOrderDto,
  ListOrdersDto,
  OrderPage,
  OrdersPattern,
  OrderView,
} from '@platform/contracts';
import { Scopes } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ApiAuthenticated, ApiProblems } from './docs/api-responses';

/** Order routes: the gateway checks the scope at the edge, the orders context again. */
@ApiTags('orders')
@ApiAuthenticated()
@Controller('v1/orders')
export class OrdersHttpController {
  constructor(private readonly bus: MessageBus) {}

  /** Place an order of 1 to 100 items (scope `orders:write`; the caller's token also needs `users:read`, which the order's call to users is narrowed to). */
  @Post()
  @HttpCode(201)
  @Scopes('orders:write')
  @ApiProblems(400, 403, 404, 413, 415)
  create(@Body() body: CreateOrderDto): Promise<OrderView> {
    return this.bus.send<OrderView>(OrdersPattern.CreateOrder, body);
  }

  /** Own orders, newest first; `all=true` lists everyone's (administrators, scope `admin`). */
  @Get()
  @Scopes('orders:read')
  @ApiProblems(400, 403)
  list(@Query() query: ListOrdersDto): Promise<OrderPage> {
    return this.bus.send<OrderPage>(OrdersPattern.ListOrders, query);
  }

  /** One order: the caller's own, any for an administrator; another user's is 404. */
  @Get(':id')
  @Scopes('orders:read')
  @ApiProblems(400, 403, 404)
  get(@Param() params: GetOrderDto): Promise<OrderView> {
    return this.bus.send<OrderView>(OrdersPattern.GetOrder, { id: params.id });
  }
}

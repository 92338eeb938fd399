import { Module } from '@nestjs/common';
import { DatabaseModule } from '@platform/database';
import { OutboxModule } from '@platform/transport';
import { BuyerProfiles } from './buyer-profiles.client';
import { OrderViewCache } from './order-view.cache';
import { OrderStore } from './order.store';
import { ordersDatabase } from './orders.database';
import { OrdersMessageController } from './orders.message-controller';
import { OrdersService } from './orders.service';

/**
 * The orders context, the example of a domain service consuming identity: every order belongs
 * to the user in the token, reads need `orders:read`, writes `orders:write`, and the call it
 * makes to users on the buyer's behalf carries a token narrowed to users and `users:read`.
 */
@Module({
  imports: [
    DatabaseModule.forContext(ordersDatabase),
    OutboxModule.forContext(ordersDatabase.schema),
  ],
  controllers: [OrdersMessageController],
  providers: [OrderStore, OrdersService, BuyerProfiles, OrderViewCache],
})
export class OrdersModule {}

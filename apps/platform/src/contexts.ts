import { Type } from '@nestjs/common';
import { authDatabase, AuthModule } from '@platform/auth';
import { ContextName } from '@platform/contracts';
import { ContextDatabase } from '@platform/database';
import { GatewayModule } from '@platform/gateway';
import { ordersDatabase, OrdersModule } from '@platform/orders';
import { usersDatabase, UsersModule } from '@platform/users';

/** Which module each name in `SERVICES` brings into the process. */
export const contextModules: Record<ContextName, Type> = {
  gateway: GatewayModule,
  auth: AuthModule,
  users: UsersModule,
  orders: OrdersModule,
};

/** The contexts that own a schema, for `npm run migrate`. */
export const contextDatabases: Partial<Record<ContextName, ContextDatabase>> = {
  auth: authDatabase,
  users: usersDatabase,
  orders: ordersDatabase,
};

import { Module } from '@nestjs/common';
import { AuthHttpController } from './auth.http-controller';
import { SecurityEventsHttpController } from './security-events.http-controller';
import { UsersHttpController } from './users.http-controller';
import { WellKnownHttpController } from './well-known.http-controller';

/**
 * The HTTP edge: validates requests with the contract DTOs and forwards them as messages. It
 * owns no data; each context it calls validates again, because it trusts no caller.
 */
@Module({
  controllers: [
    AuthHttpController,
    UsersHttpController,
    SecurityEventsHttpController,
    WellKnownHttpController,
  ],
})
export class GatewayModule {}

import { Module } from '@nestjs/common';
import { DatabaseModule } from '@platform/database';
import { OutboxModule } from '@platform/transport';
import { usersDatabase } from './persistence/users.database';
import { UserViewInvalidationController } from './user-view-invalidation.controller';
import { UserViewCache } from './user-view.cache';
import { UsersMessageController } from './users.message-controller';
import { UsersService } from './users.service';

/** The users context: accounts, profiles and roles, served over message patterns only. */
@Module({
  imports: [
    DatabaseModule.forContext(usersDatabase),
    OutboxModule.forContext(usersDatabase.schema),
  ],
  controllers: [UsersMessageController, UserViewInvalidationController],
  providers: [UsersService, UserViewCache],
})
export class UsersModule {}

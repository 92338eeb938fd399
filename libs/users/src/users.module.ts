import { Module } from '@nestjs/common';
import { DatabaseModule, Housekeeping } from '@platform/database';
import { OutboxModule } from '@platform/transport';
import { HousekeepingStore } from './housekeeping/housekeeping.store';
import { usersDatabase } from './persistence/users.database';
import { AccountRegisteredController } from './registration/account-registered.controller';
import { ProfileRegistration } from './registration/profile-registration.service';
import { RegistrationMessageController } from './registration/registration.message-controller';
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
  controllers: [
    UsersMessageController,
    RegistrationMessageController,
    UserViewInvalidationController,
    AccountRegisteredController,
  ],
  providers: [
    UsersService,
    ProfileRegistration,
    UserViewCache,
    HousekeepingStore,
    Housekeeping.provider(usersDatabase.schema, HousekeepingStore),
  ],
})
export class UsersModule {}

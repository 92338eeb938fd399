import { Module } from '@nestjs/common';
import { DatabaseModule } from '@platform/database';
import { OutboxModule } from '@platform/transport';
import { usersDatabase } from './persistence/users.database';
import { UsersMessageController } from './users.message-controller';
import { UsersService } from './users.service';

/** The users context: accounts, profiles and roles, served over message patterns only. */
@Module({
  imports: [
    DatabaseModule.forContext(usersDatabase),
    OutboxModule.forContext(usersDatabase.schema),
  ],
  controllers: [UsersMessageController],
  providers: [UsersService],
})
export class UsersModule {}

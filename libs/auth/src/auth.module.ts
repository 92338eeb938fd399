import { Module } from '@nestjs/common';
import { DatabaseModule } from '@platform/database';
import { AccountsMessageController } from './accounts/accounts.message-controller';
import { AccountsService } from './accounts/accounts.service';
import { PasswordHasher } from './password.hasher';
import { authDatabase } from './persistence/auth.database';

/** The auth context: credentials, sessions, signing keys and tokens, served over messages. */
@Module({
  imports: [DatabaseModule.forContext(authDatabase)],
  controllers: [AccountsMessageController],
  providers: [AccountsService, PasswordHasher],
})
export class AuthModule {}

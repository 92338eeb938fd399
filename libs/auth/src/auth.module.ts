import { Module } from '@nestjs/common';
import { DatabaseModule } from '@platform/database';
import { OutboxModule } from '@platform/transport';
import { AccountsMessageController } from './accounts/accounts.message-controller';
import { AccountsService } from './accounts/accounts.service';
import { BootstrapAdmin } from './accounts/bootstrap-admin';
import { JwksMessageController } from './keys/jwks.message-controller';
import { KeysModule } from './keys/keys.module';
import { LoginThrottle } from './login/login-throttle';
import { LoginService } from './login/login.service';
import { LoginStore } from './login/login.store';
import { PasswordHasher } from './password.hasher';
import { authDatabase } from './persistence/auth.database';
import { AccountEventsController } from './sessions/account-events.controller';
import { SessionStore } from './sessions/session.store';
import { SessionsMessageController } from './sessions/sessions.message-controller';
import { SessionsService } from './sessions/sessions.service';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { ServiceCredentials } from './tokens/service-credentials';

/** The auth context: credentials, sessions, signing keys and tokens, served over messages. */
@Module({
  imports: [
    DatabaseModule.forContext(authDatabase),
    OutboxModule.forContext(authDatabase.schema),
    KeysModule,
  ],
  controllers: [
    AccountsMessageController,
    AccountEventsController,
    SessionsMessageController,
    JwksMessageController,
  ],
  providers: [
    AccountsService,
    BootstrapAdmin,
    PasswordHasher,
    LoginService,
    LoginThrottle,
    LoginStore,
    SessionsService,
    SessionStore,
    AccessTokenIssuer,
    ServiceCredentials,
  ],
})
export class AuthModule {}

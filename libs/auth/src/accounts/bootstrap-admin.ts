import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { ErrorCode, normalizeEmail, ServiceError } from '@platform/contracts';
import { RegistrationService } from './registration.service';

/** How long to wait for the users context, which may start after auth in a split deployment. */
const ATTEMPTS = 120;
const RETRY_MS = 1000;

/**
 * Creates the first administrator from `BOOTSTRAP_ADMIN_EMAIL` / `BOOTSTRAP_ADMIN_PASSWORD` if
 * no account has that email: auth registers the account like any other, and the users context,
 * which alone grants roles, makes it an administrator. It never changes an existing account, so the variables can stay
 * set across restarts without resetting a password someone has since changed.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    private readonly registration: RegistrationService,
    private readonly config: ConfigService<PlatformEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    const email = this.config.get('BOOTSTRAP_ADMIN_EMAIL', { infer: true });
    const password = this.config.get('BOOTSTRAP_ADMIN_PASSWORD', { infer: true });
    if (email && password) void this.ensure(normalizeEmail(email), password);
  }

  private async ensure(email: string, password: string): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        // The users context makes this account an administrator (`BOOTSTRAP_ADMIN_EMAIL`).
        await this.registration.registerBootstrapAdministrator(email, password);
        this.logger.log(`Created the bootstrap administrator ${email}`);
        return;
      } catch (error) {
        if (error instanceof ServiceError && error.code === ErrorCode.EmailAlreadyRegistered)
          return;
        // Anything else will not heal by waiting.
        if (!(error instanceof ServiceError && isTransient(error.code))) {
          this.logger.error(`Could not create the bootstrap administrator: ${String(error)}`);
          return;
        }
        await sleep(RETRY_MS);
      }
    }
    this.logger.error(
      'Gave up creating the bootstrap administrator: the users context never answered',
    );
  }
}

/** The users context is not answering yet, or the account is still being created: retry. */
function isTransient(code: ErrorCode): boolean {
  return (
    code === ErrorCode.ServiceUnavailable ||
    code === ErrorCode.ServiceTimeout ||
    code === ErrorCode.RegistrationPending
  );
}

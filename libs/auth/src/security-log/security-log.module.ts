import { Module } from '@nestjs/common';
import { SecurityEventWriter } from './security-event.writer';
import { SecurityLogMessageController } from './security-log.message-controller';
import { SecurityLogStore } from './security-log.store';

/**
 * The security log: the writer every auth use case appends through, and its reading for
 * auditors. Import it where the `auth` DataSource exists.
 */
@Module({
  controllers: [SecurityLogMessageController],
  providers: [SecurityEventWriter, SecurityLogStore],
  exports: [SecurityEventWriter],
})
export class SecurityLogModule {}

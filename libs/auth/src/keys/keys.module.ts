import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecurityLogModule } from '../security-log/security-log.module';
import { ActiveSigningKey } from './active-signing-key';
import { JwksMessageController } from './jwks.message-controller';
import { KeySetChangesController } from './key-set-changes.controller';
import { KeySetAnnouncement } from './key-set.announcement';
import { KeyEncryptionKeys, keyEncryptionKeysProvider } from './key-encryption-key.provider';
import { PublishedKeySet } from './published-key-set';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyHealthIndicator } from './signing-key.health';
import { SigningKeyMaintenance } from './signing-key.maintenance';
import { SigningKeyResealing } from './signing-key.resealing';
import { SigningKeyRotation } from './signing-key.rotation';
import { SigningKeySealer } from './signing-key.sealer';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeyWithdrawal } from './signing-key.withdrawal';

/**
 * Signing keys: generation, encryption at rest, rotation, withdrawal, the published JWKS and
 * the announcements of its changes. Import it
 * where the `auth` DataSource exists (`DatabaseModule.forContext(authDatabase)`) and a global
 * `ConfigModule` provides `PlatformEnv`: as it is in a command, which works on the keys once,
 * and as `KeysModule.maintained()` in an auth replica, which also opens, creates and rotates
 * them at start-up and on schedule (`SigningKeyMaintenance`), and is ready only while it holds
 * an active key it can open (`SigningKeyHealthIndicator`).
 */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity], 'auth'), SecurityLogModule],
  controllers: [JwksMessageController, KeySetChangesController],
  providers: [
    keyEncryptionKeysProvider,
    SigningKeyStore,
    SigningKeySealer,
    ActiveSigningKey,
    PublishedKeySet,
    KeySetAnnouncement,
    SigningKeyRotation,
    SigningKeyWithdrawal,
    SigningKeyResealing,
  ],
  exports: [
    ActiveSigningKey,
    PublishedKeySet,
    KeyEncryptionKeys,
    SigningKeyRotation,
    SigningKeyWithdrawal,
    SigningKeyResealing,
  ],
})
export class KeysModule {
  static maintained(): DynamicModule {
    return {
      module: KeysModule,
      imports: [TerminusModule],
      providers: [SigningKeyMaintenance, SigningKeyHealthIndicator],
      exports: [SigningKeyMaintenance],
    };
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecurityLogModule } from '../security-log/security-log.module';
import { ActiveSigningKey } from './active-signing-key';
import { JwksMessageController } from './jwks.message-controller';
import { keyEncryptionKeysProvider } from './key-encryption-key.provider';
import { PublishedKeySet } from './published-key-set';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyResealing } from './signing-key.resealing';
import { SigningKeyRotation } from './signing-key.rotation';
import { SigningKeySealer } from './signing-key.sealer';
import { SigningKeyStore } from './signing-key.store';

/**
 * Signing keys: generation, encryption at rest, rotation and the published JWKS. Import it
 * where the `auth` DataSource exists (`DatabaseModule.forContext(authDatabase)`) and a global
 * `ConfigModule` provides `PlatformEnv`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity], 'auth'), SecurityLogModule],
  controllers: [JwksMessageController],
  providers: [
    keyEncryptionKeysProvider,
    SigningKeyStore,
    SigningKeySealer,
    ActiveSigningKey,
    PublishedKeySet,
    SigningKeyRotation,
    SigningKeyResealing,
  ],
  exports: [ActiveSigningKey, SigningKeyRotation, SigningKeyResealing],
})
export class KeysModule {}

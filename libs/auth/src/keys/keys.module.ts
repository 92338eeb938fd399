import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { keyEncryptionKeyProvider, KeyEncryptionKey } from './key-encryption-key.provider';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyService } from './signing-key.service';

/**
 * Signing keys: generation, encryption at rest, rotation and the JWKS. Import it where the
 * `auth` DataSource exists (`DatabaseModule.forContext(authDatabase)`) and a global
 * `ConfigModule` provides `PlatformEnv`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity], 'auth')],
  providers: [keyEncryptionKeyProvider, SigningKeyService],
  exports: [KeyEncryptionKey, SigningKeyService],
})
export class KeysModule {}

import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { authDatabase, KeysModule, SigningKeyRotation } from '@platform/auth';
import { loadPlatformEnvOrExit, validatePlatformEnv } from '@platform/config';
import { DatabaseModule } from '@platform/database';

/**
 * `npm run keys:rotate`: the next signing key starts signing, the active one retires (still
 * published until its tokens expire), and a new next key is published. Running auth replicas
 * pick the change up within their next maintenance pass. With the embedded database, stop the
 * platform first: PGlite admits one process per data directory.
 */
async function rotate(): Promise<void> {
  const env = loadPlatformEnvOrExit();

  @Module({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validatePlatformEnv }),
      DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
      DatabaseModule.forContext(authDatabase),
      KeysModule,
    ],
  })
  class KeyRotationModule {}

  const app = await NestFactory.createApplicationContext(KeyRotationModule, {
    logger: ['error', 'warn'],
  });
  try {
    const rotation = await app.get(SigningKeyRotation).rotate();
    process.stdout.write(
      `Signing with ${rotation.activated}; retired ${rotation.retired}; next is ${rotation.next}\n`,
    );
  } finally {
    await app.close();
  }
}

rotate().catch((error: unknown) => {
  process.stderr.write(
    `Key rotation failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

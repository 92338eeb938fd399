import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { authDatabase, verifySecurityLog } from '@platform/auth';
import { loadPlatformEnvOrExit } from '@platform/config';
import { DatabaseModule } from '@platform/database';

/**
 * `npm run audit:verify`: walks the security log's hash chain in the database `DATABASE_URL`
 * (or the embedded one in `DATA_DIR`, with the platform stopped) and exits 0 when it is whole;
 * otherwise 1, naming the first broken row.
 */
async function audit(): Promise<number> {
  const env = loadPlatformEnvOrExit();

  @Module({
    imports: [
      DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
      DatabaseModule.forContext(authDatabase),
    ],
  })
  class AuditModule {}

  const app = await NestFactory.createApplicationContext(AuditModule, {
    logger: ['error', 'warn'],
  });
  try {
    const started = performance.now();
    const result = await verifySecurityLog(app.get<DataSource>(getDataSourceToken('auth')));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (result.intact) {
      process.stdout.write(`Security log intact: ${result.rows} rows verified in ${seconds} s\n`);
      return 0;
    }
    process.stdout.write(
      `Security log broken at row ${result.brokenAt}: ${result.reason} ` +
        `(${result.rows} rows verified before it)\n`,
    );
    return 1;
  } finally {
    await app.close();
  }
}

audit().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `Security log verification failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(2);
  },
);

import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { authDatabase, verifySecurityLog } from '@platform/auth';
import { PlatformEnv } from '@platform/config';
import { DatabaseModule } from '@platform/database';
import { runCommand } from './command';

/**
 * `npm run audit:verify`: walks the security log's hash chain in the database `DATABASE_URL`
 * (or the embedded one in `DATA_DIR`, with the platform stopped) and exits 0 when it is whole;
 * otherwise 1, naming the first broken row.
 */
function auditModule(env: PlatformEnv) {
  @Module({
    imports: [
      DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
      DatabaseModule.forContext(authDatabase),
    ],
  })
  class AuditModule {}
  return AuditModule;
}

runCommand('Security log verification', auditModule, async (app) => {
  const started = performance.now();
  const result = await verifySecurityLog(app.get<DataSource>(getDataSourceToken('auth')));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return result.intact
    ? {
        output:
          `Security log intact: ${result.rows} rows verified in ${seconds} s; ` +
          `head ${result.head || '(empty)'}`,
      }
    : {
        output:
          `Security log broken at row ${result.brokenAt}: ${result.reason} ` +
          `(${result.rows} rows verified before it)`,
        exitCode: 1,
      };
});

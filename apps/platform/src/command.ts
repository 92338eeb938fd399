import 'reflect-metadata';
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { authDatabase, KeysModule } from '@platform/auth';
import { loadPlatformEnvOrExit, PlatformConfigModule, PlatformEnv } from '@platform/config';
import { DatabaseModule } from '@platform/database';

/** What a command says when it is done, and its exit status (0 unless it says otherwise). */
export interface CommandOutcome {
  output: string;
  exitCode?: number;
}

/**
 * Runs a one-off command (`npm run keys:rotate` and its like) in an application context of
 * `module(env)`: prints what `work` says and exits with its status, or 2 with the stack when it
 * throws. Opening a context's DataSource runs its migrations, exactly as at start-up.
 */
export function runCommand(
  name: string,
  module: (env: PlatformEnv) => Type,
  work: (app: INestApplicationContext, env: PlatformEnv) => Promise<CommandOutcome>,
): void {
  const run = async (): Promise<number> => {
    const env = loadPlatformEnvOrExit();
    const app = await NestFactory.createApplicationContext(module(env), {
      logger: ['error', 'warn'],
    });
    try {
      const { output, exitCode = 0 } = await work(app, env);
      process.stdout.write(`${output}\n`);
      return exitCode;
    } finally {
      await app.close();
    }
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}

/**
 * The auth context's database and signing keys, for the commands that work on them: without a
 * replica's start-up and schedule (`KeysModule.maintained()`), which open the active key, so
 * `keys:revoke` can withdraw one that cannot be opened.
 */
export function authKeysModule(env: PlatformEnv): Type {
  @Module({
    imports: [
      PlatformConfigModule.forRoot(env),
      DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
      DatabaseModule.forContext(authDatabase),
      KeysModule,
    ],
  })
  class AuthKeysModule {}
  return AuthKeysModule;
}

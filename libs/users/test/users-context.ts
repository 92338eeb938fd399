import { Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { validatePlatformEnv } from '@platform/config';
import { DatabaseModule } from '@platform/database';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { OutboxModule, TransportModule } from '@platform/transport';
import { usersDatabase } from '../src/persistence/users.database';

/** The users context's persistence on a scratch PostgreSQL database, with `providers` on it. */
export interface UsersContext {
  scratch: ScratchContextDatabase;
  moduleRef: TestingModule;
  dataSource: DataSource;
  stop(): Promise<void>;
}

export async function startUsersContext(
  name: string,
  providers: Provider[],
  env: Record<string, string> = {},
): Promise<UsersContext> {
  const scratch = await scratchContextDatabase(name, usersDatabase);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validate: () => validatePlatformEnv(env),
      }),
      TransportModule.forRoot({
        requestTimeoutMs: 1000,
        connectionName: 'it',
        recentEventsSeconds: 60,
      }),
      DatabaseModule.forRoot({ url: scratch.url, dataDir: '' }),
      DatabaseModule.forContext(usersDatabase),
      OutboxModule.forContext(usersDatabase.schema),
    ],
    providers,
  }).compile();
  await moduleRef.init();
  return {
    scratch,
    moduleRef,
    dataSource: moduleRef.get(getDataSourceToken(usersDatabase.schema)),
    stop: async () => {
      await moduleRef.close();
      await scratch.drop();
    },
  };
}

import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { PlatformEnv } from './platform-env';

/**
 * `ConfigService` (global) over the `PlatformEnv` the process validated once at start-up, and
 * over nothing else: not the environment again, not a `.env` file. Validation makes up what is
 * not given (the services' client secrets), so a second validation would hand the process a
 * second, different set: auth would check other secrets than its callers present.
 */
@Module({})
export class PlatformConfigModule {
  static forRoot(env: PlatformEnv): DynamicModule {
    return {
      module: PlatformConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validatePredefined: false,
          skipProcessEnv: true,
          load: [() => env],
        }),
      ],
    };
  }
}

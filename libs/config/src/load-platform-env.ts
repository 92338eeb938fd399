import { existsSync } from 'node:fs';
import { InvalidConfigurationError, PlatformEnv, validatePlatformEnv } from './platform-env';

/**
 * The environment of a starting process: `.env` in the working directory if there is one
 * (real environment variables win), validated. On a bad value the process prints which
 * variables are wrong and exits with status 1 rather than start half-configured.
 */
export function loadPlatformEnvOrExit(): PlatformEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return validatePlatformEnv(process.env);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

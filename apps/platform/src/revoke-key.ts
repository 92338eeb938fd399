import { SigningKeyWithdrawal, UnknownSigningKeyError } from '@platform/auth';
import { authKeysModule, runCommand } from './command';

/**
 * `npm run keys:revoke -- KID`: withdraws a signing key at once (see `SigningKeyWithdrawal`).
 * Running auth replicas announce the new key set within a second, and every verifier stops
 * trusting the key and the tokens it signed. Exits 1 when no key has that `kid`. With the
 * embedded database, stop the platform first: the key is gone when it starts again.
 */
runCommand('Key withdrawal', authKeysModule, async (app) => {
  const kid = process.argv[2];
  if (!kid) return { output: 'Usage: npm run keys:revoke -- KID', exitCode: 1 };
  try {
    const { status, signing, unopenableNext } = await app.get(SigningKeyWithdrawal).withdraw(kid);
    const output = `Withdrew the ${status} signing key ${kid}; ${signing} signs`;
    if (!unopenableNext) return { output };
    return {
      output:
        `${output}. The next key ${unopenableNext} cannot be opened either; withdraw it too ` +
        `(npm run keys:revoke -- ${unopenableNext}) before starting the platform`,
    };
  } catch (error) {
    if (error instanceof UnknownSigningKeyError) return { output: error.message, exitCode: 1 };
    throw error;
  }
});

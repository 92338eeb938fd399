import { SigningKeyResealing } from '@platform/auth';
import { authKeysModule, runCommand } from './command';

/**
 * `npm run keys:rotate-kek`: re-seals every signing key under `KEY_ENCRYPTION_KEY`, opening
 * each with the key that sealed it (the current one or one of `PREVIOUS_KEY_ENCRYPTION_KEYS`).
 * Run it once every auth replica holds the new key; afterwards the previous keys may go. With
 * the embedded database, stop the platform first.
 */
runCommand('Key-encryption key rotation', authKeysModule, async (app) => {
  const { resealed, unchanged, kekId } = await app.get(SigningKeyResealing).resealAll();
  return {
    output: `Re-sealed ${resealed} signing keys under key-encryption key ${kekId} (${unchanged} were already)`,
  };
});

import { SigningKeyRotation } from '@platform/auth';
import { authKeysModule, runCommand } from './command';

/**
 * `npm run keys:rotate`: the next signing key starts signing, the active one retires (still
 * published until its tokens expire), and a new next key is published. Running auth replicas
 * pick the change up within their next maintenance pass. With the embedded database, stop the
 * platform first: PGlite admits one process per data directory.
 */
runCommand('Key rotation', authKeysModule, async (app) => {
  const rotation = await app.get(SigningKeyRotation).rotate();
  return {
    output: `Signing with ${rotation.activated}; retired ${rotation.retired}; next is ${rotation.next}`,
  };
});

import { createHmac, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FactoryProvider, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  isKeyEncryptionKeyEncoding,
  KEY_ENCRYPTION_KEY_BYTES,
  PlatformEnv,
} from '@platform/config';

/**
 * The AES-256 key that seals signing keys at rest. The secret lives in a `KeyObject`, which
 * never prints its bytes in a log line or an inspection. `id` names the key without revealing
 * it (an HMAC of a fixed label under the key): each sealed signing key records the `id` of the
 * key that sealed it.
 */
export class KeyEncryptionKey {
  readonly id: string;

  constructor(readonly key: KeyObject) {
    this.id = createHmac('sha256', key)
      .update('identity-platform key-encryption key id')
      .digest('base64url')
      .slice(0, 16);
  }
}

/**
 * The key that seals from now on, and those that sealed before it and may still open what
 * `npm run keys:rotate-kek` has not re-sealed yet (`PREVIOUS_KEY_ENCRYPTION_KEYS`).
 */
export class KeyEncryptionKeys {
  constructor(
    readonly current: KeyEncryptionKey,
    readonly previous: KeyEncryptionKey[] = [],
  ) {}

  /** The key with this id, or every key when the sealed key does not say (older rows). */
  candidatesFor(id: string | null): KeyEncryptionKey[] {
    const all = [this.current, ...this.previous];
    return id === null ? all : all.filter((key) => key.id === id);
  }
}

export interface KeyEncryptionKeySource {
  /** `KEY_ENCRYPTION_KEY`: base64 of 32 bytes. */
  configured?: string;
  /** `DATA_DIR`: where the embedded default keeps a generated key when none is configured. */
  dataDir: string;
}

/**
 * The configured key if there is one. Otherwise the one in `<dataDir>/keys/key-encryption.key`,
 * generated on first start: the embedded default works out of the box, and says where the key
 * went and why a deployment with several auth processes must configure one instead.
 */
export async function loadKeyEncryptionKey(
  source: KeyEncryptionKeySource,
  logger: Pick<Logger, 'warn'> = new Logger(KeyEncryptionKey.name),
): Promise<KeyEncryptionKey> {
  if (source.configured !== undefined) {
    return new KeyEncryptionKey(parseKey(source.configured, 'KEY_ENCRYPTION_KEY'));
  }
  const directory = resolve(source.dataDir, 'keys');
  const path = join(directory, 'key-encryption.key');
  const existing = await readKeyFile(path);
  if (existing) return new KeyEncryptionKey(existing);

  await mkdir(resolve(source.dataDir), { recursive: true });
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_ENCRYPTION_KEY_BYTES);
  if (!(await publishKeyFile(path, `${key.toString('base64')}\n`))) {
    // Another process starting on the same DATA_DIR created it first: use theirs.
    key.fill(0);
    const theirs = await readKeyFile(path);
    if (!theirs) throw new Error(`${path} vanished while it was being created`);
    return new KeyEncryptionKey(theirs);
  }
  logger.warn(
    `Generated a key-encryption key at ${path}: it encrypts the signing keys stored in the ` +
      `database, which cannot be decrypted without it, so back it up. Deployments that run auth ` +
      `in more than one process must set KEY_ENCRYPTION_KEY (base64 of 32 random bytes) so ` +
      `every auth replica shares it.`,
  );
  try {
    return new KeyEncryptionKey(createSecretKey(key));
  } finally {
    key.fill(0);
  }
}

/**
 * Nest provider of `KeyEncryptionKeys`: the current key from `KEY_ENCRYPTION_KEY` (or the file
 * in `DATA_DIR`), the previous ones from `PREVIOUS_KEY_ENCRYPTION_KEYS`.
 */
export const keyEncryptionKeysProvider: FactoryProvider<Promise<KeyEncryptionKeys>> = {
  provide: KeyEncryptionKeys,
  inject: [ConfigService],
  useFactory: async (config: ConfigService<PlatformEnv, true>) =>
    new KeyEncryptionKeys(
      await loadKeyEncryptionKey({
        configured: config.get('KEY_ENCRYPTION_KEY', { infer: true }),
        dataDir: config.get('DATA_DIR', { infer: true }),
      }),
      config
        .get('PREVIOUS_KEY_ENCRYPTION_KEYS', { infer: true })
        .map((encoded) => new KeyEncryptionKey(parseKey(encoded, 'PREVIOUS_KEY_ENCRYPTION_KEYS'))),
    ),
};

/** The key `encoded` holds, in the only encoding taken (`isKeyEncryptionKeyEncoding`). */
function parseKey(encoded: string, source: string): KeyObject {
  const text = encoded.trim();
  if (!isKeyEncryptionKeyEncoding(text)) {
    throw new Error(`${source} must be the base64 of exactly ${KEY_ENCRYPTION_KEY_BYTES} bytes`);
  }
  const bytes = Buffer.from(
    text,
    text.includes('-') || text.includes('_') ? 'base64url' : 'base64',
  );
  try {
    return createSecretKey(bytes);
  } finally {
    bytes.fill(0);
  }
}

async function readKeyFile(path: string): Promise<KeyObject | undefined> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseKey(content, path);
}

/**
 * Creates `path` with `content`, mode 0600, unless it exists. The content goes to a private
 * temporary file first and is hard-linked into place, which fails if the name is taken: two
 * processes cannot both create the key, and neither can read a half-written one.
 */
async function publishKeyFile(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  await writeFile(temporary, content, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

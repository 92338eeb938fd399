import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyEncryptionKey, loadKeyEncryptionKey } from './key-encryption-key.provider';

/** Two keys are the same if they encrypt alike. */
function fingerprint(key: KeyEncryptionKey): string {
  const cipher = createCipheriv('aes-256-gcm', key.key, Buffer.alloc(12));
  cipher.update(Buffer.alloc(16));
  cipher.final();
  return cipher.getAuthTag().toString('hex');
}

describe('loadKeyEncryptionKey', () => {
  let dataDir: string;
  const logger = { warn: jest.fn() };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kek-'));
    logger.warn.mockReset();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('uses KEY_ENCRYPTION_KEY when it is set, and writes nothing', async () => {
    const bytes = randomBytes(32);
    const fromBase64 = await loadKeyEncryptionKey(
      { configured: bytes.toString('base64'), dataDir },
      logger,
    );
    const fromBase64url = await loadKeyEncryptionKey(
      { configured: bytes.toString('base64url'), dataDir },
      logger,
    );
    expect(fromBase64.key.export()).toEqual(bytes);
    expect(fingerprint(fromBase64url)).toBe(fingerprint(fromBase64));
    await expect(stat(join(dataDir, 'keys'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['48 bytes', randomBytes(48).toString('base64')],
    ['a mangled value', `${randomBytes(32).toString('base64').slice(0, 40)}!!!=`],
    ['hex', randomBytes(32).toString('hex')],
  ])('refuses a KEY_ENCRYPTION_KEY of %s, naming it', async (_, configured) => {
    await expect(loadKeyEncryptionKey({ configured, dataDir }, logger)).rejects.toThrow(
      /^KEY_ENCRYPTION_KEY must be the base64 of exactly 32 bytes$/,
    );
  });

  it('generates a key file once (0600 in a 0700 directory), says where, and reuses it', async () => {
    const path = join(dataDir, 'keys', 'key-encryption.key');
    const first = await loadKeyEncryptionKey({ dataDir }, logger);

    expect((await stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const stored = (await readFile(path, 'utf8')).trim();
    expect(Buffer.from(stored, 'base64')).toHaveLength(32);
    expect(first.key.export().toString('base64')).toBe(stored);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const message = logger.warn.mock.calls[0][0] as string;
    expect(message).toContain(path);
    expect(message).toContain('KEY_ENCRYPTION_KEY');
    expect(message).not.toContain(stored);

    const second = await loadKeyEncryptionKey({ dataDir }, logger);
    expect(fingerprint(second)).toBe(fingerprint(first));
    expect((await readFile(path, 'utf8')).trim()).toBe(stored);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('lets processes starting together on one DATA_DIR agree on a single key', async () => {
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => loadKeyEncryptionKey({ dataDir }, logger)),
    );
    expect(new Set(keys.map(fingerprint)).size).toBe(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('refuses a malformed key file rather than replace it', async () => {
    await mkdir(join(dataDir, 'keys'));
    const path = join(dataDir, 'keys', 'key-encryption.key');
    await writeFile(path, 'not a key\n');
    await expect(loadKeyEncryptionKey({ dataDir }, logger)).rejects.toThrow(
      `${path} must be the base64 of exactly 32 bytes`,
    );
    expect(await readFile(path, 'utf8')).toBe('not a key\n');
  });
});

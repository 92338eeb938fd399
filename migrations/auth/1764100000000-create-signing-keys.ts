import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSigningKeys1764100000000 implements MigrationInterface {
  name = 'CreateSigningKeys1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    // `private_key` is the PKCS#8 DER sealed with AES-256-GCM under the key-encryption key.
    // A retired key stays in the JWKS until `publish_until`, when its last tokens have expired.
    await runner.query(`
      CREATE TABLE auth.signing_keys (
        kid           text PRIMARY KEY,
        alg           text NOT NULL CHECK (alg IN ('RS256', 'ES256', 'EdDSA')),
        public_jwk    jsonb NOT NULL,
        private_key   text NOT NULL,
        status        text NOT NULL CHECK (status IN ('next', 'active', 'retired')),
        created_at    timestamptz NOT NULL DEFAULT now(),
        activated_at  timestamptz,
        retired_at    timestamptz,
        publish_until timestamptz,
        CONSTRAINT signing_keys_active_has_activated_at
          CHECK (status <> 'active' OR activated_at IS NOT NULL),
        CONSTRAINT signing_keys_retired_has_publish_until
          CHECK (status <> 'retired' OR (retired_at IS NOT NULL AND publish_until IS NOT NULL))
      )`);
    // At most one key signs and at most one waits to: replicas racing to rotate cannot both win.
    await runner.query(
      `CREATE UNIQUE INDEX signing_keys_one_per_live_status ON auth.signing_keys (status)
        WHERE status IN ('active', 'next')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.signing_keys`);
  }
}

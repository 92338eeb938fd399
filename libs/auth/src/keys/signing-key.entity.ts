import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SigningAlgorithm } from '@platform/contracts';
import type { PublicJwk } from './signing-key.generator';

/**
 * Where a signing key is in its life: `next` is published but does not sign yet, `active`
 * signs, `retired` no longer signs and stays published until `publishUntil`.
 */
export type SigningKeyStatus = 'next' | 'active' | 'retired';

/** A stored signing key. At most one is `active` and at most one `next` (a unique index). */
@Entity({ schema: 'auth', name: 'signing_keys' })
export class SigningKeyEntity {
  /** Random, 128 bits, base64url: the JWS `kid`. */
  @PrimaryColumn('text')
  kid!: string;

  @Column('text')
  alg!: SigningAlgorithm;

  @Column('jsonb', { name: 'public_jwk' })
  publicJwk!: PublicJwk;

  /** PKCS#8 DER sealed by `encryptPrivateKey` under the key-encryption key, bound to `kid`. */
  @Column('text', { name: 'private_key' })
  privateKey!: string;

  /** The `id` of the key-encryption key that sealed `privateKey`; null for keys sealed before ids. */
  @Column('text', { name: 'kek_id', nullable: true })
  kekId!: string | null;

  @Column('text')
  status!: SigningKeyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'activated_at', nullable: true })
  activatedAt!: Date | null;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;

  /** For a retired key: when the last token it signed has expired; it then leaves the JWKS. */
  @Column('timestamptz', { name: 'publish_until', nullable: true })
  publishUntil!: Date | null;
}

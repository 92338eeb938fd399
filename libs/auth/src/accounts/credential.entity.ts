import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * `pending` while the account's registration has not finished, `cancelling` while a stalled one
 * is undone, `active` once the account is whole. Only an active credential logs in.
 */
export type CredentialStatus = 'pending' | 'active' | 'cancelling';

/** What an account logs in with. `passwordHash` is an argon2id PHC string; it never leaves auth. */
@Entity({ schema: 'auth', name: 'credentials' })
export class CredentialEntity {
  /** The account's id, shared with its profile in the users context. */
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  /** In its normal form (`normalizeEmail`); unique. */
  @Column('text')
  email!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('timestamptz', { name: 'password_changed_at' })
  passwordChangedAt!: Date;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @Column('text')
  status!: CredentialStatus;

  /** When a credential that is not active yet is looked at again by the registration repair. */
  @Column('timestamptz', { name: 'repair_after', nullable: true })
  repairAfter!: Date | null;

  /** Set once the registration gave up waiting, or was found stalled: a retry may carry it on. */
  @Column('timestamptz', { name: 'stalled_at', nullable: true })
  stalledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

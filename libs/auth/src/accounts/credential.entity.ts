import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** What an account logs in with. `passwordHash` is an argon2id PHC string; it never leaves auth. */
@Entity({ schema: 'auth', name: 'credentials' })
export class CredentialEntity {
  /** The account's id, shared with its profile in the users context. */
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  /** Lower-cased; unique case-insensitively. */
  @Column('text')
  email!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('timestamptz', { name: 'password_changed_at' })
  passwordChangedAt!: Date;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

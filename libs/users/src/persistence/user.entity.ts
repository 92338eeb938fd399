import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A user's profile. Credentials live in the auth context. */
@Entity({ schema: 'users', name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** In its normal form (`normalizeEmail`); unique (index on `lower(email)`). */
  @Column('text')
  email!: string;

  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  @Column('text', { array: true, default: () => `'{user}'` })
  roles!: string[];

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  /** When auth reported the account whole; until then the profile may be an orphan. */
  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { Injectable, OnModuleInit } from '@nestjs/common';

/** `Algorithm.Argon2id` from @node-rs/argon2 (a const enum, which isolated transpilers cannot inline). */
const ARGON2ID = 2;

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended configuration:
 * m=19456 KiB (19 MiB), t=2, p=1. The PHC string records the parameters, so raising them later
 * keeps old hashes verifiable.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly options = {
    algorithm: ARGON2ID,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  };
  private dummyHash = '';

  /** A hash of a random password, verified for unknown accounts so they cost the same time. */
  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(16).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  /**
   * Verifies against the stored hash, or against a dummy one when there is none, so that a
   * wrong email and a wrong password take the same time (OWASP Authentication Cheat Sheet,
   * "Authentication and Error Messages").
   */
  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    const matches = await verify(passwordHash ?? this.dummyHash, password);
    return matches && passwordHash !== undefined;
  }
}

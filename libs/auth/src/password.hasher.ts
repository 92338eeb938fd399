import { hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

/** `Algorithm.Argon2id` from @node-rs/argon2 (a const enum, which isolated transpilers cannot inline). */
const ARGON2ID = 2;

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended configuration:
 * m=19456 KiB (19 MiB), t=2, p=1. The PHC string records the parameters, so raising them later
 * keeps old hashes verifiable.
 */
@Injectable()
export class PasswordHasher {
  private readonly options = {
    algorithm: ARGON2ID,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  };

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password);
  }
}

import { accessSync, constants, readFileSync, statSync } from 'node:fs';

/**
 * What is wrong with a file named by a variable, as the end of a sentence naming it; undefined
 * when it is a regular file this process can read.
 */
export function readableFileProblem(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return `names no file: ${path}`;
  }
  if (!stats.isFile()) return `is not a regular file: ${path}`;
  try {
    accessSync(path, constants.R_OK);
  } catch {
    return `is not readable by this process: ${path}`;
  }
  return undefined;
}

/**
 * As `readableFileProblem`, and a secret must also be private to its owner: a seed that the
 * group or anyone else may read is a credential already shared, so the process refuses it
 * (as OpenSSH refuses a private key readable by others).
 */
export function privateFileProblem(path: string): string | undefined {
  const problem = readableFileProblem(path);
  if (problem) return problem;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return `is open to its group or others (mode ${mode.toString(8).padStart(4, '0')}): ${path}; make it private with chmod 600`;
  }
  return undefined;
}

/**
 * Whether a file holds an NKey user seed, by its shape: one line of base32, `S` (a seed) then
 * `U` (of a user), 58 characters. nats.js checks its checksum when it connects.
 */
export function nkeyUserSeedProblem(path: string): string | undefined {
  const content = readFileSync(path, 'utf8').trim();
  return /^SU[A-Z2-7]{56}$/.test(content)
    ? undefined
    : `holds no NKey user seed (one line starting with SU): ${path}`;
}

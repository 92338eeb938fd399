import { randomFillSync } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

/**
 * Random bytes for trace and span ids, drawn from a pool refilled 4 KiB at a time rather than
 * a `randomBytes` system call per id and hop. The ids are identifiers, not secrets.
 */
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/**
 * W3C Trace Context 3.2: each hop keeps the trace-id and flags and gets a new parent-id.
 * A request that arrived without a valid `traceparent` starts a new trace.
 */
export function childTraceparent(parent?: string): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match ? match[1] : randomHex(16);
  const flags = match ? match[2] : '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

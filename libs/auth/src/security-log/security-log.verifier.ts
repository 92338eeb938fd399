import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

/** The outcome of walking the chain. */
export type SecurityLogVerification =
  /** `head`: the last row's hash (hex), to keep outside the database and compare next time. */
  | { intact: true; rows: number; head: string }
  | { intact: false; rows: number; brokenAt: number; reason: string };

interface ChainRow {
  seq: string;
  text: string;
  prevHash: Buffer | null;
  hash: Buffer;
}

const BATCH_SIZE = 10_000;
/**
 * Where the walk starts: below every `seq` a row can have, not at the chain's first, so that a
 * row written before it (with the triggers off) is seen; the head does not move for one.
 */
const BEFORE_EVERY_ROW = '-9223372036854775808';

/**
 * Walks the security log's hash chain from its first row and recomputes every hash in Node, so
 * the check does not rest on the functions stored in the database it checks: each row must
 * follow the one before it (`seq` without a gap), name its hash (`prev_hash`), and hash to what
 * it stores, SHA-256 over the previous hash and the row's canonical text; the chain must end
 * where `auth.security_log_head` says. The database keeps anyone but the tables' owner and a
 * superuser from changing rows or head; against those, who can switch the triggers off and
 * write a new chain, the head printed by a past verification, kept elsewhere, is the evidence:
 * a rewritten chain no longer passes through it. The canonical text is the one the database links rows
 * with (`auth.security_event_text`), rebuilt by this query from the columns.
 */
export function verifySecurityLog(dataSource: DataSource): Promise<SecurityLogVerification> {
  // One snapshot for the rows and the head: read apart, a row a running platform appends after
  // the last batch and before the head would leave the head past the chain's end, a false alarm.
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query(`SET TRANSACTION READ ONLY`);
    return walk(manager);
  });
}

async function walk(manager: EntityManager): Promise<SecurityLogVerification> {
  let rows = 0;
  let previous: { seq: number; hash: Buffer | null } = { seq: 0, hash: null };
  let after = BEFORE_EVERY_ROW;
  for (;;) {
    // Ordered by the column, not by the text the query names `seq` too.
    const batch: ChainRow[] = await manager.query(
      `SELECT seq::text,
              concat_ws(E'\\n', seq::text, type, coalesce(user_id::text, ''),
                        coalesce(session_id::text, ''), details::text,
                        (extract(epoch FROM occurred_at) * 1000000)::bigint::text) AS text,
              prev_hash AS "prevHash", hash
         FROM auth.security_events WHERE seq > $1::bigint ORDER BY security_events.seq LIMIT $2`,
      [after, BATCH_SIZE],
    );
    for (const row of batch) {
      const seq = Number(row.seq);
      const broken = (reason: string, at = seq): SecurityLogVerification => ({
        intact: false,
        rows,
        brokenAt: at,
        reason,
      });
      if (seq <= previous.seq) return broken(`row ${row.seq} comes before the chain's first`);
      if (seq !== previous.seq + 1) {
        return broken(`row ${previous.seq + 1} is missing`, previous.seq + 1);
      }
      if (!sameBytes(row.prevHash, previous.hash))
        return broken('it does not follow the row before');
      if (!row.hash.equals(link(previous.hash, row.text))) return broken('its content was changed');
      previous = { seq, hash: row.hash };
      after = row.seq;
      rows += 1;
    }
    if (batch.length < BATCH_SIZE) break;
  }
  const [head]: { seq: string; hash: Buffer | null }[] = await manager.query(
    `SELECT seq::text, hash FROM auth.security_log_head`,
  );
  // The head is written with the chain's first row and never removed: without it, rows cut
  // off the end would go unnoticed.
  if (!head) {
    return { intact: false, rows, brokenAt: previous.seq + 1, reason: 'the chain has no head' };
  }
  if (Number(head.seq) !== previous.seq || !sameBytes(head.hash, previous.hash)) {
    return {
      intact: false,
      rows,
      brokenAt: previous.seq + 1,
      reason: `the chain ends at row ${previous.seq}, its head names row ${head.seq}`,
    };
  }
  return { intact: true, rows, head: previous.hash?.toString('hex') ?? '' };
}

function link(previous: Buffer | null, text: string): Buffer {
  return createHash('sha256')
    .update(previous ?? Buffer.alloc(0))
    .update(text, 'utf8')
    .digest();
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

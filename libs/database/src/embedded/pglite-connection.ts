import { EventEmitter } from 'node:events';
import { PGlite, protocol } from '@electric-sql/pglite';

type Serialize = typeof protocol.serialize;
type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

/** Statements worth preparing: plain DML, which is what the platform repeats. */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/** A bound on the texts prepared; the platform's queries are far fewer. */
const MAX_PREPARED_STATEMENTS = 500;

/**
 * node-postgres's wire `Connection`, answered in-process by PGlite: `pg` keeps doing everything
 * a client does (statements, parameters, types, results, `rowCount`, errors), and PGlite plays
 * the server.
 *
 * `pg` writes the messages of one extended query (Parse, Bind, Describe, Execute, Sync) one by
 * one. They are collected and handed to PGlite in a single call when the query is complete
 * (Sync, Flush, or a simple Query), rather than one call per message as the adapter PGlite ships
 * (`@electric-sql/pglite/node-postgres`) does, since each call is a trip into WebAssembly.
 * Batches run one after another, in the order `pg` completed them, and their replies are
 * emitted in that order.
 *
 * Parsing and planning are about half of what a small statement costs PGlite, and the platform
 * sends the same few dozen query texts over and over. So, like the automatic preparation of
 * postgres.js or Npgsql, each query text is parsed once as a named statement on PGlite's
 * session, and later runs of the same text only bind it. Only plain DML is prepared (never a
 * utility statement such as a migration's DDL), and a text is remembered only once PGlite
 * confirms the parse.
 */
export class PgliteConnection extends EventEmitter {
  /** Read by `pg` for prepared statements it has sent on this connection. */
  readonly parsedStatements: Record<string, string> = {};
  readonly submittedNamedStatements: Record<string, string> = {};
  readonly stream = { destroy: () => this.end() };
  private pending: Uint8Array[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** Statement names by query text (and parameter types), once PGlite has parsed them. */
  private readonly prepared = new Map<string, string>();
  private preparedCount = 0;
  /** The prepared statement the batch being collected parses or binds, if any. */
  private batchStatement?: { key: string; name: string; isNew: boolean };

  constructor(private readonly db: PGlite) {
    super();
  }

  /** PGlite needs no handshake: the connection is ready as soon as PGlite is. */
  connect(): void {
    void this.db.waitReady.then(() => process.nextTick(() => this.emit('readyForQuery', {})));
  }

  /**
   * A simple query. One plain DML statement (no `;`, so never several) is run as an extended
   * query instead, to be prepared like the others: `pg` sends a query without parameters this
   * way, and the platform repeats such texts too (the outbox relay's poll, a few times a second
   * per context even when idle). Its replies, ParseComplete and BindComplete aside, are the
   * simple query's, and `pg` ignores those two for a query it did not send as extended.
   */
  query(text: string): void {
    if (!PREPARABLE.test(text) || text.includes(';')) {
      this.send(protocol.serialize.query(text));
      return;
    }
    this.parse({ text });
    this.bind({});
    this.describe({ type: 'P' });
    this.execute({});
    this.sync();
  }

  parse(query: Parameters<Serialize['parse']>[0]): void {
    if (query.name || !PREPARABLE.test(query.text)) {
      this.collect(protocol.serialize.parse(query));
      return;
    }
    const key = `${query.types?.join(',') ?? ''}:${query.text}`;
    const known = this.prepared.get(key);
    if (known) {
      this.batchStatement = { key, name: known, isNew: false };
      return;
    }
    if (this.prepared.size >= MAX_PREPARED_STATEMENTS) {
      this.collect(protocol.serialize.parse(query));
      return;
    }
    const name = `pglite_${++this.preparedCount}`;
    this.batchStatement = { key, name, isNew: true };
    this.collect(protocol.serialize.parse({ ...query, name }));
  }

  bind(config: Parameters<Serialize['bind']>[0]): void {
    const statement = config?.statement || this.batchStatement?.name;
    this.collect(protocol.serialize.bind({ ...config, statement }));
  }

  describe(message: Parameters<Serialize['describe']>[0]): void {
    this.collect(protocol.serialize.describe(message));
  }

  execute(config: Parameters<Serialize['execute']>[0]): void {
    this.collect(protocol.serialize.execute(config));
  }

  close(message: Parameters<Serialize['close']>[0]): void {
    this.collect(protocol.serialize.close(message));
  }

  flush(): void {
    this.send(protocol.serialize.flush());
  }

  sync(): void {
    this.send(protocol.serialize.sync());
  }

  sendCopyFail(message: string): void {
    this.send(protocol.serialize.copyFail(message));
  }

  end(): void {
    this.queue = this.queue.then(() => {
      this.emit('end');
    });
  }

  // A socket's concerns, which PGlite does not have.
  requestSsl(): void {}
  startup(): void {}
  password(): void {}
  ref(): void {}
  unref(): void {}

  /**
   * A new statement is kept once PGlite confirms its parse. A kept one that PGlite can no longer
   * run as prepared (its tables changed shape: SQLSTATE 0A000, or it is gone: 26000) is closed
   * and forgotten, so the next run of its text prepares it afresh.
   */
  private remember(
    statement: { key: string; name: string; isNew: boolean },
    replies: BackendMessage[],
  ): void {
    if (statement.isNew) {
      if (replies.some((reply) => reply.name === 'parseComplete')) {
        this.prepared.set(statement.key, statement.name);
      }
      return;
    }
    const failure = replies.find((reply) => reply.name === 'error') as
      (BackendMessage & { code?: string }) | undefined;
    if (failure?.code === '0A000' || failure?.code === '26000') {
      this.prepared.delete(statement.key);
      this.collect(protocol.serialize.close({ type: 'S', name: statement.name }));
    }
  }

  private collect(message: Uint8Array): void {
    this.pending.push(message);
  }

  private send(last: Uint8Array): void {
    const batch = concat([...this.pending, last]);
    const statement = this.batchStatement;
    this.pending = [];
    this.batchStatement = undefined;
    this.queue = this.queue
      .then(() => this.db.execProtocolStream(batch, { syncToFs: false, throwOnError: false }))
      .then((replies) => {
        if (statement) this.remember(statement, replies);
        for (const reply of replies) {
          this.emit(reply.name === 'error' ? 'errorMessage' : reply.name, reply);
        }
      })
      .catch((error: unknown) => {
        this.emit('error', error);
      });
  }
}

function concat(messages: Uint8Array[]): Uint8Array {
  if (messages.length === 1) return messages[0];
  const batch = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
  let offset = 0;
  for (const message of messages) {
    batch.set(message, offset);
    offset += message.length;
  }
  return batch;
}

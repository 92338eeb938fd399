/** What runs a statement: a `DataSource` or a transaction's `EntityManager`. */
export interface Queryable {
  query(text: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Writes that belong together sent as one statement, each a data-modifying `WITH` clause
 * (PostgreSQL manual, 7.8.4 "Data-Modifying Statements in WITH"): one round trip and one commit,
 * and all of them take effect or none. Each owner adds its own clause, writing its placeholders
 * with `parameter(value)`, so clauses written apart never clash in their numbering or names.
 *
 * All clauses see the same snapshot and none sees another's effects, only what another returns
 * (by the name `add` hands back); their order on disk is PostgreSQL's. So a clause may depend
 * on another only through that one's `RETURNING`.
 */
export class CombinedWrite {
  private readonly clauses: string[] = [];
  private readonly names = new Set<string>();
  private readonly parameters: unknown[] = [];

  /** The placeholder (`$n`) standing for `value`. */
  readonly parameter = (value: unknown): string => {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  };

  /** Adds a clause; returns the name it goes by, `name` or, when taken, a numbered one. */
  add(name: string, sql: string): string {
    let unique = name;
    for (let n = 2; this.names.has(unique); n++) unique = `${name}_${n}`;
    this.names.add(unique);
    this.clauses.push(`${unique} AS (${sql})`);
    return unique;
  }

  async run(on: Queryable): Promise<void> {
    if (this.clauses.length === 0) return;
    await on.query(`WITH ${this.clauses.join(',\n')}\nSELECT`, this.parameters);
  }
}

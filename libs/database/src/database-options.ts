/** What the process-wide database module needs: where PostgreSQL is, or where to embed it. */
export interface DatabaseOptions {
  /** A PostgreSQL connection URL; unset means embedded PGlite under `dataDir`. */
  url?: string;
  dataDir: string;
}

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/**
 * What every database connector offers: run a statement, EXPLAIN one as a JSON plan, cancel what is
 * running, close. Each call is its own transaction, read-only unless the caller allows writes, with
 * a statement timeout; EXPLAIN ANALYZE is always rolled back, so a write that is only measured never
 * commits.
 */

export interface StatementOptions {
  /** Bind parameters for `$1 … $n`. */
  params?: unknown[];
  /** Statement timeout; the connector's default when absent. */
  timeoutMs?: number;
  /** Let the statement write (the transaction is READ ONLY otherwise). */
  allowWrites?: boolean;
  /** End with ROLLBACK even when writes are allowed: a benchmark measures a write without keeping it. */
  rollback?: boolean;
}

export interface ExplainOptions extends StatementOptions {
  /** Execute the statement (EXPLAIN ANALYZE) to get actual rows and times; rolled back afterwards. */
  analyze?: boolean;
  /**
   * PerfLens's own statements, run first in the same transaction (which is always rolled back):
   * a `CREATE INDEX` to try on the embedded copy, a HypoPG hypothetical index. The user's statement
   * then runs read-only unless writes are allowed. Never a user's SQL.
   */
  setup?: string[];
}

export interface QueryResult {
  rows: Array<Record<string, unknown>>;
  /** Rows a write touched, or rows returned. */
  rowCount: number;
}

/** The root of PostgreSQL's `EXPLAIN (FORMAT JSON)` output: `{ Plan, Planning Time?, Execution Time? }`. */
export type RawPlan = Record<string, unknown> & { Plan: Record<string, unknown> };

export interface Connector {
  /** `postgres`, `pglite`, `sqlite`, `mysql`: what the results say they ran on. */
  readonly kind: string;
  /** The SQL function for a random number between 0 and 1, when it is not `random()` (MySQL's `RAND()`). */
  readonly randomFunction?: string;
  /** Names the database for messages, with any password removed. */
  readonly description: string;
  /**
   * Statements it runs at once: its pool's connections, 1 for a database in a process of
   * PerfLens's own (PGlite, SQLite), which runs one at a time. A benchmark runs no more at a time.
   */
  readonly maxConcurrency: number;
  run(sql: string, options?: StatementOptions): Promise<QueryResult>;
  explain(sql: string, options?: ExplainOptions): Promise<RawPlan>;
  /** The types PostgreSQL infers for `$1 … $n` (`integer`, `text`), from a prepared statement that never runs. */
  describeParams(sql: string, options?: { timeoutMs?: number }): Promise<string[]>;
  /**
   * Runs a script of several statements (schema DDL, data generation) as it is: no transaction
   * wrapper, writes allowed. Only PerfLens's own set-up uses it, never a user's query.
   */
  execScript(sql: string, options?: { timeoutMs?: number }): Promise<void>;
  /** Rows per table for plan warnings, where the database has no statistics catalog like pg_class. */
  relationRows?(names: readonly string[], options?: { timeoutMs?: number }): Promise<Map<string, number>>;
  /** Cancels every statement running on this connector; their promises reject with `QueryCancelledError`. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds `EXPLAIN (…) <sql>`: JSON, with BUFFERS (PostgreSQL 13+ accepts it without ANALYZE). Without
 * ANALYZE the option is left out rather than set false: HypoPG only plans with hypothetical
 * indexes when an EXPLAIN has no ANALYZE option at all.
 */
export function explainStatement(sql: string, analyze: boolean): string {
  return `EXPLAIN (FORMAT JSON, ${analyze ? 'ANALYZE true, ' : ''}BUFFERS true) ${stripTrailingSemicolon(sql)}`;
}

export function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** The plan out of EXPLAIN's single JSON cell, whichever way the driver decoded it. */
export function planFromExplainRows(rows: Array<Record<string, unknown>>): RawPlan {
  const cell = rows[0]?.['QUERY PLAN'];
  const value = typeof cell === 'string' ? JSON.parse(cell) : cell;
  const root = Array.isArray(value) ? value[0] : value;
  if (!root || typeof root !== 'object' || !('Plan' in root)) throw new Error('EXPLAIN returned no plan');
  return root as RawPlan;
}

/**
 * PREPARE only parses and plans; the inferred parameter types are then read from
 * pg_prepared_statements. The statements run on one connection inside one transaction; a fresh
 * name each time, because a statement left behind by a failure would make the next PREPARE fail.
 */
let describeCount = 0;
export function describeStatements(sql: string): { prepare: string; select: string; deallocate: string } {
  const name = `perflens_describe_${++describeCount}`;
  return {
    prepare: `PREPARE ${name} AS ${stripTrailingSemicolon(sql)}`,
    select: `SELECT parameter_types::text[] AS types FROM pg_prepared_statements WHERE name = '${name}'`,
    deallocate: `DEALLOCATE ${name}`,
  };
}

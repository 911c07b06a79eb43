/**
 * MySQL and MariaDB through mysql2, for `mysql://user@host:3306/db` URLs. Each statement gets a
 * pooled connection and its own transaction (`START TRANSACTION READ ONLY` unless writes are
 * allowed, and the session read-only too, so that a statement which commits implicitly cannot
 * escape it), with the server's statement timeout (`max_execution_time` on MySQL, which only stops
 * SELECTs, `max_statement_time` on MariaDB) and a watchdog that stops anything else that overruns.
 * Cancelling sends `KILL QUERY <connection id>` from a second connection. Which server it is comes
 * from `SELECT VERSION()` on the first connection.
 */
import { createConnection, createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { stripTrailingSemicolon, type Connector, type ExplainOptions, type QueryResult, type RawPlan, type StatementOptions } from './connector';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from './database-errors';
import { mysqlJsonPlan, type MysqlPlanContext } from './mysql-plan';
import { mysqlTreePlan } from './mysql-tree-plan';
import { toQuestionPlaceholders } from './placeholders';
import { statementParameters } from './query-parameters';
import { redactUrl } from './redact-url';

export interface MysqlConnectorOptions {
  url: string;
  /** Default statement timeout. */
  timeoutMs: number;
  /** Connections at most (a benchmark's concurrency needs as many). */
  maxConnections?: number;
}

export interface MysqlServer {
  flavour: 'mysql' | 'mariadb';
  /** `8.0.36`, `10.11.6`. */
  version: string;
}

/** A statement in flight: the connection serving it, and why it was stopped, if it was. */
interface InFlight {
  threadId: number;
  cancelled: boolean;
  timedOut: boolean;
}

const ER_QUERY_INTERRUPTED = 1317;
const ER_QUERY_TIMEOUT = 3024; // MySQL: max_execution_time exceeded
const ER_STATEMENT_TIMEOUT = 1969; // MariaDB: max_statement_time exceeded
const ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION = 1792;
const ER_NO_SUCH_THREAD = 1094;
/** How long past the server's own timeout the watchdog waits before it stops a statement itself. */
const WATCHDOG_GRACE_MS = 500;

/**
 * Statements that commit the transaction they run in (DDL, LOCK TABLES…) or end it: they could not
 * be rolled back, so a user's statement of this kind is refused. PerfLens's own set-up scripts
 * (`execScript`) are not checked.
 */
const NOT_IN_A_TRANSACTION = /^(CREATE|ALTER|DROP|RENAME|TRUNCATE|GRANT|REVOKE|LOCK|UNLOCK|BEGIN|START|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|XA|SET|USE|FLUSH|OPTIMIZE|REPAIR|ANALYZE\s+(?:NO_WRITE_TO_BINLOG\s+|LOCAL\s+)?TABLE|LOAD|INSTALL|UNINSTALL|KILL|SHUTDOWN|RESET|PURGE|CHANGE|CACHE|HANDLER|CALL)\b/i;

export function isMysqlUrl(url: string): boolean {
  return /^(mysql|mariadb):\/\//i.test(url);
}

/** `mysql://…`: mysql2 reads host, port, user, password and database from the URL. */
function connectionUri(url: string): string {
  return url.replace(/^mariadb:/i, 'mysql:');
}

export class MysqlConnector implements Connector {
  readonly kind = 'mysql';
  /** MySQL has no `random()`: parameter sampling orders by this. */
  readonly randomFunction = 'RAND()';
  readonly maxConcurrency: number;
  private readonly pool: Pool;
  private readonly inFlight = new Set<InFlight>();
  private serverInfo?: Promise<MysqlServer>;
  private known?: MysqlServer;

  constructor(private readonly options: MysqlConnectorOptions) {
    this.maxConcurrency = options.maxConnections ?? 10;
    this.pool = createPool({ uri: connectionUri(options.url), connectionLimit: this.maxConcurrency, idleTimeout: 30_000, maxIdle: 2, dateStrings: true, supportBigNumbers: true, bigNumberStrings: false });
    // An idle connection the server closes emits here; without a listener that would crash the process.
    (this.pool as unknown as { pool: { on(e: string, f: () => void): void } }).pool.on('error', () => {});
  }

  /** Names the server once it is known: `MariaDB at mysql://app:***@db/shop`. */
  get description(): string {
    const name = this.known?.flavour === 'mariadb' ? 'MariaDB' : 'MySQL';
    return `${name} at ${redactUrl(this.options.url)}`;
  }

  /** The server's flavour and version, from `SELECT VERSION()` (asked once). */
  server(): Promise<MysqlServer> {
    if (!this.serverInfo) {
      this.serverInfo = (async () => {
        const connection = await this.connect();
        try {
          const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS v');
          this.known = parseVersion(String(rows[0]?.v ?? ''));
          return this.known;
        } finally {
          connection.release();
        }
      })();
      this.serverInfo.catch(() => (this.serverInfo = undefined));
    }
    return this.serverInfo;
  }

  async run(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    refuseUnrollable(sql);
    return this.transaction(options, !options.allowWrites || !!options.rollback, async (connection) => {
      const bound = toQuestionPlaceholders(sql, options.params ?? []);
      const [result] = await connection.query(bound.sql, bound.params);
      if (Array.isArray(result)) return { rows: (result as RowDataPacket[]).map((r) => ({ ...r })), rowCount: result.length };
      return { rows: [], rowCount: (result as { affectedRows?: number }).affectedRows ?? 0 };
    });
  }

  async explain(sql: string, options: ExplainOptions = {}): Promise<RawPlan> {
    // PerfLens's own set-up statements are CREATE INDEX and friends, which MySQL commits on the spot.
    if (options.setup?.length) throw new Error(`Trying an index is not supported on ${this.description}: MySQL commits DDL at once, so it cannot be rolled back.`);
    refuseUnrollable(sql);
    const server = await this.server();
    const ctx = planContext(sql);
    const analyze = !!options.analyze;
    if (analyze && server.flavour === 'mysql' && !atLeast(server.version, [8, 0, 18])) {
      throw new Error(`EXPLAIN ANALYZE needs MySQL 8.0.18 or later; ${this.description} runs ${server.version}. Explain without analyze for the estimated plan.`);
    }
    const prefix = !analyze ? 'EXPLAIN FORMAT=JSON' : server.flavour === 'mariadb' ? 'ANALYZE FORMAT=JSON' : 'EXPLAIN ANALYZE';
    // Always rolled back: ANALYZE executes the statement, writes included.
    return this.transaction(options, true, async (connection) => {
      const bound = toQuestionPlaceholders(stripTrailingSemicolon(sql), options.params ?? []);
      const [rows] = await connection.query<RowDataPacket[]>(`${prefix} ${bound.sql}`, bound.params);
      const cell = firstCell(rows);
      if (typeof cell !== 'string') throw new Error('EXPLAIN returned no plan');
      return analyze && server.flavour === 'mysql' ? mysqlTreePlan(cell, ctx) : mysqlJsonPlan(cell, ctx);
    });
  }

  /** MySQL infers no parameter types; parameters get sampled values or defaults. */
  async describeParams(): Promise<string[]> {
    return [];
  }

  /** Rows per table from information_schema (InnoDB's estimate), for plan warnings. */
  async relationRows(names: readonly string[], options: { timeoutMs?: number } = {}): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    if (names.length === 0) return sizes;
    const server = await this.server();
    // MySQL 8 caches these statistics for a day unless told otherwise.
    if (server.flavour === 'mysql' && atLeast(server.version, [8, 0, 3])) await this.transaction(options, true, (c) => c.query('SET SESSION information_schema_stats_expiry = 0'));
    const result = await this.run('SELECT TABLE_NAME AS name, TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ($1)', {
      params: [[...names]],
      timeoutMs: options.timeoutMs,
    }).catch(() => ({ rows: [] as Array<Record<string, unknown>> }));
    for (const row of result.rows) if (row.n !== null && row.n !== undefined) sizes.set(String(row.name), Number(row.n));
    return sizes;
  }

  async execScript(sql: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const server = await this.server();
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    // A connection of its own: a script is several statements, which the pool's connections refuse.
    const connection = await this.connectWith({ multipleStatements: true });
    const entry: InFlight = { threadId: connection.threadId, cancelled: false, timedOut: false };
    this.inFlight.add(entry);
    const watchdog = this.watchdog(entry, timeoutMs);
    try {
      await connection.query(timeoutStatement(server, timeoutMs));
      await connection.query(sql);
    } catch (e) {
      throw translate(e, entry, timeoutMs);
    } finally {
      clearTimeout(watchdog);
      this.inFlight.delete(entry);
      await connection.end().catch(() => {});
    }
  }

  async cancel(): Promise<void> {
    const entries = [...this.inFlight];
    if (entries.length === 0) return;
    for (const e of entries) e.cancelled = true;
    await this.kill(entries);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** `KILL QUERY` for each, from a separate connection: the busy ones cannot take another statement. */
  private async kill(entries: InFlight[]): Promise<void> {
    let connection;
    try {
      connection = await this.connectWith({});
      for (const e of entries) {
        await connection.query(`KILL QUERY ${Number(e.threadId)}`).catch((err: { errno?: number }) => {
          // The statement ended (and its connection with it) before the KILL arrived.
          if (err.errno !== ER_NO_SUCH_THREAD) throw err;
        });
      }
    } catch (e) {
      throw new Error(`Could not cancel on ${this.description}: ${redactUrl((e as Error).message)}`);
    } finally {
      await connection?.end().catch(() => {});
    }
  }

  /** Stops a statement the server's timeout does not cover (MySQL's only covers SELECT). */
  private watchdog(entry: InFlight, timeoutMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      entry.timedOut = true;
      this.kill([entry]).catch(() => {});
    }, timeoutMs + WATCHDOG_GRACE_MS);
    timer.unref();
    return timer;
  }

  private async connect(): Promise<PoolConnection> {
    try {
      const connection = await this.pool.getConnection();
      // A connection the server drops while it is checked out emits 'error'; without a listener that
      // is an uncaught exception that would take the language server down. The statement rejects on its own.
      const raw = (connection as unknown as { connection: { listenerCount(e: string): number; on(e: string, f: () => void): void } }).connection;
      if (raw.listenerCount('error') === 0) raw.on('error', () => {});
      return connection;
    } catch (e) {
      throw new Error(`Could not connect to ${this.description}: ${redactUrl((e as Error).message)}`);
    }
  }

  private async connectWith(extra: { multipleStatements?: boolean }) {
    try {
      const connection = await createConnection({ uri: connectionUri(this.options.url), dateStrings: true, ...extra });
      connection.on('error', () => {});
      return connection;
    } catch (e) {
      throw new Error(`Could not connect to ${this.description}: ${redactUrl((e as Error).message)}`);
    }
  }

  private async transaction<T>(options: StatementOptions, rollback: boolean, body: (connection: PoolConnection) => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const server = await this.server();
    const connection = await this.connect();
    const entry: InFlight = { threadId: connection.threadId, cancelled: false, timedOut: false };
    this.inFlight.add(entry);
    const watchdog = this.watchdog(entry, timeoutMs);
    let broken = false;
    try {
      await connection.query(timeoutStatement(server, timeoutMs));
      // The session too: a statement that commits implicitly would otherwise run outside the read-only transaction.
      await connection.query(options.allowWrites ? 'SET SESSION TRANSACTION READ WRITE' : 'SET SESSION TRANSACTION READ ONLY');
      await connection.query(options.allowWrites ? 'START TRANSACTION READ WRITE' : 'START TRANSACTION READ ONLY');
      // A cancel that arrived between statements found nothing running to stop.
      if (entry.cancelled) throw new QueryCancelledError();
      const result = await body(connection);
      // A killed SLEEP() returns 1 instead of failing: what was asked for decides.
      if (entry.cancelled) throw new QueryCancelledError();
      if (entry.timedOut) throw new QueryTimeoutError(timeoutMs);
      await connection.query(rollback ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (e) {
      await connection.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw translate(e, entry, timeoutMs);
    } finally {
      clearTimeout(watchdog);
      this.inFlight.delete(entry);
      if (broken) connection.destroy();
      else connection.release();
    }
  }
}

export function parseVersion(version: string): MysqlServer {
  return { flavour: /mariadb/i.test(version) ? 'mariadb' : 'mysql', version: /^\d+(\.\d+)*/.exec(version)?.[0] ?? version };
}

function atLeast(version: string, wanted: number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < wanted.length; i++) {
    const p = parts[i] ?? 0;
    if (p !== wanted[i]) return p > wanted[i];
  }
  return true;
}

/** MySQL counts milliseconds (and stops only SELECTs); MariaDB counts seconds, fractions allowed. */
export function timeoutStatement(server: MysqlServer, timeoutMs: number): string {
  const ms = Math.max(1, Math.round(timeoutMs));
  if (server.flavour === 'mariadb') return `SET SESSION max_statement_time = ${ms / 1000}`;
  // Before 5.7.8 there is no server-side timeout: the watchdog alone stops an overrun.
  return atLeast(server.version, [5, 7, 8]) ? `SET SESSION max_execution_time = ${ms}` : 'DO 0';
}

function refuseUnrollable(sql: string): void {
  const first = sql.replace(/^(\s+|--[^\n]*\n?|#[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  const m = NOT_IN_A_TRANSACTION.exec(first);
  if (m) throw new ReadOnlyError(`${m[1].toUpperCase()} cannot run inside a transaction that is rolled back, so PerfLens does not run it on MySQL`);
}

function planContext(sql: string): MysqlPlanContext {
  const aliases = new Map<string, string>();
  const unquote = (name: string): string => name.replace(/^[`"]|[`"]$/g, '');
  for (const t of statementParameters(sql).tables) if (t.alias) aliases.set(unquote(t.alias), unquote(t.text.split('.').pop()!));
  return { aliases };
}

function firstCell(rows: RowDataPacket[]): unknown {
  const row = rows[0];
  if (!row) return undefined;
  return Object.values(row)[0];
}

function translate(e: unknown, entry: InFlight, timeoutMs: number): Error {
  if (e instanceof QueryCancelledError || e instanceof QueryTimeoutError || e instanceof ReadOnlyError) return e;
  const err = e as Error & { errno?: number };
  if (err.errno === ER_QUERY_TIMEOUT || err.errno === ER_STATEMENT_TIMEOUT) return new QueryTimeoutError(timeoutMs);
  // A KILL QUERY (ours) fails the statement, or drops its connection if it was between packets.
  if (entry.cancelled) return new QueryCancelledError();
  if (entry.timedOut) return new QueryTimeoutError(timeoutMs);
  if (err.errno === ER_QUERY_INTERRUPTED) return new QueryCancelledError('by someone else');
  if (err.errno === ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION) return new ReadOnlyError(err.message);
  if (err instanceof Error) {
    err.message = redactUrl(err.message);
    return err;
  }
  return new Error(String(e));
}

/**
 * PostgreSQL through node-postgres. Each statement gets a pooled connection and its own
 * transaction (`BEGIN READ ONLY` unless writes are allowed, `SET LOCAL statement_timeout`), and
 * cancelling asks the server, from a second connection, to cancel the backends that are busy.
 */
import { Client, Pool, type PoolClient } from 'pg';
import { describeStatements, explainStatement, planFromExplainRows, type Connector, type ExplainOptions, type QueryResult, type RawPlan, type StatementOptions } from './connector';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from './database-errors';
import { redactUrl } from './redact-url';

export interface PgConnectorOptions {
  url: string;
  /** Default statement timeout. */
  timeoutMs: number;
  /** Connections at most (a benchmark's concurrency needs as many). */
  maxConnections?: number;
}

/** A statement in flight: the backend serving it, and whether `cancel` was asked for it. */
interface InFlight {
  pid: number;
  cancelled: boolean;
}

const QUERY_CANCELED = '57014';
const READ_ONLY_SQL_TRANSACTION = '25006';

export class PgConnector implements Connector {
  readonly kind = 'postgres';
  readonly description: string;
  readonly maxConcurrency: number;
  private readonly pool: Pool;
  private readonly inFlight = new Set<InFlight>();

  constructor(private readonly options: PgConnectorOptions) {
    this.description = `PostgreSQL at ${redactUrl(options.url)}`;
    this.maxConcurrency = options.maxConnections ?? 10;
    this.pool = new Pool({ connectionString: options.url, max: this.maxConcurrency, idleTimeoutMillis: 30_000 });
    // An idle connection the server closes emits here; without a listener that would crash the process.
    this.pool.on('error', () => {});
  }

  run(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    return this.transaction(options, !options.allowWrites || !!options.rollback, async (client) => {
      const result = await client.query({ text: sql, values: options.params ?? [] });
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    });
  }

  explain(sql: string, options: ExplainOptions = {}): Promise<RawPlan> {
    // Always rolled back: EXPLAIN ANALYZE executes the statement, writes included.
    const setup = options.setup ?? [];
    // Set-up statements need a writable transaction; the user's statement is read-only after them.
    return this.transaction({ ...options, allowWrites: options.allowWrites || setup.length > 0 }, true, async (client) => {
      for (const statement of setup) await client.query(statement);
      if (setup.length && !options.allowWrites) await client.query('SET TRANSACTION READ ONLY');
      const result = await client.query({ text: explainStatement(sql, !!options.analyze), values: options.params ?? [] });
      return planFromExplainRows(result.rows);
    });
  }

  describeParams(sql: string, options: { timeoutMs?: number } = {}): Promise<string[]> {
    return this.transaction(options, true, async (client) => {
      const statements = describeStatements(sql);
      await client.query(statements.prepare);
      const result = await client.query(statements.select);
      await client.query(statements.deallocate);
      return (result.rows[0]?.types as string[] | undefined) ?? [];
    });
  }

  async execScript(sql: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const client = await this.connect();
    const entry: InFlight = { pid: processId(client), cancelled: false };
    this.inFlight.add(entry);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    try {
      await client.query(`SET statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      await client.query(sql);
      await client.query('RESET statement_timeout');
      client.release();
    } catch (e) {
      client.release(true);
      throw translate(e, entry, timeoutMs);
    } finally {
      this.inFlight.delete(entry);
    }
  }

  async cancel(): Promise<void> {
    const entries = [...this.inFlight];
    if (entries.length === 0) return;
    for (const e of entries) e.cancelled = true;
    // A separate connection: the busy ones cannot take another statement until theirs ends.
    const client = new Client({ connectionString: this.options.url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [entries.map((e) => e.pid)]);
    } catch (e) {
      throw new Error(`Could not cancel on ${this.description}: ${(e as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async connect(): Promise<PoolClient> {
    try {
      const client = await this.pool.connect();
      // A connection the server drops while it is checked out (a terminated backend, a failover)
      // emits 'error' on the client; without a listener that is an uncaught exception that would
      // take the language server down. The statement in flight rejects on its own.
      if (client.listenerCount('error') === 0) client.on('error', () => {});
      return client;
    } catch (e) {
      throw new Error(`Could not connect to ${this.description}: ${redactUrl((e as Error).message)}`);
    }
  }

  private async transaction<T>(options: StatementOptions, rollback: boolean, body: (client: PoolClient) => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const client = await this.connect();
    const entry: InFlight = { pid: processId(client), cancelled: false };
    this.inFlight.add(entry);
    let broken = false;
    try {
      await client.query(options.allowWrites ? 'BEGIN' : 'BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      // A cancel that arrived between statements found nothing running to cancel.
      if (entry.cancelled) throw new QueryCancelledError();
      const result = await body(client);
      if (entry.cancelled) throw new QueryCancelledError();
      await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw translate(e, entry, timeoutMs);
    } finally {
      this.inFlight.delete(entry);
      client.release(broken);
    }
  }
}

function processId(client: PoolClient): number {
  // node-postgres keeps the backend's pid from the start-up handshake; its typings leave it out.
  return (client as unknown as { processID: number }).processID;
}

function translate(e: unknown, entry: InFlight, timeoutMs: number): Error {
  if (e instanceof QueryCancelledError) return e;
  const err = e as Error & { code?: string };
  if (err.code === QUERY_CANCELED) return entry.cancelled ? new QueryCancelledError() : new QueryTimeoutError(timeoutMs);
  if (err.code === READ_ONLY_SQL_TRANSACTION) return new ReadOnlyError(err.message);
  return err instanceof Error ? err : new Error(String(e));
}

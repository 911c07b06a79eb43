/**
 * SQLite through sql.js (WASM, no native module), for `sqlite:path/to/file.db` URLs. The file is
 * read into memory in a worker thread and never written back; statements run read-only
 * (`PRAGMA query_only`) unless writes are allowed, each in a transaction, and EXPLAIN is SQLite's
 * `EXPLAIN QUERY PLAN`. sql.js cannot interrupt a statement, so a timeout or a cancel terminates
 * the worker; the next statement starts a new one from the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Connector, ExplainOptions, QueryResult, RawPlan, StatementOptions } from './connector';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from './database-errors';
import { statementParameters } from './query-parameters';
import { sqlitePlan, type SqlitePlanRow } from './sqlite-plan';
import type { SqliteHostData, SqliteReply, SqliteRequest } from './sqlite-protocol';

export interface SqliteConnectorOptions {
  /** `sqlite:relative/or/absolute.db` (also `sqlite://…`, `file:…`). */
  url: string;
  /** Relative paths are relative to this folder (the workspace). */
  root: string;
  timeoutMs: number;
  /** The worker entry; by default `sqlite-host.js` beside this module (the bundle, or tsc's output). */
  hostScript?: string;
}

type Request = SqliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Ok = Extract<SqliteReply, { ok: true }>;

interface Pending {
  resolve(reply: Ok): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface Host {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

/** The file a `sqlite:` URL names, resolved against the workspace. */
export function sqliteFile(url: string, root: string): string {
  const rest = url.replace(/^(sqlite3?|file):/i, '').replace(/^\/\/(?=\/)/, '').replace(/^\/\/(?!\/)/, '').replace(/\?.*$/, '');
  return path.resolve(root, decodeURIComponent(rest));
}

export function isSqliteUrl(url: string): boolean {
  return /^(sqlite3?|file):/i.test(url);
}

export class SqliteConnector implements Connector {
  readonly kind = 'sqlite';
  readonly description: string;
  readonly maxConcurrency = 1;
  private readonly file: string;
  private host?: Host;
  private nextId = 1;
  private tableRowsCache?: Map<string, number>;

  constructor(private readonly options: SqliteConnectorOptions) {
    this.file = sqliteFile(options.url, options.root);
    this.description = `SQLite at ${path.relative(options.root, this.file) || this.file}`;
  }

  async run(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    const reply = await this.request(
      { type: 'query', sql, params: options.params ?? [], readOnly: !options.allowWrites, rollback: !options.allowWrites || !!options.rollback },
      options.timeoutMs,
    );
    if (options.allowWrites && !options.rollback) this.tableRowsCache = undefined;
    return { rows: reply.rows, rowCount: reply.rowCount };
  }

  async explain(sql: string, options: ExplainOptions = {}): Promise<RawPlan> {
    const params = options.params ?? [];
    const plan = await this.request({ type: 'plan', sql, params }, options.timeoutMs);
    const rows = plan.rows.map((r) => ({ id: Number(r.id), parent: Number(r.parent), detail: String(r.detail) })) as SqlitePlanRow[];
    const aliases = new Map<string, string>();
    for (const t of statementParameters(sql).tables) if (t.alias) aliases.set(unquote(t.alias), unquote(t.text.split('.').pop()!));
    const tableRows = await this.tableRows(options.timeoutMs);
    let actual: { rows: number; ms: number } | undefined;
    if (options.analyze) {
      // SQLite has no EXPLAIN ANALYZE: the statement runs once, timed, and is rolled back.
      const run = await this.request({ type: 'query', sql, params, readOnly: !options.allowWrites, rollback: true, timed: true }, options.timeoutMs);
      actual = { rows: run.rowCount, ms: run.ms ?? 0 };
    }
    return sqlitePlan(rows, { aliases, tableRows, actual });
  }

  /** Rows per table, for plan warnings: counted once per worker (the data only changes by an allowed, committed write). */
  async relationRows(names: readonly string[], options: { timeoutMs?: number } = {}): Promise<Map<string, number>> {
    const all = await this.tableRows(options.timeoutMs);
    return new Map(names.filter((n) => all.has(n)).map((n) => [n, all.get(n)!]));
  }

  /** SQLite infers no parameter types; parameters get sampled values or defaults. */
  async describeParams(): Promise<string[]> {
    return [];
  }

  async execScript(sql: string, options: { timeoutMs?: number } = {}): Promise<void> {
    await this.request({ type: 'script', sql }, options.timeoutMs);
    this.tableRowsCache = undefined;
  }

  async cancel(): Promise<void> {
    const host = this.host;
    if (!host || host.pending.size === 0) return;
    this.stop(host, () => new QueryCancelledError('the SQLite worker was stopped'));
  }

  async close(): Promise<void> {
    const host = this.host;
    if (host) this.stop(host, () => new Error('The SQLite connector is closed.'));
  }

  private async tableRows(timeoutMs?: number): Promise<Map<string, number>> {
    if (this.tableRowsCache) return this.tableRowsCache;
    const tables = await this.request(
      { type: 'query', sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", params: [], readOnly: true, rollback: true },
      timeoutMs,
    );
    const counts = new Map<string, number>();
    if (tables.rows.length) {
      const union = tables.rows.map((r) => `SELECT ${quote(String(r.name))} AS name, count(*) AS n FROM ${ident(String(r.name))}`).join(' UNION ALL ');
      const result = await this.request({ type: 'query', sql: union, params: [], readOnly: true, rollback: true }, timeoutMs);
      for (const r of result.rows) counts.set(String(r.name), Number(r.n));
    }
    this.tableRowsCache = counts;
    return counts;
  }

  private request(request: Request, timeoutMs = this.options.timeoutMs): Promise<Ok> {
    const host = this.ensureHost();
    const id = this.nextId++;
    return new Promise<Ok>((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      host.pending.set(id, pending);
      host.worker.ref();
      host.ready.then(
        () => {
          if (host.pending.get(id) !== pending) return;
          // The timeout counts from the send: opening the file is not the statement's time.
          pending.timer = setTimeout(() => {
            this.stop(host, (other) => (other === id ? new QueryTimeoutError(timeoutMs, 'the SQLite worker was stopped') : new Error('The SQLite worker was stopped because another statement timed out.')));
          }, timeoutMs);
          host.worker.postMessage({ ...request, id } as SqliteRequest);
        },
        (e: Error) => {
          host.pending.delete(id);
          reject(e);
        },
      );
    });
  }

  private ensureHost(): Host {
    if (this.host) return this.host;
    const script = this.options.hostScript ?? path.join(__dirname, 'sqlite-host.js');
    const beside = path.join(path.dirname(script), 'sql-wasm.wasm');
    const wasm = fs.existsSync(beside) ? beside : require.resolve('sql.js/dist/sql-wasm.wasm');
    const data: SqliteHostData = { file: this.file, wasm };
    const worker = new Worker(script, { workerData: data });
    const host: Host = { worker, pending: new Map(), ready: Promise.resolve() };
    host.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: SqliteReply) => {
        if ('type' in reply) {
          if (reply.type === 'ready') resolve();
          else {
            reject(new Error(`Could not open ${this.description}: ${reply.message}`));
            // The next statement tries the file again (it may exist by then).
            if (this.host === host) this.host = undefined;
            void worker.terminate();
          }
          return;
        }
        const pending = host.pending.get(reply.id);
        if (!pending) return;
        host.pending.delete(reply.id);
        clearTimeout(pending.timer);
        if (host.pending.size === 0) worker.unref();
        if (reply.ok) pending.resolve(reply);
        else pending.reject(reply.code === 'SQLITE_READONLY' ? new ReadOnlyError(reply.message) : Object.assign(new Error(reply.message), { code: reply.code }));
      });
      const fail = (why: string): void => {
        reject(new Error(why));
        for (const p of host.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(why));
        }
        host.pending.clear();
        if (this.host === host) this.host = undefined;
      };
      worker.on('error', (e) => fail(`The SQLite worker failed: ${e.message}`));
      worker.on('exit', (code) => fail(`The SQLite worker stopped (exit code ${code})`));
    });
    host.ready.catch(() => {});
    // A worker waiting for statements must not keep the CLI (or a test run) alive; one with work must.
    worker.unref();
    this.host = host;
    return host;
  }

  /** Terminates the worker now; every pending request rejects with the error `errorFor(id)` gives. */
  private stop(host: Host, errorFor: (id: number) => Error): void {
    for (const [id, p] of host.pending) {
      clearTimeout(p.timer);
      p.reject(errorFor(id));
    }
    host.pending.clear();
    if (this.host === host) this.host = undefined;
    this.tableRowsCache = undefined;
    void host.worker.terminate();
  }
}

function unquote(name: string): string {
  return name.replace(/^["`[]|["`\]]$/g, '');
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

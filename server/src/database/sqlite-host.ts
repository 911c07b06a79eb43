/**
 * Worker thread that holds a SQLite database through sql.js (SQLite compiled to WASM): the file is
 * read once into memory and never written back, so even an allowed write only changes this copy. A
 * statement blocks the thread it runs on and sql.js cannot interrupt it, so it runs here and not in
 * the language server: the connector terminates the worker to enforce a timeout or to cancel.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import initSqlJs, { type BindParams, type Database, type SqlValue } from 'sql.js';
import type { SqliteHostData, SqliteReply, SqliteRequest } from './sqlite-protocol';

const data = workerData as SqliteHostData;

function send(reply: SqliteReply): void {
  parentPort?.postMessage(reply);
}

/** `$1 … $n` (the PostgreSQL style PerfLens fills) bind by name; `?` placeholders by position. */
function bindParams(sql: string, params: unknown[]): BindParams {
  const values = params.map(toSqlValue);
  if (!/\$\d/.test(sql)) return values;
  return Object.fromEntries(values.map((v, i) => [`$${i + 1}`, v]));
}

function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array) return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function all(db: Database, sql: string, params: unknown[]): Array<Record<string, unknown>> {
  const stmt = db.prepare(sql);
  try {
    if (params.length) stmt.bind(bindParams(sql, params));
    const rows: Array<Record<string, unknown>> = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    return rows;
  } finally {
    stmt.free();
  }
}

function handle(db: Database, request: SqliteRequest): SqliteReply {
  switch (request.type) {
    case 'query': {
      db.run(`PRAGMA query_only = ${request.readOnly ? 1 : 0}`);
      db.run('BEGIN');
      try {
        const t0 = performance.now();
        const rows = all(db, request.sql, request.params);
        const ms = performance.now() - t0;
        const changed = db.getRowsModified();
        db.run(request.rollback ? 'ROLLBACK' : 'COMMIT');
        return { id: request.id, ok: true, rows, rowCount: changed || rows.length, ...(request.timed ? { ms } : {}) };
      } catch (e) {
        try {
          db.run('ROLLBACK');
        } catch {
          // The statement's error ended the transaction already.
        }
        throw e;
      } finally {
        db.run('PRAGMA query_only = 1');
      }
    }
    case 'plan': {
      const rows = all(db, `EXPLAIN QUERY PLAN ${request.sql}`, request.params);
      return { id: request.id, ok: true, rows, rowCount: rows.length };
    }
    case 'script':
      db.exec(request.sql);
      return { id: request.id, ok: true, rows: [], rowCount: 0 };
  }
}

async function main(): Promise<void> {
  let db: Database;
  try {
    const SQL = await initSqlJs({ locateFile: () => data.wasm });
    db = new SQL.Database(new Uint8Array(fs.readFileSync(data.file)));
    // Fails here, not on the first query, when the file is not a SQLite database.
    db.exec('SELECT count(*) FROM sqlite_schema');
    db.run('PRAGMA query_only = 1');
  } catch (e) {
    send({ type: 'failed', message: (e as Error).message });
    return;
  }
  parentPort?.on('message', (request: SqliteRequest) => {
    try {
      send(handle(db, request));
    } catch (e) {
      const message = (e as Error).message;
      send({ id: request.id, ok: false, message, code: /readonly/i.test(message) ? 'SQLITE_READONLY' : undefined });
    }
  });
  send({ type: 'ready' });
}

void main();

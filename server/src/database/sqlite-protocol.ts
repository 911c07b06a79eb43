/** Messages between the SQLite connector and its worker thread (sqlite-host). */

export interface SqliteHostData {
  /** The database file, read once into memory; never written. */
  file: string;
  /** sql.js's WASM build. */
  wasm: string;
}

export type SqliteRequest =
  | { id: number; type: 'query'; sql: string; params: unknown[]; readOnly: boolean; rollback: boolean; timed?: boolean }
  | { id: number; type: 'plan'; sql: string; params: unknown[] }
  | { id: number; type: 'script'; sql: string };

export type SqliteReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { id: number; ok: true; rows: Array<Record<string, unknown>>; rowCount: number; ms?: number }
  | { id: number; ok: false; message: string; code?: string };

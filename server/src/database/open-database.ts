/**
 * Picks and opens the database for EXPLAIN and benchmarks: PostgreSQL when a `postgres://` URL is
 * configured, MySQL or MariaDB for `mysql://` (or `mariadb://`), SQLite (a read-only in-memory copy of the file) for `sqlite:path/to/file.db`, the
 * embedded PGlite database built from the workspace otherwise.
 */
import type { Connector } from './connector';
import { embeddedSchema, openEmbeddedDatabase, type EmbeddedSchema } from './embedded-database';
import { isMysqlUrl, MysqlConnector } from './mysql-connector';
import { PgConnector } from './pg-connector';
import { redactUrl } from './redact-url';
import { isSqliteUrl, SqliteConnector } from './sqlite-connector';

export interface DatabaseSettings {
  /** Connection URL; empty or absent: the embedded database. */
  url?: string;
  /** Workspace whose schema the embedded database loads. */
  root: string;
  /** Where embedded databases are cached. */
  cacheDir: string;
  dataSize: number;
  timeoutMs: number;
  /** Connections for PostgreSQL and MySQL (a benchmark's concurrency). */
  maxConnections?: number;
  idleMs?: number;
  onProgress?: (message: string) => void;
  isCancelled?: () => boolean;
  log?: (message: string) => void;
}

export interface OpenedDatabase {
  connector: Connector;
  /** Things the user should know: statements the embedded database rejected, tables left empty. */
  notes: string[];
  /** The embedded database: the key of the workspace schema it holds (`embeddedSchemaOf`). */
  schemaKey?: string;
  /** The embedded database: marks it used now (the shared cache keeps the ones used last). */
  touch?(): void;
  /** The embedded database: false once its folder is gone from the cache (another window evicted it). */
  available?(): boolean;
}

export class UnsupportedDatabaseError extends Error {}

/** The workspace's schema as the embedded database would load it, and its key. */
export function embeddedSchemaOf(settings: DatabaseSettings): Promise<EmbeddedSchema> {
  return embeddedSchema({ root: settings.root, dataSize: settings.dataSize, isCancelled: settings.isCancelled });
}

/** Opens the database the settings name (`schema`: the embedded database's, read already). */
export async function openDatabase(settings: DatabaseSettings, schema?: EmbeddedSchema): Promise<OpenedDatabase> {
  const url = settings.url?.trim();
  if (url) {
    if (/^postgres(ql)?:\/\//i.test(url)) return { connector: new PgConnector({ url, timeoutMs: settings.timeoutMs, maxConnections: settings.maxConnections }), notes: [] };
    if (isMysqlUrl(url)) return { connector: new MysqlConnector({ url, timeoutMs: settings.timeoutMs, maxConnections: settings.maxConnections }), notes: [] };
    if (isSqliteUrl(url)) return { connector: new SqliteConnector({ url, root: settings.root, timeoutMs: settings.timeoutMs }), notes: [] };
    throw new UnsupportedDatabaseError(`${redactUrl(url)}: only PostgreSQL (postgres://…), MySQL or MariaDB (mysql://…) and SQLite (sqlite:path/to/file.db) URLs are supported; leave the URL empty for the embedded database.`);
  }
  const embedded = await openEmbeddedDatabase({
    root: settings.root,
    cacheDir: settings.cacheDir,
    dataSize: settings.dataSize,
    timeoutMs: settings.timeoutMs,
    idleMs: settings.idleMs,
    onProgress: settings.onProgress,
    isCancelled: settings.isCancelled,
    log: settings.log,
  }, schema);
  return { connector: embedded.connector, notes: embedded.warnings, schemaKey: embedded.schemaKey, touch: embedded.touch, available: embedded.available };
}

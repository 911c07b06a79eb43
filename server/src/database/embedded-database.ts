/**
 * The default database: PGlite with the workspace's schema and generated data, cached on disk under
 * a folder the caller owns (VS Code's global storage, a temp folder for the CLI). The cache key
 * hashes the schema and the data size, so a changed schema builds a new database and an unchanged
 * one opens in about a second. A database is built in a temporary folder and renamed into place
 * when complete, so a half-built one (a crash, two builders at once) is never opened.
 *
 * A schema that differs from a cached one only in its plain (not unique) indexes (a migration that
 * adds one, as Suggest Index writes, or removes one) is made from a copy of that database with the
 * indexes created or dropped: a second or two instead of generating the data again, and the same tables
 * and rows. The cache keeps the few databases used last and removes the others.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateData, type GenerationProgress } from './data/data-generation';
import { PgliteConnector } from './pglite-connector';
import { withoutForeignKeys } from './schema/without-foreign-keys';
import { loadWorkspaceSchema, type SchemaStatement, type WorkspaceSchema } from './schema/workspace-schema';

/** Bump when generated data changes shape, so that old caches are rebuilt. */
const GENERATOR_VERSION = 2;
const READY_FILE = 'perflens-ready.json';
/** A blank data directory's archive that new databases start from (`PgliteConnectorOptions.templateFile`). */
const BLANK_TEMPLATE = 'blank-pgdata.tar.gz';
/** Databases kept in the cache folder besides the one just made (each is ~100 MB at the default size). */
const KEEP_DATABASES = 3;
/** A database used more recently than this is never removed: another window may have it open. */
const IN_USE_MS = 10 * 60_000;
/** A build folder older than this was left by a build that crashed. */
const STALE_BUILD_MS = 24 * 60 * 60_000;

export interface EmbeddedDatabaseOptions {
  root: string;
  cacheDir: string;
  dataSize: number;
  timeoutMs: number;
  rowCounts?: Record<string, number>;
  idleMs?: number;
  hostScript?: string;
  onProgress?: (message: string, progress?: GenerationProgress) => void;
  isCancelled?: () => boolean;
  log?: (message: string) => void;
}

export interface EmbeddedDatabase {
  connector: PgliteConnector;
  /** Whether this call built the database (false: opened from the cache). */
  built: boolean;
  /** Built from a copy of a cached database whose schema differed only in these indexes. */
  derived?: { created: number; dropped: number };
  /** The key of the schema and data it was built from (`embeddedSchema`). */
  schemaKey: string;
  /** Marks it used now: the cache keeps the databases used last, whichever window uses them. */
  touch(): void;
  /** False once its folder is gone (another window's cache eviction). */
  available(): boolean;
  dataDir: string;
  /** Files the schema came from. */
  schemaFiles: string[];
  /** Statements that failed and tables left empty. */
  warnings: string[];
  rows: Record<string, number>;
}

interface ReadyMarker {
  schemaFiles: string[];
  warnings: string[];
  rows: Record<string, number>;
  /** What the data was generated with (`dataKey`) and the statements run: what a derived database compares. */
  data?: string;
  ddl?: string[];
}

/** The workspace's schema and the key of the database built from it with these options. */
export interface EmbeddedSchema {
  schema: WorkspaceSchema;
  key: string;
}

export async function embeddedSchema(options: Pick<EmbeddedDatabaseOptions, 'root' | 'dataSize' | 'rowCounts' | 'isCancelled'>): Promise<EmbeddedSchema> {
  const schema = await loadWorkspaceSchema(options.root, { isCancelled: options.isCancelled });
  const key = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, ddl: schema.statements.map((s) => s.sql), dataSize: options.dataSize, rowCounts: options.rowCounts ?? {} }))
    .digest('hex')
    .slice(0, 16);
  return { schema, key };
}

/** The options that shape the generated data: databases with the same tables and this key hold the same rows. */
function dataKey(options: EmbeddedDatabaseOptions): string {
  return JSON.stringify({ v: GENERATOR_VERSION, dataSize: options.dataSize, rowCounts: options.rowCounts ?? {} });
}

/** Opens the database of the workspace's schema (`loaded`: read by the caller already), from the cache or built. */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions, loaded?: EmbeddedSchema): Promise<EmbeddedDatabase> {
  const { schema, key } = loaded ?? (await embeddedSchema(options));
  const dir = path.join(options.cacheDir, `db-${key}`);
  const connect = (dataDir: string, templateFile?: string): PgliteConnector =>
    new PgliteConnector({ dataDir, templateFile, timeoutMs: options.timeoutMs, idleMs: options.idleMs, hostScript: options.hostScript, log: options.log });
  const opened = (marker: ReadyMarker, built: boolean, derived?: EmbeddedDatabase['derived']): EmbeddedDatabase => {
    touch(dir);
    const { schemaFiles, warnings, rows } = marker;
    return {
      connector: connect(path.join(dir, 'pgdata')),
      built,
      derived,
      schemaKey: key,
      dataDir: path.join(dir, 'pgdata'),
      schemaFiles,
      warnings,
      rows,
      touch: () => touch(dir),
      available: () => fs.existsSync(path.join(dir, READY_FILE)),
    };
  };

  const cached = readMarker(dir);
  if (cached) return opened(cached, false);

  fs.mkdirSync(options.cacheDir, { recursive: true });
  const building = `${dir}.building-${process.pid}-${Date.now()}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const ddl = schema.statements.map((s) => s.sql);
  const base = closestIndexVariant(options.cacheDir, dataKey(options), ddl);
  let made: { marker: ReadyMarker; derived?: EmbeddedDatabase['derived'] } | undefined;
  if (base) {
    try {
      made = { marker: await deriveDatabase(base, building, schema, connect, options), derived: { created: base.create.length, dropped: base.drop.length } };
    } catch (e) {
      if (options.isCancelled?.()) {
        fs.rmSync(building, { recursive: true, force: true });
        throw e;
      }
      // A copy that does not start or take the indexes: build it whole.
      options.log?.(`database: the cached database with other indexes could not be reused (${(e as Error).message.split('\n')[0]}); building a new one`);
      fs.rmSync(building, { recursive: true, force: true });
      fs.mkdirSync(building, { recursive: true });
    }
  }
  made ??= { marker: await buildDatabase(building, schema, connect, options) };
  fs.writeFileSync(path.join(building, READY_FILE), JSON.stringify({ ...made.marker, data: dataKey(options), ddl }, null, 2));
  try {
    fs.renameSync(building, dir);
  } catch {
    // Another builder finished first: its copy is as good as this one.
    fs.rmSync(building, { recursive: true, force: true });
  }
  evictOldDatabases(options.cacheDir, dir, options.log);
  return opened(readMarker(dir) ?? made.marker, true, made.derived);
}

/** Runs the schema and generates the data, in `building` (removed when this fails). */
async function buildDatabase(building: string, schema: WorkspaceSchema, connect: (dataDir: string, templateFile?: string) => PgliteConnector, options: EmbeddedDatabaseOptions): Promise<ReadyMarker> {
  const builder = connect(path.join(building, 'pgdata'), path.join(options.cacheDir, BLANK_TEMPLATE));
  try {
    options.onProgress?.('Starting the embedded database');
    const warnings = await applySchema(builder, schema.statements, options);
    options.onProgress?.('Generating data');
    // The generator takes every foreign key from its parent's rows, so the row-by-row checks the
    // constraints' triggers make would only repeat it: without them the data loads ~2× faster.
    await builder.execScript('SET session_replication_role = replica');
    const generated = await generateData(builder, {
      dataSize: options.dataSize,
      rowCounts: options.rowCounts,
      isCancelled: options.isCancelled,
      timeoutMs: Math.max(options.timeoutMs, 300_000),
      onProgress: (p) => options.onProgress?.(`Generating ${p.table}: ${p.rows.toLocaleString('en-US')} of ${p.tableRows.toLocaleString('en-US')} rows`, p),
    });
    options.onProgress?.('Analyzing');
    await builder.execScript('RESET session_replication_role; ANALYZE; CHECKPOINT;', { timeoutMs: 300_000 });
    await builder.close();
    return { schemaFiles: schema.files, warnings: [...warnings, ...generated.warnings], rows: generated.rows };
  } catch (e) {
    await builder.close().catch(() => {});
    fs.rmSync(building, { recursive: true, force: true });
    throw e;
  }
}

/** A cached database whose schema differs from the wanted one only in indexes, and what turns it into that one. */
interface IndexVariant {
  dir: string;
  marker: ReadyMarker;
  /** Index statements to run, and the names of the indexes to drop. */
  create: string[];
  drop: string[];
}

/**
 * Plain indexes only: a unique index constrains the data (the generator reads unique indexes, and
 * generated rows may not satisfy a new one), so adding or dropping one builds the database anew.
 */
const INDEX_DDL = /^create\s+index\b/i;
const INDEX_NAME = /^create\s+index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+on\b/i;

/**
 * The cached database (same data options, same statements apart from `CREATE INDEX`) that needs
 * the fewest index changes, if any. An index to drop must be named in its statement.
 */
function closestIndexVariant(cacheDir: string, data: string, ddl: readonly string[]): IndexVariant | undefined {
  const wantedOther = ddl.filter((s) => !INDEX_DDL.test(s));
  let best: IndexVariant | undefined;
  for (const dir of cachedDatabases(cacheDir)) {
    const marker = readMarker(dir);
    if (!marker?.ddl || marker.data !== data) continue;
    const other = marker.ddl.filter((s) => !INDEX_DDL.test(s));
    if (other.length !== wantedOther.length || other.some((s, i) => s !== wantedOther[i])) continue;
    const had = marker.ddl.filter((s) => INDEX_DDL.test(s));
    const create = multisetMinus(ddl.filter((s) => INDEX_DDL.test(s)), had);
    const removed = multisetMinus(had, ddl.filter((s) => INDEX_DDL.test(s)));
    const drop = removed.map((s) => INDEX_NAME.exec(s)?.[1]);
    if (drop.some((n) => n === undefined)) continue;
    if (!best || create.length + drop.length < best.create.length + best.drop.length) best = { dir, marker, create, drop: drop as string[] };
  }
  return best;
}

function multisetMinus(from: readonly string[], take: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const s of take) left.set(s, (left.get(s) ?? 0) + 1);
  return from.filter((s) => {
    const n = left.get(s) ?? 0;
    if (n > 0) left.set(s, n - 1);
    return n === 0;
  });
}

/** Copies the variant's data into `building` and creates and drops indexes there. */
async function deriveDatabase(base: IndexVariant, building: string, schema: WorkspaceSchema, connect: (dataDir: string) => PgliteConnector, options: EmbeddedDatabaseOptions): Promise<ReadyMarker> {
  const change = [base.create.length && `creating ${base.create.length} index${base.create.length === 1 ? '' : 'es'}`, base.drop.length && `dropping ${base.drop.length}`].filter(Boolean).join(', ');
  options.onProgress?.(`The schema's indexes changed: ${change} on a copy of the cached database`);
  fs.cpSync(path.join(base.dir, 'pgdata'), path.join(building, 'pgdata'), { recursive: true });
  const builder = connect(path.join(building, 'pgdata'));
  try {
    const toCreate = [...base.create];
    const statements = [
      ...base.drop.map((name) => ({ sql: `DROP INDEX IF EXISTS ${name};`, source: '(a removed index)' })),
      ...schema.statements.filter((s) => {
        const at = toCreate.indexOf(s.sql);
        return at >= 0 && toCreate.splice(at, 1).length > 0;
      }),
    ];
    const failed = await applySchema(builder, statements, options);
    // A statement the copy rejects would leave it short of what a build makes: build instead.
    if (failed.length) throw new Error(failed[0]);
    options.onProgress?.('Analyzing');
    await builder.execScript('ANALYZE; CHECKPOINT;', { timeoutMs: 300_000 });
    await builder.close();
    return { schemaFiles: schema.files, warnings: base.marker.warnings, rows: base.marker.rows };
  } catch (e) {
    await builder.close().catch(() => {});
    throw e;
  }
}

function cachedDatabases(cacheDir: string): string[] {
  return safeReaddir(cacheDir).filter((n) => /^db-[0-9a-f]+$/.test(n)).map((n) => path.join(cacheDir, n));
}

/** Marks a database as used now: the cache keeps the ones used last. */
function touch(dir: string): void {
  const now = new Date();
  try {
    fs.utimesSync(path.join(dir, READY_FILE), now, now);
  } catch {
    // A read-only cache: it is only kept longer.
  }
}

/**
 * Removes the databases used longest ago beyond the few kept (never `current`, nor one used in the
 * last minutes), and build folders that crashed builds left.
 */
function evictOldDatabases(cacheDir: string, current: string, log?: (message: string) => void): void {
  const now = Date.now();
  const usedAt = (dir: string): number => {
    try {
      return fs.statSync(path.join(dir, READY_FILE)).mtimeMs;
    } catch {
      return 0;
    }
  };
  const others = cachedDatabases(cacheDir)
    .filter((d) => d !== current)
    .map((dir) => ({ dir, used: usedAt(dir) }))
    .sort((a, b) => b.used - a.used);
  for (const { dir, used } of others.slice(KEEP_DATABASES)) {
    if (now - used < IN_USE_MS) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    log?.(`database: removed ${path.basename(dir)}, an embedded database not used since ${new Date(used).toISOString()}`);
  }
  for (const name of safeReaddir(cacheDir)) {
    if (!/^db-[0-9a-f]+\.building-/.test(name)) continue;
    const dir = path.join(cacheDir, name);
    try {
      if (now - fs.statSync(dir).mtimeMs > STALE_BUILD_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone already.
    }
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Runs each statement on its own so that one the embedded database rejects (another dialect, an
 * extension it lacks) does not stop the rest; failures get more passes at the end, for files
 * whose tables reference tables of a later file. When a pass makes nothing more, the tables that
 * still cannot be made are made without their foreign keys (a key to a table no source defines,
 * to a column that is not unique there), and the tables that reference them get another pass.
 */
async function applySchema(connector: PgliteConnector, statements: readonly SchemaStatement[], options: EmbeddedDatabaseOptions): Promise<string[]> {
  const line = (statement: SchemaStatement): string => statement.sql.split('\n')[0].slice(0, 80);
  const notes: string[] = [];
  let failed: Array<{ statement: SchemaStatement; message: string }> = [];
  let bare = false;
  for (let pass = 0; pass < 8; pass++) {
    const toRun = pass === 0 ? statements : failed.map((f) => f.statement);
    const before = failed.length;
    failed = [];
    for (const statement of toRun) {
      if (options.isCancelled?.()) throw new Error('Loading the schema was cancelled.');
      try {
        await connector.execScript(statement.sql);
      } catch (e) {
        const message = (e as Error).message.split('\n')[0];
        const withoutKeys = bare ? withoutForeignKeys(statement.sql) : undefined;
        if (withoutKeys && (await connector.execScript(withoutKeys).then(() => true, () => false))) {
          notes.push(`${statement.source}: made without its foreign keys: ${message} (${line(statement)})`);
          continue;
        }
        failed.push({ statement, message });
      }
    }
    if (failed.length === 0 || (bare && failed.length === before)) break;
    // Without progress, the next pass makes the tables it still cannot make without their keys.
    bare = pass > 0 && failed.length === before;
  }
  return [...notes, ...failed.map((f) => `${f.statement.source}: ${f.message} (${line(f.statement)})`)];
}

function readMarker(dir: string): ReadyMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, READY_FILE), 'utf8')) as ReadyMarker;
  } catch {
    return undefined;
  }
}

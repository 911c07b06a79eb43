/**
 * The default database: PGlite with the workspace's schema and generated data, cached on disk under
 * a folder the caller owns (VS Code's global storage, a temp folder for the CLI). The cache key
 * hashes the schema and the data size, so a changed schema builds a new database and an unchanged
 * one opens in about a second. A database is built in a temporary folder and renamed into place
 * when complete, so a half-built one (a crash, two builders at once) is never opened.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateData, type GenerationProgress } from './data/data-generation';
import { PgliteConnector } from './pglite-connector';
import { loadWorkspaceSchema, type SchemaStatement } from './schema/workspace-schema';

/** Bump when generated data changes shape, so that old caches are rebuilt. */
const GENERATOR_VERSION = 1;
const READY_FILE = 'perflens-ready.json';

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
}

export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const schema = await loadWorkspaceSchema(options.root, { isCancelled: options.isCancelled });
  const key = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, ddl: schema.statements.map((s) => s.sql), dataSize: options.dataSize, rowCounts: options.rowCounts ?? {} }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(options.cacheDir, `db-${key}`);
  const connect = (dataDir: string): PgliteConnector =>
    new PgliteConnector({ dataDir, timeoutMs: options.timeoutMs, idleMs: options.idleMs, hostScript: options.hostScript, log: options.log });

  const cached = readMarker(dir);
  if (cached) return { connector: connect(path.join(dir, 'pgdata')), built: false, dataDir: path.join(dir, 'pgdata'), ...cached };

  fs.mkdirSync(options.cacheDir, { recursive: true });
  const building = `${dir}.building-${process.pid}-${Date.now()}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const builder = connect(path.join(building, 'pgdata'));
  let marker: ReadyMarker;
  try {
    options.onProgress?.('Starting the embedded database');
    const warnings = await applySchema(builder, schema.statements, options);
    options.onProgress?.('Generating data');
    const generated = await generateData(builder, {
      dataSize: options.dataSize,
      rowCounts: options.rowCounts,
      isCancelled: options.isCancelled,
      timeoutMs: Math.max(options.timeoutMs, 300_000),
      onProgress: (p) => options.onProgress?.(`Generating ${p.table}: ${p.rows.toLocaleString('en-US')} of ${p.tableRows.toLocaleString('en-US')} rows`, p),
    });
    options.onProgress?.('Analyzing');
    await builder.execScript('ANALYZE; CHECKPOINT;', { timeoutMs: 300_000 });
    marker = { schemaFiles: schema.files, warnings: [...warnings, ...generated.warnings], rows: generated.rows };
    await builder.close();
  } catch (e) {
    await builder.close().catch(() => {});
    fs.rmSync(building, { recursive: true, force: true });
    throw e;
  }
  fs.writeFileSync(path.join(building, READY_FILE), JSON.stringify(marker, null, 2));
  try {
    fs.renameSync(building, dir);
  } catch {
    // Another builder finished first: its copy is as good as this one.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return { connector: connect(path.join(dir, 'pgdata')), built: true, dataDir: path.join(dir, 'pgdata'), ...(readMarker(dir) ?? marker) };
}

/**
 * Runs each statement on its own so that one the embedded database rejects (another dialect, an
 * extension it lacks) does not stop the rest; failures get one more pass at the end, for files
 * whose tables reference tables of a later file.
 */
async function applySchema(connector: PgliteConnector, statements: readonly SchemaStatement[], options: EmbeddedDatabaseOptions): Promise<string[]> {
  let failed: Array<{ statement: SchemaStatement; message: string }> = [];
  for (const pass of [0, 1]) {
    const toRun = pass === 0 ? statements : failed.map((f) => f.statement);
    failed = [];
    for (const statement of toRun) {
      if (options.isCancelled?.()) throw new Error('Loading the schema was cancelled.');
      try {
        await connector.execScript(statement.sql);
      } catch (e) {
        failed.push({ statement, message: (e as Error).message.split('\n')[0] });
      }
    }
    if (failed.length === 0) break;
  }
  return failed.map((f) => `${f.statement.source}: ${f.message} (${f.statement.sql.split('\n')[0].slice(0, 80)})`);
}

function readMarker(dir: string): ReadyMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, READY_FILE), 'utf8')) as ReadyMarker;
  } catch {
    return undefined;
  }
}

/**
 * The schema of the embedded database, from the workspace: Prisma migrations
 * (`prisma/migrations/<timestamp>_<name>/migration.sql`, in folder order), or when a Prisma
 * project has none yet its `schema.prisma` translated to DDL, then JS/TS migrations in file-name
 * order (the tables Knex, Kysely and Sequelize builders make, and raw SQL: TypeORM's generated
 * migrations, Knex and Sequelize raw queries), then Django, SQLAlchemy and Peewee models
 * translated to DDL, then the DDL statements of the other `.sql` files (queries in those files are
 * left out: they are what gets explained), then TypeORM and MikroORM entities, Drizzle tables and
 * Sequelize models translated to DDL for the tables none of those created.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { discoverFiles } from '../../engine/file-discovery';
import { workspaceManifests } from '../../engine/workspace-databases';
import { dialectOfPath } from '../../languages/sql/embedded';
import { splitStatements } from '../../languages/sql/split';
import { builderDdl, mayBuildTables } from './builder-ddl';
import { drizzleDdl, mayDeclareDrizzleTables, type DrizzleSourceFile } from './drizzle-ddl';
import { isMigrationScript, mayRunSql, migrationSql } from './js-migrations';
import { mayDeclareMikroOrmEntities, mikroOrmDdl } from './mikro-orm-ddl';
import { prismaToDdl } from './prisma-ddl';
import { contribAppsImported } from './django-contrib';
import { mayDeclareModels, pythonModelsDdl, type PythonSourceFile } from './python-models';
import { mayDeclareSequelizeModels, sequelizeDdl, type SequelizeSourceFile } from './sequelize-ddl';
import { createdTables, mayDeclareEntities, typeormDdl, type TypeormSourceFile } from './typeorm-ddl';

export interface SchemaStatement {
  sql: string;
  /** File it came from, relative to the root (`/`-separated). */
  source: string;
}

export interface WorkspaceSchema {
  statements: SchemaStatement[];
  /** Files read, relative to the root. */
  files: string[];
}

/** Statements that define schema; INSERTs, SELECTs and the like are not. */
const DDL = /^(create|alter|comment\s+on)\b/i;

export async function loadWorkspaceSchema(root: string, options: { isCancelled?: () => boolean } = {}): Promise<WorkspaceSchema> {
  const sqlFiles: string[] = [];
  const prismaFiles: string[] = [];
  const pythonFiles: string[] = [];
  const scriptFiles: string[] = [];
  const SCRIPT = /\.(ts|mts|cts|js|mjs|cjs)$/;
  const match = (name: string): boolean => name.endsWith('.sql') || name.endsWith('.py') || name === 'schema.prisma' || SCRIPT.test(name);
  for await (const file of discoverFiles(root, { match, isCancelled: options.isCancelled })) {
    (file.endsWith('.sql') ? sqlFiles : file.endsWith('.py') ? pythonFiles : SCRIPT.test(file) ? scriptFiles : prismaFiles).push(file);
  }
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  // One database's schema where the project keeps one per database (oneDialect).
  const inDialect = oneDialect([...sqlFiles, ...prismaFiles, ...scriptFiles.filter((f) => isMigrationScript(rel(f)))], rel);
  const ofDialect = (files: string[]): string[] => files.filter((f) => inDialect.has(f));
  const isMigration = (file: string): boolean => /(^|\/)migrations\/[^/]+\/migration\.sql$/.test(rel(file));
  const migrations = ofDialect(sqlFiles.filter(isMigration));
  // The folder of each `migrations/` folder (`prisma/`): where its schema.prisma is.
  const migrationDirs = new Set(migrations.map((f) => path.dirname(path.dirname(path.dirname(f)))));

  const out: WorkspaceSchema = { statements: [], files: [] };
  const add = (text: string, file: string): void => {
    if (out.files[out.files.length - 1] !== rel(file)) out.files.push(rel(file));
    for (const s of splitStatements(text)) {
      const sql = stripLeadingComments(s.text);
      if (DDL.test(sql)) out.statements.push({ sql, source: rel(file) });
    }
  };
  // Migration folders are named so that their order is the order they were applied in.
  for (const file of migrations.sort(byMigrationOrder)) add(await fs.readFile(file, 'utf8'), file);
  for (const file of ofDialect(prismaFiles).sort()) {
    // A Prisma project with migrations already has its DDL; the schema is only the fallback.
    if (migrationDirs.has(path.dirname(file))) continue;
    add(prismaToDdl(await fs.readFile(file, 'utf8')), file);
  }
  // Migration files are named so that their order is the order they run in (a timestamp first).
  const byName = (a: string, b: string): number => (path.basename(a) < path.basename(b) ? -1 : path.basename(a) > path.basename(b) ? 1 : a < b ? -1 : 1);
  for (const file of ofDialect(scriptFiles.filter((f) => isMigrationScript(rel(f)))).sort(byName)) {
    if (options.isCancelled?.()) break;
    const text = await fs.readFile(file, 'utf8');
    let built: SchemaStatement[] = [];
    let sql: string[] = [];
    try {
      // Knex, Kysely and Sequelize builders, then the raw SQL the same migration runs.
      if (mayBuildTables(rel(file), text)) built = builderDdl(file, rel(file), text);
      if (mayRunSql(rel(file), text)) sql = migrationSql(file, text);
    } catch {
      // Not parseable: its schema is not known, the rest still is.
    }
    if (built.length) {
      out.files.push(rel(file));
      out.statements.push(...built);
    }
    if (sql.length) add(sql.map((q) => (/;\s*$/.test(q) ? q : `${q};`)).join('\n'), file);
  }
  const python: PythonSourceFile[] = [];
  const contribImported = new Set<string>();
  for (const file of pythonFiles) {
    const text = await fs.readFile(file, 'utf8');
    if (mayDeclareModels(rel(file), text)) python.push({ rel: rel(file), text });
    else for (const app of contribAppsImported(text)) contribImported.add(app);
  }
  const models = await pythonModelsDdl(python, path.basename(path.resolve(root)), contribImported);
  out.statements.push(...models.statements);
  out.files.push(...models.files);
  for (const file of ofDialect(sqlFiles.filter((f) => !isMigration(f))).sort()) add(await fs.readFile(file, 'utf8'), file);
  // TypeORM and MikroORM entities, Drizzle tables and Sequelize models, for the tables nothing above created (a
  // project that synchronizes or pushes its schema).
  const entityFiles: TypeormSourceFile[] = [];
  const mikroFiles: TypeormSourceFile[] = [];
  const drizzleFiles: DrizzleSourceFile[] = [];
  const sequelizeFiles: SequelizeSourceFile[] = [];
  for (const file of scriptFiles.sort()) {
    if (options.isCancelled?.()) break;
    if (/\.d\.[mc]?ts$/.test(file)) continue;
    const text = await fs.readFile(file, 'utf8');
    // Sequelize models are often plain JavaScript (sequelize-cli's models/); the others are TypeScript.
    if (/\.[mc]?js$/.test(file)) {
      if (mayDeclareSequelizeModels(text) && !mayBuildTables(rel(file), text)) sequelizeFiles.push({ abs: file, rel: rel(file), text });
      continue;
    }
    if (mayDeclareEntities(text)) entityFiles.push({ abs: file, rel: rel(file), text });
    if (mayDeclareMikroOrmEntities(text)) mikroFiles.push({ abs: file, rel: rel(file), text });
    if (mayDeclareDrizzleTables(text)) drizzleFiles.push({ abs: file, rel: rel(file), text });
    if (mayDeclareSequelizeModels(text) && !mayBuildTables(rel(file), text)) sequelizeFiles.push({ abs: file, rel: rel(file), text });
  }
  for (const [files, translate] of [
    [entityFiles, typeormDdl],
    [mikroFiles, mikroOrmDdl],
    // Columns declared without a name are named by drizzle.config's `casing`.
    [drizzleFiles, (files: readonly DrizzleSourceFile[], existing: ReadonlySet<string>) => drizzleDdl(files, existing, workspaceManifests(root).drizzleCasing)],
    [sequelizeFiles, sequelizeDdl],
  ] as const) {
    if (!files.length) continue;
    try {
      const made = translate(files, createdTables(out.statements));
      out.statements.push(...made.statements);
      out.files.push(...made.files);
    } catch {
      // Declarations that cannot be read leave the schema as the other sources make it.
    }
  }
  return out;
}

/**
 * The schema files of one database, where a project keeps a set per database in folders named for
 * them (n8n's migrations in `sqlite/`, `postgresdb/`, `mysqldb/`, and `common/` for all; Umami's
 * Prisma schema and migrations in `db/mysql/` and `db/postgresql/`): PostgreSQL's when there are
 * (the embedded database is PostgreSQL), else MySQL's; the shared ones always.
 */
function oneDialect(files: readonly string[], rel: (file: string) => string): Set<string> {
  const dialects = new Map(files.map((f) => [f, dialectOfPath(`/${rel(f)}`)]));
  const present = new Set(dialects.values());
  const chosen = present.has('postgresql') ? 'postgresql' : present.has('mysql') ? 'mysql' : 'sqlite';
  // Databases PostgreSQL is not: their schema files are never the embedded database's (Umami's `db/clickhouse/`).
  const other = (f: string): boolean => /(^|\/)(clickhouse|mssql|sqlserver|oracle|snowflake|bigquery)\//i.test(rel(f));
  return new Set(files.filter((f) => !other(f) && (dialects.get(f) === undefined || dialects.get(f) === chosen)));
}

function byMigrationOrder(a: string, b: string): number {
  const key = (f: string): string => `${path.dirname(path.dirname(f))}\0${path.basename(path.dirname(f))}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function stripLeadingComments(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '').trim();
}

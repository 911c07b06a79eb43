/**
 * Which databases a workspace's code talks to, from the drivers its manifests depend on
 * (package.json, requirements*.txt, pyproject.toml, Pipfile) at the root and one folder down (a
 * monorepo's services). Rules whose advice depends on the database, and that cannot read it from
 * the file (an ORM model does not say where it is stored), ask this: MySQL's InnoDB indexes
 * foreign keys on its own, PostgreSQL and SQLite do not. The same manifests say which job queue
 * the project runs (Celery), where a fix can move work off the request, and a drizzle.config
 * beside them how Drizzle names the columns declared without a name (`casing`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlDialect } from '../languages/facts';
import { drizzleCasingIn, type DrizzleCasing } from '../languages/typescript/drizzle-casing';

const DRIVERS: Array<[RegExp, SqlDialect]> = [
  // npm
  [/^(pg|postgres|pg-promise|slonik|@neondatabase\/serverless|@vercel\/postgres|@databases\/pg)$/, 'postgresql'],
  [/^(mysql|mysql2|mariadb|@planetscale\/database)$/, 'mysql'],
  [/^(sqlite3|better-sqlite3|@libsql\/client|sql\.js)$/, 'sqlite'],
  // PyPI (names compared lower-case, `_` as `-`)
  [/^(psycopg|psycopg2|psycopg2-binary|psycopg-binary|asyncpg|pg8000)$/, 'postgresql'],
  [/^(pymysql|mysqlclient|mysql-connector-python|aiomysql|asyncmy)$/, 'mysql'],
  [/^(aiosqlite)$/, 'sqlite'],
];

/** Job queues a fix may hand work to, by package. */
export type JobQueue = 'celery' | 'django-rq';
const QUEUES: Array<[RegExp, JobQueue]> = [
  [/^celery$/, 'celery'],
  [/^django-rq$/, 'django-rq'],
];

/** The manifests read, at the root and one folder down. */
export const MANIFESTS = ['package.json', 'requirements.txt', 'requirements-dev.txt', 'pyproject.toml', 'Pipfile'];
/** drizzle-kit's configs, read for their `casing`. */
export const DRIZZLE_CONFIGS = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.cts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs', 'drizzle.config.json'];

/** package.json's dependencies that a production install has (not devDependencies, not peers). */
const RUNTIME_DEPENDENCIES = ['dependencies', 'optionalDependencies'];

/**
 * The package names a manifest depends on (lower-case); `runtime`: of a package.json, only those a
 * production install has (a fix's new import needs one of them).
 */
export function manifestDependencies(name: string, text: string, runtime = false): string[] {
  if (name === 'package.json') {
    try {
      const pkg = JSON.parse(text) as Record<string, unknown>;
      return (runtime ? RUNTIME_DEPENDENCIES : ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']).flatMap((k) => Object.keys((pkg[k] as object | undefined) ?? {}));
    } catch {
      return [];
    }
  }
  // requirements.txt lines, pyproject's dependency strings and tables, Pipfile's `name = "…"`: a
  // package name at the start of a line or of a quoted string, before a version or extra.
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|["'])\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?=\s*(?:\[|[<>=!~;"'\s]|$))/gm)) out.push(m[1].toLowerCase().replace(/_/g, '-'));
  return out;
}

export function databasesOf(dependencies: Iterable<string>): Set<SqlDialect> {
  const out = new Set<SqlDialect>();
  for (const d of dependencies) for (const [re, db] of DRIVERS) if (re.test(d)) out.add(db);
  return out;
}

export function jobQueuesOf(dependencies: Iterable<string>): Set<JobQueue> {
  const out = new Set<JobQueue>();
  for (const d of dependencies) for (const [re, queue] of QUEUES) if (re.test(d)) out.add(queue);
  return out;
}

/** A package.json read: its folder and the packages a production install of it has. */
export interface NpmPackage {
  dir: string;
  dependencies: string[];
}

/** What the workspace's manifests and drizzle.config say (nothing known: empty sets). Never throws. */
export interface WorkspaceManifests {
  databases: Set<SqlDialect>;
  jobQueues: Set<JobQueue>;
  /** Each package.json read, for a fix that needs a package: is it a dependency of the file's package? */
  packages: NpmPackage[];
  /** The `casing` of a drizzle.config: how Drizzle names columns declared without a name. */
  drizzleCasing?: DrizzleCasing;
}

/** The databases, job queues and Drizzle casing of the workspace at `root`. Never throws. */
export function workspaceManifests(root: string | undefined): WorkspaceManifests {
  const deps: string[] = [];
  const packages: NpmPackage[] = [];
  let drizzleCasing: DrizzleCasing | undefined;
  const read = (dir: string) => {
    for (const m of MANIFESTS) {
      try {
        const text = fs.readFileSync(path.join(dir, m), 'utf8');
        deps.push(...manifestDependencies(m, text));
        if (m === 'package.json') packages.push({ dir, dependencies: manifestDependencies(m, text, true) });
      } catch {
        // Not there, or not readable: nothing to learn from it.
      }
    }
    for (const c of DRIZZLE_CONFIGS) {
      try {
        drizzleCasing ??= drizzleCasingIn(fs.readFileSync(path.join(dir, c), 'utf8'));
      } catch {
        // No such config.
      }
    }
  };
  if (root) readTree(root, read);
  return { databases: databasesOf(deps), jobQueues: jobQueuesOf(deps), packages, ...(drizzleCasing && { drizzleCasing }) };
}

/** `read` of the root and of each folder one down (a monorepo's services), never node_modules. */
function readTree(root: string, read: (dir: string) => void): void {
  read(root);
  try {
    for (const e of fs.readdirSync(root, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') read(path.join(root, e.name));
    }
  } catch {
    // An unreadable root: the manifests read so far.
  }
}

/** MySQL (or MariaDB) is the only database the workspace's drivers name. */
export function mysqlOnly(databases: ReadonlySet<SqlDialect> | undefined): boolean {
  return !!databases && databases.has('mysql') && !databases.has('postgresql') && !databases.has('sqlite');
}

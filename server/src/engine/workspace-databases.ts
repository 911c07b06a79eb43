/**
 * Which databases a workspace's code talks to, from the drivers its manifests depend on
 * (package.json, requirements*.txt, pyproject.toml, Pipfile) at the root and one folder down (a
 * monorepo's services). Rules whose advice depends on the database, and that cannot read it from
 * the file (an ORM model does not say where it is stored), ask this: MySQL's InnoDB indexes
 * foreign keys on its own, PostgreSQL and SQLite do not. The same manifests say which job queue
 * the project runs (Celery), where a fix can move work off the request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlDialect } from '../languages/facts';

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
export type JobQueue = 'celery';
const QUEUES: Array<[RegExp, JobQueue]> = [[/^celery$/, 'celery']];

/** The manifests read, at the root and one folder down. */
export const MANIFESTS = ['package.json', 'requirements.txt', 'requirements-dev.txt', 'pyproject.toml', 'Pipfile'];

/** The package names a manifest depends on (lower-case). */
export function manifestDependencies(name: string, text: string): string[] {
  if (name === 'package.json') {
    try {
      const pkg = JSON.parse(text) as Record<string, unknown>;
      return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].flatMap((k) => Object.keys((pkg[k] as object | undefined) ?? {}));
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

/** What the workspace's manifests say (nothing known: empty sets). Never throws. */
export interface WorkspaceManifests {
  databases: Set<SqlDialect>;
  jobQueues: Set<JobQueue>;
}

/** The databases and job queues of the workspace at `root`. Never throws. */
export function workspaceManifests(root: string | undefined): WorkspaceManifests {
  const deps = root ? dependenciesOf(root) : [];
  return { databases: databasesOf(deps), jobQueues: jobQueuesOf(deps) };
}

function dependenciesOf(root: string): string[] {
  const deps: string[] = [];
  const read = (dir: string) => {
    for (const m of MANIFESTS) {
      try {
        deps.push(...manifestDependencies(m, fs.readFileSync(path.join(dir, m), 'utf8')));
      } catch {
        // Not there, or not readable: nothing to learn from it.
      }
    }
  };
  read(root);
  try {
    for (const e of fs.readdirSync(root, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') read(path.join(root, e.name));
    }
  } catch {
    // An unreadable root: the manifests read so far.
  }
  return deps;
}

/** MySQL (or MariaDB) is the only database the workspace's drivers name. */
export function mysqlOnly(databases: ReadonlySet<SqlDialect> | undefined): boolean {
  return !!databases && databases.has('mysql') && !databases.has('postgresql') && !databases.has('sqlite');
}

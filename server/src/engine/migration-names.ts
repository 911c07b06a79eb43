/**
 * The name of the next migration of a folder, in the scheme its files use, and the files a fix's
 * new migration becomes: migrators run a folder's files in the order of their names, so the new
 * one must sort after every file there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NewMigration } from './finding';

/**
 * `existing` sorted or not; `extension` with its dot (`.sql`, `.js`, `.up.sql`). Flyway `V<n>__…`,
 * numbered `0007_…` or `0007-…`, timestamped `20241125093000_…` (the current time in the same
 * number of digits), dated `2024-11-25_…`. Undefined when the folder's names follow none of these, or the new name would
 * not sort last.
 */
export function nextName(existing: readonly string[], slug: string, now: Date, extension = '.sql'): string | undefined {
  const sorted = [...existing].sort();
  const last = sorted[sorted.length - 1];
  if (!last) return undefined;
  let name: string | undefined;
  const flyway = sorted.map((f) => /^V(\d+)__/.exec(f)).filter((m): m is RegExpExecArray => !!m);
  if (flyway.length) name = `V${Math.max(...flyway.map((m) => Number(m[1]))) + 1}__${slug}${extension}`;
  else if (/^\d{4}-\d{2}-\d{2}/.test(last)) {
    // Dated (2024-01-01_init.ts, 2024-01-01T10-00_init.ts): today's date, the separator after it kept.
    const sep = /^\d{4}-\d{2}-\d{2}([_-]?)/.exec(last)![1] || '_';
    name = `${now.toISOString().slice(0, 10)}${sep}${slug}${extension}`;
  } else {
    const numbered = /^(\d+)([_-])/.exec(last);
    if (!numbered) return undefined;
    const digits = numbered[1];
    if (digits.length >= 12) {
      // A timestamp (20241125093000_…): the current time in the same shape.
      const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, digits.length).padEnd(digits.length, '0');
      name = `${stamp > digits ? stamp : String(BigInt(digits) + 1n)}${numbered[2]}${slug}${extension}`;
    } else {
      const next = String(Math.max(...sorted.map((f) => Number(/^(\d+)/.exec(f)?.[1] ?? 0))) + 1).padStart(digits.length, '0');
      name = `${next}${numbered[2]}${slug}${extension}`;
    }
  }
  // Flyway orders by version, not by name; the others by name.
  return flyway.length || name > last ? name : undefined;
}

/** The migrations of a folder the new one is numbered after: files of the same kind, not helpers (`index.js`). */
function migrationsIn(dir: string, extension: string): string[] {
  const sql = extension.endsWith('.sql');
  return fs
    .readdirSync(dir)
    .filter((f) => (sql ? f.endsWith('.sql') : /\.(js|ts|mjs|cjs|mts|cts)$/.test(f) && !/\.d\.[mc]?ts$/.test(f)))
    .filter((f) => /^(V\d+__|\d)/.test(f));
}

/** The files a new migration is written as (an `.up.sql` with its `.down.sql`), or undefined when the folder's scheme is not known. */
export function newMigrationFiles(m: NewMigration, now = new Date()): Array<{ path: string; text: string }> | undefined {
  let existing: string[];
  try {
    existing = migrationsIn(m.dir, m.extension);
  } catch {
    return undefined;
  }
  const name = nextName(existing, m.slug, now, m.extension);
  if (!name) return undefined;
  const files = [{ path: path.join(m.dir, name), text: m.text }];
  if (m.down !== undefined && m.extension === '.up.sql') files.push({ path: path.join(m.dir, `${name.slice(0, -'.up.sql'.length)}.down.sql`), text: m.down });
  return files;
}

/**
 * Where a migration stands: the folder whose entries its migrator runs in the order of their names
 * (`migrations/`, `db/migrate/`, `drizzle/`, a folder of Flyway `V1__…` or numbered files), and the
 * file's path under it (`0002_drop.sql`, diesel's `2024-01-01-000000_init/up.sql`). Undefined for
 * a file that is no migration (`schema.sql`), whose DDL is the schema as it stands.
 */
export function migrationPosition(file: string): { folder: string; key: string } | undefined {
  const parts = file.split(/[\\/]/);
  for (let i = parts.length - 2; i >= 0; i--) {
    if (/^(migrations?|migrate|drizzle)$/i.test(parts[i])) return { folder: parts.slice(0, i + 1).join('/'), key: parts.slice(i + 1).join('/') };
  }
  const name = parts[parts.length - 1];
  return /^V\d+(_\d+)*__|\.(up|down)\.sql$|^\d+[_-]/i.test(name) ? { folder: parts.slice(0, -1).join('/'), key: name } : undefined;
}

/** Names with their numbers compared as numbers: Flyway's `V10__…` runs after `V9__…`. */
const MIGRATION_ORDER = new Intl.Collator('en', { numeric: true });

/** Whether migration `later` runs after migration `earlier`: both of one folder, `later`'s name sorting after. */
export function runsAfter(later: string, earlier: string): boolean {
  const a = migrationPosition(later);
  const b = migrationPosition(earlier);
  return !!a && !!b && a.folder === b.folder && MIGRATION_ORDER.compare(a.key, b.key) > 0;
}

/**
 * A rollback: golang-migrate's `….down.sql`, diesel's `down.sql`, Flyway's undo `U2__…`. It undoes
 * a migration, so what it drops or makes is not the schema.
 */
export function isDownMigration(file: string): boolean {
  return /(^|[\\/._-])(down|undo|rollback)\.sql$|(^|[\\/])U\d+(_\d+)*__[^\\/]*\.sql$/i.test(file);
}

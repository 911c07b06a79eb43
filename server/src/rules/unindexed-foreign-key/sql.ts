/**
 * unindexed-foreign-key over SQL DDL: a foreign key (`REFERENCES`, `FOREIGN KEY`, `ALTER TABLE …
 * ADD CONSTRAINT … FOREIGN KEY`) that no index, PRIMARY KEY or UNIQUE constraint of the workspace
 * starts with. PostgreSQL and SQLite do not index foreign keys on their own (MySQL's InnoDB does:
 * its statements are skipped). The fix adds the CREATE INDEX after the statement; in a migration,
 * which has run already, it says where the index goes instead.
 */
import * as path from 'node:path';
import type { Detection, Fix } from '../../engine/finding';
import type { DetectContext, Detector } from '../../engine/rule';
import { mysqlOnly } from '../../engine/workspace-databases';
import { isDownMigration } from '../../engine/migration-names';
import { sqlDropped, sqlIndexState, type SqlIndexState } from '../../engine/workspace-models';
import type { ForeignKeyFact } from '../../languages/facts';
import type { SqlFacts } from '../../languages/sql/adapter';

/** Prisma writes these from schema.prisma: the index belongs in the model. */
const PRISMA_MIGRATION = /(^|[\\/])prisma[\\/]migrations[\\/]/;
/**
 * drizzle-kit writes these from the TypeScript schema (`drizzle/0000_name.sql`, statements split
 * by `--> statement-breakpoint`): the index belongs in the table's extra config.
 */
function drizzleMigration(path: string, text: string): boolean {
  return text.includes('--> statement-breakpoint') || /(^|[\\/])drizzle[\\/](.*[\\/])?\d{4}_[\w-]+\.sql$/.test(path);
}
/** A migration that has run already: Rails, Django-style folders, Flyway `V1__…`, golang-migrate `….up.sql`, Knex/TypeORM SQL folders. */
const MIGRATION = /(^|[\\/])(migrations?|migrate|db[\\/]migrate)[\\/]|(^|[\\/])V\d+(_\d+)*__[^\\/]*\.sql$|\.up\.sql$/i;

export const detectSql: Detector<SqlFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  const own = facts.models ?? [];
  // DDL that parses as PostgreSQL may still be run on MySQL: the workspace's drivers say so.
  // A rollback makes again what its migration dropped: not the schema.
  if (facts.foreignKeys.length === 0 || mysqlOnly(ctx.models?.databases) || isDownMigration(ctx.file.path)) return out;
  for (const fk of facts.foreignKeys) {
    if (fk.dialect === 'mysql') continue;
    const state = ctx.models ? ctx.models.sqlIndexState(fk.table.name, fk.columns, ctx.file.path, own) : sqlIndexState([[ctx.file.path, own]], fk.table.name, fk.columns);
    if (state.indexed) continue;
    // Dropped since: later in the file, or by a later migration.
    const key = { table: fk.table.name, columns: fk.columns, name: fk.name, start: fk.start };
    if (ctx.models ? ctx.models.sqlDropped(key, ctx.file.path, own) : sqlDropped([[ctx.file.path, own]], key, ctx.file.path)) continue;
    const ddl = createIndex(fk);
    out.push({ start: fk.start, end: fk.end, message: message(fk, ddl, ctx, state.dropped), fixes: [fix(fk, ddl, ctx, state.dropped?.file === ctx.file.path)] });
  }
  return out;
};

/** `add_posts_author_id_index`: what a new migration's name says. */
export function migrationSlug(table: string, columns: readonly string[]): string {
  return `add_${table}_${columns.join('_')}_index`.replace(/[^A-Za-z0-9_]+/g, '_').toLowerCase();
}

/** The index's name in `CREATE INDEX <name> ON …`. */
function indexName(ddl: string): string {
  return /^CREATE INDEX (\S+) ON/.exec(ddl)![1];
}

/** `CREATE INDEX posts_author_id_idx ON posts (author_id);`, quoted the way the table was. */
export function createIndex(fk: ForeignKeyFact): string {
  const quoted = fk.table.text.includes('"') || fk.columnTexts.some((c) => c.includes('"'));
  const base = `${fk.table.name}_${fk.columns.join('_')}_idx`;
  const name = quoted || !/^[a-z_][a-z0-9_$]*$/.test(base) ? `"${base.replace(/"/g, '""')}"` : base;
  return `CREATE INDEX ${name} ON ${fk.table.text} (${fk.columnTexts.join(', ')});`;
}

function message(fk: ForeignKeyFact, ddl: string, ctx: DetectContext, dropped: SqlIndexState['dropped']): string {
  const db = fk.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const cols = fk.columns.join(', ');
  const key = fk.columns.length > 1 ? `(${cols})` : cols;
  const lookup = fk.columns.map((c) => `${c} = …`).join(' AND ');
  const head =
    `\`${fk.table.name}.${key}\` references \`${fk.refTable}\`, and no index starts with ${fk.columns.length > 1 ? 'these columns' : 'it'}` +
    `${dropped ? ` (\`${dropped.index}\` did until ${dropped.file === ctx.file.path ? 'a DROP INDEX later in this file' : `\`${path.basename(dropped.file)}\` dropped it`})` : ''}: ` +
    `${db} does not index foreign keys on its own. Deleting a row of \`${fk.refTable}\` (or changing its key) scans all of \`${fk.table.name}\` for the rows that reference it, ` +
    `and every lookup or join by ${key} (\`WHERE ${lookup}\`) reads the whole table.`;
  if (PRISMA_MIGRATION.test(ctx.file.path)) return `${head} Add \`@@index([${cols}])\` to model ${fk.table.name} in schema.prisma, and Prisma writes the migration.`;
  if (drizzleMigration(ctx.file.path, ctx.file.text)) return `${head} drizzle-kit wrote this migration from the schema: add \`index(…).on(…)\` for ${key} to the \`${fk.table.name}\` table's extra config there, then \`drizzle-kit generate\`.`;
  if (MIGRATION.test(ctx.file.path)) return `${head} Add \`${ddl}\` in a new migration (this one has run already).`;
  return `${head} Add \`${ddl}\`.`;
}

function fix(fk: ForeignKeyFact, ddl: string, ctx: DetectContext, droppedHere = false): Fix {
  const cols = fk.columns.join(', ');
  if (PRISMA_MIGRATION.test(ctx.file.path)) return { title: `Add @@index([${cols}]) to model ${fk.table.name} in schema.prisma`, applicability: 'display-only', edits: [] };
  if (drizzleMigration(ctx.file.path, ctx.file.text)) return { title: `Add an index on ${fk.table.name} (${cols}) in the Drizzle schema`, applicability: 'display-only', edits: [] };
  if (MIGRATION.test(ctx.file.path)) {
    const up = /\.up\.sql$/i.test(ctx.file.path);
    const text = `-- The index of the foreign key ${fk.table.name} (${cols}) → ${fk.refTable} (PerfLens, unindexed-foreign-key).\n${ddl}\n`;
    const newMigration = { dir: path.dirname(ctx.file.path), slug: migrationSlug(fk.table.name, fk.columns), extension: up ? '.up.sql' : '.sql', text, down: up ? `DROP INDEX ${indexName(ddl)};\n` : undefined };
    return { title: `Add an index on ${fk.table.name} (${cols}) in a new migration`, applicability: 'unsafe', edits: [], newMigration };
  }
  const text = ctx.file.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // The file drops the index later: the new one goes at its end, after that DROP INDEX.
  if (droppedHere) return { title: `Add ${ddl.slice(0, -1)}`, applicability: 'unsafe', edits: [{ start: text.length, end: text.length, newText: `${/\n$/.test(text) ? '' : eol}${eol}${ddl}${eol}` }] };
  // After the statement's line when only a comment follows it there.
  const nl = text.indexOf('\n', fk.insertAt);
  const lineEnd = nl < 0 ? text.length : nl;
  const rest = text.slice(fk.insertAt, lineEnd);
  const at = /^[ \t]*(--[^\r]*)?\r?$/.test(rest) ? fk.insertAt + rest.replace(/\r$/, '').length : fk.insertAt;
  return { title: `Add ${ddl.slice(0, -1)}`, applicability: 'unsafe', edits: [{ start: at, end: at, newText: `${eol}${eol}${ddl}` }] };
}

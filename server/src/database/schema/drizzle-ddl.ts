/**
 * Drizzle tables → DDL for the embedded database, for a project without the SQL migrations
 * drizzle-kit writes (`drizzle-kit push`): the columns of each `pgTable`/`sqliteTable` typed from
 * their builders (`varchar('x', { length: 120 })`, `timestamp('t', { withTimezone: true })`), keys,
 * foreign keys and the extra config's indexes. Tables another source creates are left to it;
 * MySQL tables are not made (the embedded database is PostgreSQL).
 */
import ts from 'typescript';
import { drizzleTables, type DrizzleCasing, type DrizzleColumn, type DrizzleTable } from '../../languages/typescript/drizzle-tables';
import type { SchemaStatement } from './workspace-schema';

export interface DrizzleSourceFile {
  abs: string;
  rel: string;
  text: string;
}

export function mayDeclareDrizzleTables(text: string): boolean {
  return /['"]drizzle-orm\/(pg|sqlite)-core['"]/.test(text);
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Builders whose type is their name, or another name. */
const TYPES: Record<string, string> = {
  serial: 'serial', bigserial: 'bigserial', smallserial: 'smallserial', integer: 'integer', int: 'integer', smallint: 'smallint', bigint: 'bigint',
  text: 'text', boolean: 'boolean', uuid: 'uuid', json: 'json', jsonb: 'jsonb', date: 'date', time: 'time', interval: 'interval',
  real: 'real', doublePrecision: 'double precision', inet: 'inet', cidr: 'cidr', macaddr: 'macaddr', blob: 'bytea',
};

function option(column: DrizzleColumn, key: string): ts.Expression | undefined {
  const p = column.options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === key);
  return p?.initializer;
}

function columnType(c: DrizzleColumn): string {
  const known = TYPES[c.builder];
  if (known) return known;
  const n = (key: string): string | undefined => {
    const v = option(c, key);
    return v && ts.isNumericLiteral(v) ? v.text : undefined;
  };
  if (c.builder === 'varchar' || c.builder === 'char') return n('length') ? `${c.builder}(${n('length')})` : c.builder;
  if (c.builder === 'timestamp') return option(c, 'withTimezone')?.kind === ts.SyntaxKind.TrueKeyword ? 'timestamptz' : 'timestamp';
  if (c.builder === 'numeric' || c.builder === 'decimal') return n('precision') ? `numeric(${n('precision')}${n('scale') ? `, ${n('scale')}` : ''})` : 'numeric';
  // pgEnum functions, custom types: text holds their values.
  return 'text';
}

export function drizzleDdl(files: readonly DrizzleSourceFile[], existing: ReadonlySet<string>, casing?: DrizzleCasing): { statements: SchemaStatement[]; files: string[] } {
  const all: Array<{ table: DrizzleTable; rel: string }> = [];
  for (const f of files) {
    try {
      const sf = ts.createSourceFile(f.abs, f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      for (const table of drizzleTables(sf, casing)) if (table.dialect !== 'mysql') all.push({ table, rel: f.rel });
    } catch {
      // A file TypeScript cannot parse (brackets nested past its stack) declares no table here; the others still do.
    }
  }
  const byVariable = new Map(all.map((t) => [t.table.name, t.table]));
  const creates: SchemaStatement[] = [];
  const after: SchemaStatement[] = [];
  const used = new Set<string>();
  const made = new Set<string>();
  for (const { table, rel } of all) {
    if (made.has(table.table) || existing.has(table.table.toLowerCase())) continue;
    made.add(table.table);
    used.add(rel);
    const col = (key: string): string | undefined => table.columns.find((c) => c.property === key)?.column;
    const primary = table.indexed.find((i) => i.kind === 'primary' && i.keys.length > 1)?.keys ?? table.columns.filter((c) => c.primary).map((c) => c.property);
    const lines = table.columns.map((c) => `${q(c.column)} ${columnType(c)}${c.notNull && !c.primary ? ' NOT NULL' : ''}${c.sqlDefault ? ` DEFAULT ${c.sqlDefault}` : ''}${c.unique ? ' UNIQUE' : ''}`);
    if (primary.length) lines.push(`PRIMARY KEY (${primary.map((k) => q(col(k) ?? k)).join(', ')})`);
    creates.push({ sql: `CREATE TABLE ${q(table.table)} (\n  ${lines.join(',\n  ')}\n);`, source: rel });
    for (const fk of table.foreignKeys) {
      const targets = fk.references.map((r) => ({ table: byVariable.get(r.table), key: r.key }));
      if (!targets.length || targets.some((t) => !t.table)) continue;
      const target = targets[0].table!;
      const refCols = targets.map((t) => t.table!.columns.find((c) => c.property === t.key)?.column ?? t.key);
      after.push({ sql: `ALTER TABLE ${q(table.table)} ADD FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${q(target.table)} (${refCols.map(q).join(', ')});`, source: rel });
    }
    for (const ix of table.indexed) {
      if (ix.kind === 'primary' || (ix.keys.length === 1 && table.columns.find((c) => c.property === ix.keys[0])?.unique)) continue;
      after.push({ sql: `CREATE ${ix.kind === 'unique' ? 'UNIQUE ' : ''}INDEX ON ${q(table.table)} (${ix.keys.map((k) => q(col(k) ?? k)).join(', ')});`, source: rel });
    }
  }
  return { statements: [...creates, ...after], files: files.filter((f) => used.has(f.rel)).map((f) => f.rel) };
}

/**
 * TypeORM entities → DDL for the embedded database, for a project whose schema is in its entities
 * (`synchronize: true`, or no migration yet): the tables, columns and keys the translator reads
 * (orm-sql/typeorm-entities.ts, TypeORM's default naming), the foreign keys of many-to-one and
 * owning one-to-one relations, and the `@Index`/`@Unique` of properties and classes. Tables another
 * source of the workspace creates (migrations, .sql files) are left to it.
 */
import ts from 'typescript';
import { decoratorsOf } from '../../languages/typescript/decorators';
import { TypeormEntities, type TypeormEntity } from '../orm-sql/typeorm-entities';
import { TsModules } from '../orm-sql/typescript-modules';
import type { SchemaStatement } from './workspace-schema';

export interface TypeormSourceFile {
  abs: string;
  /** Relative to the workspace root, `/`-separated. */
  rel: string;
  text: string;
}

/** A file that may declare entities. */
export function mayDeclareEntities(text: string): boolean {
  return /@Entity\s*\(/.test(text) && /from\s+['"]typeorm['"]/.test(text);
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function typeormDdl(files: readonly TypeormSourceFile[], existing: ReadonlySet<string>): { statements: SchemaStatement[]; files: string[] } {
  const modules = TsModules.ofFiles(files);
  const tables: SchemaStatement[] = [];
  const after: SchemaStatement[] = [];
  const used = new Set<string>();
  const seen = new Set<string>();
  for (const f of files) {
    const sf = modules.sourceFile(f.abs);
    if (!sf) continue;
    const entities = new TypeormEntities(f.abs, modules);
    for (const cls of sf.statements) {
      if (!ts.isClassDeclaration(cls) || !cls.name || !decoratorsOf(cls).some((d) => d.name === 'Entity')) continue;
      const e = entities.entity(cls.name.text, f.abs);
      if (!e || e.unsupported || seen.has(e.table) || existing.has(e.table.toLowerCase())) continue;
      seen.add(e.table);
      used.add(f.rel);
      tables.push({ sql: createTable(e), source: f.rel });
      for (const rel of e.relations) {
        if (!rel.joinColumn?.column) continue;
        const target = entities.entity(rel.target, f.abs);
        const key = target && (rel.joinColumn.referenced ? target.columns.find((c) => c.property === rel.joinColumn!.referenced) : target.columns.find((c) => c.primary));
        if (!target || !key) continue;
        after.push({ sql: `ALTER TABLE ${q(e.table)} ADD FOREIGN KEY (${q(rel.joinColumn.column)}) REFERENCES ${q(target.table)} (${q(key.column)});`, source: f.rel });
      }
      after.push(...indexes(cls, e).map((sql) => ({ sql, source: f.rel })));
      // Apart, so that a default the database lacks (uuid_generate_v4() without its extension) costs the default, not the table.
      for (const c of e.columns) if (c.sqlDefaultExpression) after.push({ sql: `ALTER TABLE ${q(e.table)} ALTER COLUMN ${q(c.column)} SET DEFAULT ${c.sqlDefaultExpression};`, source: f.rel });
    }
  }
  return { statements: [...tables, ...after], files: files.filter((f) => used.has(f.rel)).map((f) => f.rel) };
}

export function createTable(e: TypeormEntity): string {
  const lines = e.columns.map((c) => `  ${q(c.column)} ${c.sqlType ?? 'text'}${c.nullable && !c.primary ? '' : ' NOT NULL'}${c.sqlDefault ? ` DEFAULT ${c.sqlDefault}` : ''}`);
  const primary = e.columns.filter((c) => c.primary).map((c) => q(c.column));
  if (primary.length) lines.push(`  PRIMARY KEY (${primary.join(', ')})`);
  return `CREATE TABLE ${q(e.table)} (\n${lines.join(',\n')}\n);`;
}

/** `@Index()`/`@Unique()` on a property, `@Index(['a', 'b'])`/`@Unique(['a'])` (or with a name first) on the class. */
function indexes(cls: ts.ClassDeclaration, e: TypeormEntity): string[] {
  const column = (property: string): string | undefined => e.columns.find((c) => c.property === property || c.column === property)?.column;
  const out: string[] = [];
  const add = (unique: boolean, properties: string[]) => {
    const cols = properties.map(column);
    if (cols.length && cols.every((c): c is string => !!c)) out.push(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ON ${q(e.table)} (${cols.map(q).join(', ')});`);
  };
  for (const d of decoratorsOf(cls)) {
    if (d.name !== 'Index' && d.name !== 'Unique') continue;
    const list = d.args.find(ts.isArrayLiteralExpression);
    if (list) add(d.name === 'Unique' || /\bunique\s*:\s*true\b/.test(d.args.map((a) => a.getText()).join(',')), list.elements.filter(ts.isStringLiteralLike).map((x) => x.text));
  }
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
    for (const d of decoratorsOf(m)) {
      if (d.name === 'Index' || d.name === 'Unique') add(d.name === 'Unique' || /\bunique\s*:\s*true\b/.test(d.args.map((a) => a.getText()).join(',')), [m.name.text]);
    }
  }
  return out;
}

/** Tables a set of DDL statements creates, lower-cased without quotes or schema. */
export function createdTables(statements: readonly SchemaStatement[]): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    const m = /^create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)/i.exec(s.sql);
    if (m) out.add(m[1].split('.').pop()!.replace(/"/g, '').toLowerCase());
  }
  return out;
}

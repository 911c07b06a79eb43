/**
 * MikroORM entities → DDL for the embedded database, for a project whose schema is in its entities
 * (`schema:update`, or no migration yet), as MikroORM's schema generator writes it for PostgreSQL:
 * the tables and columns the translator reads (orm-sql/mikro-orm-entities.ts), a foreign key and an
 * index (`<table>_<column>_index`) for each many-to-one and owning one-to-one, the pivot tables of
 * owning many-to-many properties, and `@Index()`/`@Unique()` of properties and classes. Tables
 * another source of the workspace creates are left to it.
 */
import ts from 'typescript';
import { decoratorsOf, optionsOf } from '../../languages/typescript/decorators';
import { MikroOrmEntities, type MikroOrmEntity } from '../orm-sql/mikro-orm-entities';
import { TsModules } from '../orm-sql/typescript-modules';
import { createTable, type TypeormSourceFile } from './typeorm-ddl';
import type { SchemaStatement } from './workspace-schema';

/** A file that may declare MikroORM entities, or a base class of theirs (`@PrimaryKey()` in an abstract class). */
export function mayDeclareMikroOrmEntities(text: string): boolean {
  return /@(Entity|PrimaryKey|Property)\s*\(/.test(text) && /from\s+['"]@mikro-orm\//.test(text);
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function mikroOrmDdl(files: readonly TypeormSourceFile[], existing: ReadonlySet<string>): { statements: SchemaStatement[]; files: string[] } {
  const modules = TsModules.ofFiles(files);
  const tables: SchemaStatement[] = [];
  const after: SchemaStatement[] = [];
  const used = new Set<string>();
  const seen = new Set<string>(existing);
  for (const f of files) {
    const sf = modules.sourceFile(f.abs);
    if (!sf) continue;
    const entities = new MikroOrmEntities(f.abs, modules);
    for (const cls of sf.statements) {
      if (!ts.isClassDeclaration(cls) || !cls.name) continue;
      const decorator = decoratorsOf(cls).find((d) => d.name === 'Entity');
      if (!decorator || /\babstract\s*:\s*true\b/.test(optionsOf(decorator.args)?.getText() ?? '')) continue;
      const e = entities.entity(cls.name.text, f.abs);
      if (!e || e.unsupported || seen.has(e.table.toLowerCase())) continue;
      seen.add(e.table.toLowerCase());
      used.add(f.rel);
      tables.push({ sql: createTable(e), source: f.rel });
      const add = (sql: string) => after.push({ sql, source: f.rel });
      for (const rel of e.relations) {
        if (!rel.joinColumn?.column) continue;
        const target = rel.target === e.name ? e : entities.entity(rel.target, f.abs);
        const key = target && (rel.joinColumn.referenced ? target.columns.find((c) => c.column === rel.joinColumn!.referenced) : target.columns.find((c) => c.primary));
        if (!target || !key) continue;
        const column = rel.joinColumn.column;
        add(`ALTER TABLE ${q(e.table)} ADD CONSTRAINT ${q(`${e.table}_${column}_foreign`)} FOREIGN KEY (${q(column)}) REFERENCES ${q(target.table)} (${q(key.column)}) ON UPDATE CASCADE;`);
        if (rel.kind === 'one-to-one') add(`ALTER TABLE ${q(e.table)} ADD CONSTRAINT ${q(`${e.table}_${column}_unique`)} UNIQUE (${q(column)});`);
        else add(`CREATE INDEX ${q(`${e.table}_${column}_index`)} ON ${q(e.table)} (${q(column)});`);
      }
      for (const p of e.pivots) {
        const target = entities.entity(p.target, f.abs);
        const ownKey = e.columns.find((c) => c.primary);
        const otherKey = target?.columns.find((c) => c.primary);
        if (!target || !ownKey || !otherKey || seen.has(p.table.toLowerCase())) continue;
        seen.add(p.table.toLowerCase());
        const keyType = (t: string | undefined) => (t === 'serial' ? 'integer' : t === 'bigserial' ? 'bigint' : t ?? 'integer');
        tables.push({ sql: `CREATE TABLE ${q(p.table)} (\n  ${q(p.own)} ${keyType(ownKey.sqlType)} NOT NULL,\n  ${q(p.other)} ${keyType(otherKey.sqlType)} NOT NULL,\n  PRIMARY KEY (${q(p.own)}, ${q(p.other)})\n);`, source: f.rel });
        add(`ALTER TABLE ${q(p.table)} ADD CONSTRAINT ${q(`${p.table}_${p.own}_foreign`)} FOREIGN KEY (${q(p.own)}) REFERENCES ${q(e.table)} (${q(ownKey.column)}) ON UPDATE CASCADE ON DELETE CASCADE;`);
        add(`ALTER TABLE ${q(p.table)} ADD CONSTRAINT ${q(`${p.table}_${p.other}_foreign`)} FOREIGN KEY (${q(p.other)}) REFERENCES ${q(target.table)} (${q(otherKey.column)}) ON UPDATE CASCADE ON DELETE CASCADE;`);
      }
      for (const sql of indexes(cls, e)) add(sql);
    }
  }
  return { statements: [...tables, ...after], files: files.filter((f) => used.has(f.rel)).map((f) => f.rel) };
}

/** `@Index()`/`@Unique()` on a property; `@Index({ properties: [...] })`/`@Unique({ properties: [...] })` on the class. */
function indexes(cls: ts.ClassDeclaration, e: MikroOrmEntity): string[] {
  const column = (property: string): string | undefined => e.columns.find((c) => c.property === property || c.column === property)?.column;
  const out: string[] = [];
  const add = (unique: boolean, properties: string[], name: string | undefined) => {
    const cols = properties.map(column);
    if (!cols.length || !cols.every((c): c is string => !!c)) return;
    const indexName = name ?? `${e.table}_${cols.join('_')}_${unique ? 'unique' : 'index'}`;
    out.push(unique ? `ALTER TABLE ${q(e.table)} ADD CONSTRAINT ${q(indexName)} UNIQUE (${cols.map(q).join(', ')});` : `CREATE INDEX ${q(indexName)} ON ${q(e.table)} (${cols.map(q).join(', ')});`);
  };
  const listed = (options: ts.ObjectLiteralExpression | undefined): string[] => {
    const p = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === 'properties');
    if (!p) return [];
    const v = p.initializer;
    if (ts.isStringLiteralLike(v)) return [v.text];
    return ts.isArrayLiteralExpression(v) ? v.elements.filter(ts.isStringLiteralLike).map((x) => x.text) : [];
  };
  const nameOf = (options: ts.ObjectLiteralExpression | undefined): string | undefined => {
    const p = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === 'name');
    return p && ts.isStringLiteralLike(p.initializer) ? p.initializer.text : undefined;
  };
  for (const d of decoratorsOf(cls)) {
    if (d.name === 'Index' || d.name === 'Unique') add(d.name === 'Unique', listed(optionsOf(d.args)), nameOf(optionsOf(d.args)));
  }
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
    for (const d of decoratorsOf(m)) {
      const options = optionsOf(d.args);
      if (d.name === 'Index' || d.name === 'Unique') add(d.name === 'Unique', [m.name.text], nameOf(options));
      // `@Property({ unique: true })`, `@Property({ index: true })`.
      else if (d.name === 'Property' && /\bunique\s*:\s*true\b/.test(options?.getText() ?? '')) add(true, [m.name.text], undefined);
      else if (d.name === 'Property' && /\bindex\s*:\s*true\b/.test(options?.getText() ?? '')) add(false, [m.name.text], undefined);
    }
  }
  return out;
}

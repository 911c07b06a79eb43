/**
 * Sequelize models → DDL for the embedded database, for a project that creates its tables with
 * `sequelize.sync()` (no migrations): each model's table and attributes typed from their
 * DataTypes (builder-ddl.ts reads them as the migrations' columns), the `id` and timestamps
 * Sequelize adds, the foreign keys of belongsTo/hasOne/hasMany associations with their default
 * names, the models' `indexes`, and the join tables of belongsToMany associations (`through: 'PostTags'`: its two keys as
 * the primary key, and timestamps; a through model gets the keys it lacks) (orm-sql/
 * sequelize-definitions.ts). Tables another source creates are left to it.
 */
import { associationKey, inflectUnderscore, madeThroughColumns, throughTable, type SequelizeModel } from '../../languages/typescript/sequelize-definitions';
import { SequelizeModels } from '../orm-sql/sequelize-models';
import { TsModules } from '../orm-sql/typescript-modules';
import { columnSql, q, sequelizeColumn, type Column } from './builder-ddl';
import type { SchemaStatement } from './workspace-schema';

export interface SequelizeSourceFile {
  abs: string;
  rel: string;
  text: string;
}

export function mayDeclareSequelizeModels(text: string): boolean {
  return /\bDataTypes\b|\bSequelize\.[A-Z]/.test(text) && /\.init\s*\(|\.define\s*\(/.test(text);
}

export function sequelizeDdl(files: readonly SequelizeSourceFile[], existing: ReadonlySet<string>): { statements: SchemaStatement[]; files: string[] } {
  const modules = TsModules.ofFiles(files);
  const models: Array<{ model: SequelizeModel; rel: string }> = [];
  for (const f of files) {
    for (const model of new SequelizeModels(f.abs, modules).modelsOf(f.abs)) models.push({ model, rel: f.rel });
  }
  const byName = new Map(models.map((m) => [m.model.name, m.model]));
  const made = new Map<SequelizeModel, { columns: Column[]; rel: string }>();
  for (const { model, rel } of models) {
    if (existing.has(model.table.toLowerCase()) || [...made.keys()].some((m) => m.table === model.table)) continue;
    const columns = model.attributes.map((a): Column => {
      // A type PerfLens does not map (ARRAY, RANGE, …) is stored as text.
      if (a.definition) return sequelizeColumn(a.column, a.definition) ?? { name: a.column, type: 'text', ...(a.primary ? { primary: true } : {}) };
      // What Sequelize adds: an integer id, timestamps.
      if (a.primary) return { name: a.column, type: 'serial', primary: true };
      return { name: a.column, type: 'timestamptz', notNull: a !== model.deletedAt };
    });
    made.set(model, { columns, rel });
  }
  const after: SchemaStatement[] = [];
  // Join tables Sequelize makes for belongsToMany (both sides name the same one).
  const joins = new Map<string, { columns: Column[]; rel: string }>();
  const foreignKey = (table: string, column: string, referenced: SequelizeModel, rel: string): void => {
    const pk = referenced.attributes.find((a) => a.primary)!;
    const sql = `ALTER TABLE ${q(table)} ADD FOREIGN KEY (${q(column)}) REFERENCES ${q(referenced.table)} (${q(pk.column)});`;
    if (!after.some((s) => s.sql === sql)) after.push({ sql, source: rel });
  };
  for (const [model, { rel }] of made) {
    for (const assoc of model.associations) {
      const target = byName.get(assoc.target);
      if (!target) continue;
      if (assoc.kind === 'belongsToMany') {
        const through = throughTable(model, assoc, target, (n) => byName.get(n));
        if (!through || existing.has(through.table.toLowerCase())) continue;
        const columns = madeThroughColumns(through, model.underscored);
        const keys: Column[] = columns.keys.map((name) => ({ name, type: 'integer', notNull: true }));
        const own = through.model && made.get(through.model);
        if (own) {
          for (const k of keys) if (!own.columns.some((c) => c.name === k.name)) own.columns.push(k);
        } else if (!through.model && !joins.has(through.table)) {
          const stamps: Column[] = columns.timestamps.map((name) => ({ name, type: 'timestamptz', notNull: true }));
          joins.set(through.table, { columns: [...stamps, ...keys.map((k) => ({ ...k, primary: true }))], rel });
        }
        if (own || !through.model) {
          foreignKey(through.table, through.sourceColumn, model, rel);
          foreignKey(through.table, through.targetColumn, target, rel);
        }
        continue;
      }
      const key = associationKey(model, assoc, target);
      const referenced = key.owner === model ? target : model;
      const owned = made.get(key.owner);
      if (owned && !owned.columns.some((c) => c.name === key.column)) owned.columns.push({ name: key.column, type: 'integer' });
      // Both sides of a relation (belongsTo and hasMany) name the same key: added once.
      if (owned || existing.has(key.owner.table.toLowerCase())) foreignKey(key.owner.table, key.column, referenced, rel);
    }
  }
  // The models' `indexes` (fields are attribute names, or column names).
  for (const [model, { columns, rel }] of made) {
    for (const ix of model.indexes) {
      const cols = ix.map((f) => model.attributes.find((a) => a.name === f)?.column ?? (columns.some((c) => c.name === f) || !model.underscored ? f : inflectUnderscore(f)));
      after.push({ sql: `CREATE INDEX ON ${q(model.table)} (${cols.map(q).join(', ')});`, source: rel });
    }
  }
  const creates: SchemaStatement[] = [];
  for (const [table, { columns, rel }] of [...[...made].map(([m, v]) => [m.table, v] as const), ...joins]) {
    const primary = columns.filter((c) => c.primary).map((c) => q(c.name));
    const lines = columns.map(columnSql);
    if (primary.length) lines.push(`PRIMARY KEY (${primary.join(', ')})`);
    creates.push({ sql: `CREATE TABLE ${q(table)} (\n  ${lines.join(',\n  ')}\n);`, source: rel });
  }
  const used = new Set([...made.values()].map((m) => m.rel));
  return { statements: [...creates, ...after], files: files.filter((f) => used.has(f.rel)).map((f) => f.rel) };
}

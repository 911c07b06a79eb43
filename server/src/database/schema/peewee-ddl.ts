/**
 * Peewee models → the PostgreSQL DDL `db.create_tables([...])` runs for them: each table with its
 * columns and inline FOREIGN KEY constraints, referenced tables first (Peewee sorts the models the
 * same way), then the indexes of foreign keys, `index=True`/`unique=True` fields and `Meta.indexes`.
 */
import { peeweeColumns, peeweeIndexName, peeweeTables, type PeeweeModule, type PeeweeTable } from './peewee-tables';
import { quoteName as q } from '../orm-sql/sql-builder';
import type { SchemaStatement } from './workspace-schema';

export function peeweeDdl(modules: readonly PeeweeModule[], peeweeSources: ReadonlySet<string>): SchemaStatement[] {
  const tables = peeweeTables(modules, { peeweeSources });
  const byClass = new Map(tables.map((t) => [t.className, t]));
  const tablesOut: SchemaStatement[] = [];
  const indexes: SchemaStatement[] = [];
  for (const t of dependencyOrder(tables, byClass)) {
    const lines: string[] = [];
    const constraints: string[] = [];
    if (t.compositeKey) {
      const columns = peeweeColumns(t, t.compositeKey);
      if (columns) constraints.push(`PRIMARY KEY (${columns.map(q).join(', ')})`);
    }
    for (const f of t.fields) {
      let line = `${q(f.column)} ${f.type}`;
      if (!f.nullable || f.primaryKey) line += ' NOT NULL';
      if (f.primaryKey) line += ' PRIMARY KEY';
      lines.push(line);
      const ref = f.references;
      const target = ref && byClass.get(ref.model);
      if (!ref || !target) continue;
      const referenced = ref.attribute ? target.fields.find((x) => x.attribute === ref.attribute) : target.fields.find((x) => x.primaryKey);
      if (!referenced) continue;
      let fk = `FOREIGN KEY (${q(f.column)}) REFERENCES ${q(target.table)} (${q(referenced.column)})`;
      if (ref.onDelete) fk += ` ON DELETE ${ref.onDelete}`;
      if (ref.onUpdate) fk += ` ON UPDATE ${ref.onUpdate}`;
      constraints.push(fk);
    }
    tablesOut.push({ sql: `CREATE TABLE ${q(t.table)} (${[...lines, ...constraints].join(', ')});`, source: t.source });
    const add = (columns: string[], unique: boolean) =>
      indexes.push({ sql: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${q(peeweeIndexName(t, columns))} ON ${q(t.table)} (${columns.map(q).join(', ')});`, source: t.source });
    for (const f of t.fields) if (!f.primaryKey && (f.index || f.unique)) add([f.column], f.unique);
    for (const i of t.indexes) {
      const columns = peeweeColumns(t, i.attributes);
      if (columns) add(columns, i.unique);
    }
  }
  return [...tablesOut, ...indexes];
}

/** Referenced tables before the tables that reference them (a cycle keeps the declaration order). */
function dependencyOrder(tables: readonly PeeweeTable[], byClass: ReadonlyMap<string, PeeweeTable>): PeeweeTable[] {
  const out: PeeweeTable[] = [];
  const state = new Map<PeeweeTable, 'visiting' | 'done'>();
  const visit = (t: PeeweeTable): void => {
    if (state.has(t)) return;
    state.set(t, 'visiting');
    for (const f of t.fields) {
      const target = f.references && byClass.get(f.references.model);
      if (target && target !== t) visit(target);
    }
    state.set(t, 'done');
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

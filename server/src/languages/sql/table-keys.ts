/**
 * What a `CREATE TABLE` or `ALTER TABLE … ADD` says about keys: its foreign keys, and the indexes
 * the database makes on its own for PRIMARY KEY and UNIQUE constraints. The unindexed-foreign-key
 * rule compares the two (with the CREATE INDEX statements of the workspace).
 */
import type { Node } from 'sql-parser-cst';
import type { ForeignKeyFact, SqlDialect, SqlDropFact } from '../facts';
import { columnName, rangeOf } from './cst';

export interface TableKeys {
  /** The table as written (`posts`, `"Post"`, `public.posts`), and its bare name (`Post`). */
  table: { text: string; name: string };
  /** Column lists of PRIMARY KEY and UNIQUE constraints, as bare names. */
  keys: string[][];
  foreignKeys: ForeignKeyFact[];
}

/**
 * The keys of a CREATE TABLE or ALTER TABLE statement. `sql` is the statement's text, `at` its
 * offset in the file (spans are file offsets); `end` where the statement ends, after its `;`.
 */
export function tableKeys(stmt: Node, sql: string, at: number, end: number, dialect: SqlDialect): TableKeys | undefined {
  let tableNode: Node | undefined = stmt.type === 'create_table_stmt' ? stmt.name : stmt.type === 'alter_table_stmt' ? stmt.table : undefined;
  // `ALTER TABLE ONLY posts …`, as pg_dump and Rails' structure.sql write it.
  if (tableNode?.type === 'table_without_inheritance') tableNode = tableNode.table;
  const name = tableNode && columnName(tableNode);
  if (!tableNode || !name) return undefined;
  const text = (n: Node) => {
    const [s, e] = rangeOf(n);
    return sql.slice(s, e);
  };
  const table = { text: text(tableNode), name };
  const out: TableKeys = { table, keys: [], foreignKeys: [] };
  const names = (list: Node | undefined): Array<{ name: string; text: string }> | undefined => {
    if (list?.type !== 'paren_expr' || list.expr.type !== 'list_expr') return undefined;
    const cols: Array<{ name: string; text: string }> = [];
    for (const item of list.expr.items as Node[]) {
      const id = item.type === 'index_specification' ? item.expr : item;
      const n = columnName(id);
      // An expression in a key: not a plain column list.
      if (!n) return undefined;
      cols.push({ name: n, text: text(id) });
    }
    return cols;
  };
  const foreignKey = (columns: Array<{ name: string; text: string }> | undefined, references: Node, report: Node, constraint?: string): void => {
    if (!columns?.length || references.type !== 'references_specification') return;
    const ref = columnName(references.table);
    if (!ref) return;
    const [s, e] = rangeOf(report);
    out.foreignKeys.push({
      start: at + s,
      end: at + e,
      table,
      columns: columns.map((c) => c.name),
      columnTexts: columns.map((c) => c.text),
      refTable: ref,
      insertAt: end,
      dialect,
      ...(constraint ? { name: constraint } : {}),
    });
  };
  // A table constraint, named (`CONSTRAINT fk FOREIGN KEY …`) or not; `named`: the name ALTER TABLE … ADD CONSTRAINT gives it.
  const tableConstraint = (c: Node, named?: string): void => {
    const inner = c.type === 'constraint' ? c.constraint : c;
    const constraint = named ?? constraintName(c);
    if (inner.type === 'constraint_primary_key' || inner.type === 'constraint_unique') {
      const cols = names(inner.columns as Node | undefined);
      if (cols?.length) out.keys.push(cols.map((x) => x.name));
    } else if (inner.type === 'constraint_foreign_key') foreignKey(names(inner.columns), inner.references, inner.references, constraint);
  };
  if (stmt.type === 'create_table_stmt') {
    const list = stmt.columns;
    if (list?.type !== 'paren_expr' || list.expr.type !== 'list_expr') return out;
    for (const item of list.expr.items as Node[]) {
      if (item.type !== 'column_definition') {
        tableConstraint(item);
        continue;
      }
      const column = { name: item.name.name, text: text(item.name) };
      for (const c of item.constraints as Node[]) {
        const inner = c.type === 'constraint' ? c.constraint : c;
        if (inner.type === 'constraint_primary_key' || inner.type === 'constraint_unique') out.keys.push([column.name]);
        else if (inner.type === 'references_specification') foreignKey([column], inner, inner, constraintName(c));
      }
    }
  } else if (stmt.type === 'alter_table_stmt') {
    const actions = stmt.actions as Node;
    const items = actions.type === 'list_expr' ? (actions.items as Node[]) : [actions];
    for (const action of items) {
      if (action.type === 'alter_action_add_constraint') tableConstraint(action.constraint, action.name ? columnName(action.name.name) : undefined);
      else if (action.type === 'alter_action_add_column') {
        const def = action.column as Node;
        if (def.type !== 'column_definition') continue;
        for (const c of def.constraints as Node[]) {
          const inner = c.type === 'constraint' ? c.constraint : c;
          if (inner.type === 'references_specification') foreignKey([{ name: def.name.name, text: text(def.name) }], inner, inner, constraintName(c));
          else if (inner.type === 'constraint_primary_key' || inner.type === 'constraint_unique') out.keys.push([def.name.name]);
        }
      }
    }
  }
  return out;
}

/** The name of a constraint written `CONSTRAINT name …`. */
function constraintName(c: Node): string | undefined {
  return c.type === 'constraint' && c.name?.name ? columnName(c.name.name) : undefined;
}

/**
 * What a DROP TABLE or an ALTER TABLE's DROP COLUMN and DROP CONSTRAINT actions drop, by table
 * (bare names); `at` is the statement's offset in the file.
 */
/** The indexes a `DROP INDEX` names, with the table MySQL's form names (`DROP INDEX idx ON posts`). */
export function droppedIndexes(stmt: Node): Array<{ index: string; table?: string }> {
  if (stmt.type !== 'drop_index_stmt') return [];
  const list = stmt.indexes as Node | undefined;
  const table = stmt.table ? columnName(stmt.table as Node) : undefined;
  const out: Array<{ index: string; table?: string }> = [];
  for (const n of list ? (list.type === 'list_expr' ? (list.items as Node[]) : [list]) : []) {
    const index = columnName(n);
    if (index) out.push(table ? { index, table } : { index });
  }
  return out;
}

export function tableDrops(stmt: Node, at: number): Array<{ table: string; drop: SqlDropFact }> {
  const out: Array<{ table: string; drop: SqlDropFact }> = [];
  if (stmt.type === 'drop_table_stmt') {
    const tables = stmt.tables as Node;
    for (const t of tables.type === 'list_expr' ? (tables.items as Node[]) : [tables]) {
      const table = columnName(t);
      if (table) out.push({ table, drop: { at, table: true } });
    }
  } else if (stmt.type === 'alter_table_stmt') {
    let tableNode: Node = stmt.table;
    if (tableNode.type === 'table_without_inheritance') tableNode = tableNode.table;
    const table = columnName(tableNode);
    if (!table) return out;
    const actions = stmt.actions as Node;
    for (const action of actions.type === 'list_expr' ? (actions.items as Node[]) : [actions]) {
      const column = action.type === 'alter_action_drop_column' ? columnName(action.column) : undefined;
      const constraint = action.type === 'alter_action_drop_constraint' ? columnName(action.constraint) : undefined;
      if (column) out.push({ table, drop: { at, column } });
      else if (constraint) out.push({ table, drop: { at, constraint } });
    }
  }
  return out;
}

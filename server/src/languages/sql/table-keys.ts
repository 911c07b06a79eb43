/**
 * What a `CREATE TABLE` or `ALTER TABLE … ADD` says about keys: its foreign keys, and the indexes
 * the database makes on its own for PRIMARY KEY and UNIQUE constraints. The unindexed-foreign-key
 * rule compares the two (with the CREATE INDEX statements of the workspace).
 */
import type { Node } from 'sql-parser-cst';
import type { ForeignKeyFact, SqlDialect } from '../facts';
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
  const foreignKey = (columns: Array<{ name: string; text: string }> | undefined, references: Node, report: Node): void => {
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
    });
  };
  // A table constraint, named (`CONSTRAINT fk FOREIGN KEY …`) or not.
  const tableConstraint = (c: Node): void => {
    const inner = c.type === 'constraint' ? c.constraint : c;
    if (inner.type === 'constraint_primary_key' || inner.type === 'constraint_unique') {
      const cols = names(inner.columns as Node | undefined);
      if (cols?.length) out.keys.push(cols.map((x) => x.name));
    } else if (inner.type === 'constraint_foreign_key') foreignKey(names(inner.columns), inner.references, inner.references);
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
        else if (inner.type === 'references_specification') foreignKey([column], inner, inner);
      }
    }
  } else if (stmt.type === 'alter_table_stmt') {
    const actions = stmt.actions as Node;
    const items = actions.type === 'list_expr' ? (actions.items as Node[]) : [actions];
    for (const action of items) {
      if (action.type === 'alter_action_add_constraint') tableConstraint(action.constraint);
      else if (action.type === 'alter_action_add_column') {
        const def = action.column as Node;
        if (def.type !== 'column_definition') continue;
        for (const c of def.constraints as Node[]) {
          const inner = c.type === 'constraint' ? c.constraint : c;
          if (inner.type === 'references_specification') foreignKey([{ name: def.name.name, text: text(def.name) }], inner, inner);
          else if (inner.type === 'constraint_primary_key' || inner.type === 'constraint_unique') out.keys.push([def.name.name]);
        }
      }
    }
  }
  return out;
}

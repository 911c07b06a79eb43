/**
 * A `CREATE TABLE` without its foreign keys: what the embedded database makes of a table whose
 * keys it cannot make (a referenced table that no source of the schema defines, a referenced
 * column that is not unique there). The table, its columns and its other constraints are what the
 * queries need; a table lost for one key would fail every query that reads it.
 */
import { parse, type Node } from 'sql-parser-cst';

type Range = [number, number];

/** The statement without its foreign keys; undefined when it is not a CREATE TABLE or has none. */
export function withoutForeignKeys(sql: string): string | undefined {
  let statement: Node | undefined;
  try {
    statement = parse(sql, { dialect: 'postgresql', includeRange: true }).statements[0];
  } catch {
    return undefined;
  }
  if (statement?.type !== 'create_table_stmt' || statement.columns?.type !== 'paren_expr') return undefined;
  const items = (statement.columns.expr as { items?: Node[] }).items ?? [];
  const cuts: Range[] = [];
  const isKey = (n: Node): boolean => n.type === 'constraint_foreign_key' || n.type === 'references_specification' || (n.type === 'constraint' && isKey(n.constraint as Node));
  const kept = items.filter((item) => !isKey(item));
  items.forEach((item, i) => {
    if (isKey(item)) {
      // The item and the comma before it (after it, for the first).
      const next = items[i + 1];
      const prev = items[i - 1];
      cuts.push(prev ? [prev.range![1], item.range![1]] : next ? [item.range![0], next.range![0]] : item.range!);
    } else if (item.type === 'column_definition') {
      for (const c of item.constraints) if (isKey(c)) cuts.push([c.range![0], c.range![1]]);
    }
  });
  if (cuts.length === 0 || kept.length === 0) return undefined;
  let out = sql;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) {
    const left = out.slice(0, start).trimEnd();
    const right = out.slice(end).trimStart();
    out = left + (/[\w"]$/.test(left) && /^[\w"]/.test(right) ? ' ' : '') + right;
  }
  return out;
}

/**
 * SQLite's `EXPLAIN QUERY PLAN` rows (id, parent, detail) → the plan shape every database's plan
 * takes here (the keys of PostgreSQL's JSON plan, which `normalisePlan` reads). Each node's type and
 * label is SQLite's own line (`SCAN posts`, `SEARCH posts USING INDEX posts_author_id (author_id=?)`,
 * `USE TEMP B-TREE FOR ORDER BY`). SQLite gives no row estimates: a full scan gets the table's row
 * count (and that as its cost, so the summary names the biggest scan); other nodes get none.
 */
import type { RawPlan } from './connector';

export interface SqlitePlanRow {
  id: number;
  parent: number;
  detail: string;
}

export interface SqliteScan {
  /** The name SQLite prints: the table, or its alias in the statement. */
  name: string;
  index?: string;
  condition?: string;
  /** SCAN without an index: every row of the table. */
  full: boolean;
  covering: boolean;
}

/** `SCAN p`, `SEARCH posts USING COVERING INDEX idx (a=? AND b>?)`, `SEARCH a USING INTEGER PRIMARY KEY (rowid=?)`. */
export function parseScan(detail: string): SqliteScan | undefined {
  const m = /^(SCAN|SEARCH) (?:TABLE )?("[^"]+"|\S+)(?: AS (\S+))?(?: USING (.*))?$/.exec(detail);
  if (!m || m[2].startsWith('(') || m[2] === 'CONSTANT') return undefined;
  const using = m[4] ?? '';
  const index = /(?:^|\s)INDEX ([^\s(]+)/.exec(using)?.[1] ?? (/PRIMARY KEY/.test(using) ? 'PRIMARY KEY' : undefined);
  const condition = /\((.*)\)$/.exec(using)?.[1];
  return {
    name: (m[3] ?? m[2]).replace(/^"|"$/g, ''),
    ...(index ? { index } : {}),
    ...(condition ? { condition } : {}),
    full: m[1] === 'SCAN' && !using,
    covering: /COVERING/.test(using),
  };
}

export interface SqlitePlanContext {
  /** Alias → table, from the statement. */
  aliases: ReadonlyMap<string, string>;
  /** Rows per table. */
  tableRows: ReadonlyMap<string, number>;
  /** EXPLAIN ANALYZE's stand-in: the statement run once, its rows and time. */
  actual?: { rows: number; ms: number };
}

export function sqlitePlan(rows: readonly SqlitePlanRow[], ctx: SqlitePlanContext): RawPlan {
  const nodes = new Map<number, Record<string, unknown> & { Plans: Array<Record<string, unknown>> }>();
  const top: Array<Record<string, unknown>> = [];
  for (const row of rows) {
    const node: Record<string, unknown> & { Plans: Array<Record<string, unknown>> } = { 'Node Type': row.detail, Label: row.detail, 'Plan Rows': 0, 'Startup Cost': 0, 'Total Cost': 0, Plans: [] };
    const scan = parseScan(row.detail);
    if (scan) {
      const table = ctx.aliases.get(scan.name) ?? scan.name;
      if (ctx.tableRows.has(table)) {
        node['Relation Name'] = table;
        if (table !== scan.name) node.Alias = scan.name;
        if (scan.full || (scan.covering && !scan.condition)) {
          const n = ctx.tableRows.get(table)!;
          node['Plan Rows'] = n;
          node['Total Cost'] = n;
        }
      }
      if (scan.index) node['Index Name'] = scan.index;
      if (scan.condition) node['Index Cond'] = scan.condition;
    }
    nodes.set(row.id, node);
    const parent = nodes.get(row.parent);
    if (parent) parent.Plans.push(node);
    else top.push(node);
  }
  for (const node of nodes.values()) {
    const children = node.Plans.reduce((sum, c) => sum + Number(c['Total Cost']), 0);
    node['Total Cost'] = Number(node['Total Cost']) + children;
  }
  const root: Record<string, unknown> =
    top.length === 1 ? top[0] : { 'Node Type': 'QUERY PLAN', Label: 'QUERY PLAN', 'Plan Rows': 0, 'Startup Cost': 0, 'Total Cost': top.reduce((s, c) => s + Number(c['Total Cost']), 0), Plans: top };
  const raw: RawPlan = { Plan: root };
  if (ctx.actual) {
    // SQLite measures only the whole statement: the root carries it, and its "estimate" is what ran (no misestimate to report).
    root['Actual Rows'] = ctx.actual.rows;
    root['Plan Rows'] = ctx.actual.rows;
    root['Actual Loops'] = 1;
    root['Actual Startup Time'] = 0;
    root['Actual Total Time'] = ctx.actual.ms;
    raw['Execution Time'] = ctx.actual.ms;
  }
  return raw;
}

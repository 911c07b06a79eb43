/**
 * Values for a statement's `$1 … $n`, so that a query copied from code can be explained as is. A
 * parameter compared to a column gets a value sampled from that column (a real key, so the plan
 * is the one a real request gets); the others get a default of the type PostgreSQL infers, with
 * LIMIT 20 and OFFSET 0.
 */
import type { Node } from 'sql-parser-cst';
import { isParsed, parseStatement } from '../languages/sql/parse';
import { rangeOf, walk } from '../languages/sql/cst';
import type { Connector } from './connector';

export interface ParameterSite {
  /** The column the parameter is compared to, as written (`p.author_id` → column `author_id`, qualifier `p`). */
  column?: string;
  qualifier?: string;
  clause?: 'limit' | 'offset';
}

export interface StatementParameters {
  /** Highest `$n` in the statement. */
  count: number;
  sites: Map<number, ParameterSite>;
  /** Tables the statement reads, as written, with their aliases. */
  tables: Array<{ text: string; alias?: string }>;
}

export interface FilledParameters {
  values: unknown[];
  /** Where each value came from: `sampled from posts.author_id`, `default integer`. */
  sources: string[];
}

export function statementParameters(sql: string): StatementParameters {
  const sites = new Map<number, ParameterSite>();
  const tables: Array<{ text: string; alias?: string }> = [];
  let count = 0;
  for (const m of sql.matchAll(/\$(\d+)/g)) count = Math.max(count, Number(m[1]));
  const parsed = parseStatement(sql, ['postgresql']);
  if (!isParsed(parsed)) return { count, sites, tables };
  const text = (n: Node): string => sql.slice(...rangeOf(n));
  walk(parsed.program, (node) => {
    switch (node.type) {
      case 'binary_expr':
        compare(node.left, node.right);
        compare(node.right, node.left);
        break;
      case 'between_expr':
        compare(node.begin, node.left);
        compare(node.end, node.left);
        break;
      case 'limit_clause':
        if (node.count) mark(node.count, { clause: 'limit' });
        if (node.offset) mark(node.offset, { clause: 'offset' });
        break;
      case 'offset_clause':
        mark(node.offset, { clause: 'offset' });
        break;
      case 'from_clause':
        collectTables(node.expr, tables, text);
        break;
      // The table an UPDATE or DELETE filters: its WHERE's parameters are sampled from it. (The
      // values it sets are not compared, so not sampled: another row's value of a unique column would collide.)
      case 'update_clause':
      case 'delete_clause':
        for (const t of node.tables.items) collectTables(t, tables, text);
        break;
      default:
    }
  });
  return { count, sites, tables };

  function compare(param: Node, other: Node): void {
    const column = columnOf(other);
    if (!column) return;
    // `id IN ($1, $2)`: every parameter of the list compares to the column.
    const items = param.type === 'paren_expr' && param.expr.type === 'list_expr' ? param.expr.items : [param];
    for (const item of items) mark(item, column);
  }

  function mark(node: Node, site: ParameterSite): void {
    if (node.type !== 'parameter') return;
    const index = Number(node.text.slice(1));
    if (Number.isInteger(index) && !sites.has(index)) sites.set(index, site);
  }

  function columnOf(node: Node): ParameterSite | undefined {
    if (node.type === 'identifier') return { column: text(node) };
    if (node.type === 'member_expr' && node.property.type === 'identifier') return { column: text(node.property), qualifier: text(node.object) };
    return undefined;
  }
}

function collectTables(expr: Node, out: Array<{ text: string; alias?: string }>, text: (n: Node) => string): void {
  switch (expr.type) {
    case 'join_expr':
      collectTables(expr.left, out, text);
      collectTables(expr.right, out, text);
      return;
    case 'alias':
      if (expr.expr.type === 'identifier' || expr.expr.type === 'member_expr') out.push({ text: text(expr.expr), alias: text(expr.alias) });
      return;
    case 'identifier':
    case 'member_expr':
      out.push({ text: text(expr) });
      return;
    default:
  }
}

export async function fillParameters(connector: Connector, sql: string, timeoutMs?: number): Promise<FilledParameters> {
  const info = statementParameters(sql);
  if (info.count === 0) return { values: [], sources: [] };
  const types = await connector.describeParams(sql, { timeoutMs }).catch(() => [] as string[]);
  const values: unknown[] = [];
  const sources: string[] = [];
  for (let i = 1; i <= info.count; i++) {
    const site = info.sites.get(i) ?? {};
    const type = types[i - 1] ?? 'unknown';
    const sampled = site.column ? await sample(connector, site, info.tables, timeoutMs) : undefined;
    if (sampled) {
      values.push(sampled.value);
      sources.push(`sampled from ${sampled.from}`);
    } else {
      values.push(typedDefault(type, site.clause));
      sources.push(site.clause ? `default ${site.clause.toUpperCase()}` : `default ${type}`);
    }
  }
  return { values, sources };
}

async function sample(connector: Connector, site: ParameterSite, tables: StatementParameters['tables'], timeoutMs?: number): Promise<{ value: unknown; from: string } | undefined> {
  // A qualified column names its table (or alias); an unqualified one may be in any of them.
  const candidates = site.qualifier ? tables.filter((t) => t.alias === site.qualifier || t.text === site.qualifier) : tables;
  for (const table of candidates) {
    try {
      const result = await connector.run(`SELECT ${site.column} AS v FROM ${table.text} WHERE ${site.column} IS NOT NULL ORDER BY ${connector.randomFunction ?? 'random()'} LIMIT 1`, { timeoutMs });
      if (result.rows.length > 0) return { value: result.rows[0].v, from: `${bareName(table.text)}.${bareName(site.column ?? '')}` };
    } catch {
      // Not this table's column (or a table the database lacks): try the next one, then a default.
    }
  }
  return undefined;
}

/** A value of the parameter's type; LIMIT and OFFSET get a page's worth from the start. */
export function typedDefault(type: string, clause?: 'limit' | 'offset'): unknown {
  if (clause === 'limit') return 20;
  if (clause === 'offset') return 0;
  if (type.endsWith('[]')) return '{}';
  if (/^(smallint|integer|bigint|numeric|real|double precision|decimal)/.test(type)) return 1;
  if (type === 'boolean') return true;
  if (/^(timestamp|date)/.test(type)) return new Date().toISOString();
  if (/^time/.test(type)) return '00:00:00';
  if (type === 'uuid') return '00000000-0000-0000-0000-000000000000';
  if (/^jsonb?$/.test(type)) return '{}';
  // Drivers take binary values as bytes (PGlite refuses a string for bytea).
  if (type === 'bytea') return new Uint8Array([0]);
  return 'a';
}

/** `"tweet"` → tweet: quotes only where the name needs them (`"Post"` keeps its capital). */
function bareName(name: string): string {
  return /^"[a-z_][a-z0-9_]*"$/.test(name) ? name.slice(1, -1) : name;
}

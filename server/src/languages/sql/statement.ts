/**
 * One parsed statement → its facts: the tables it reads and, when a SELECT in it (top level, CTE
 * or sub-query) pages with an offset, the pagination and the places a keyset rewrite edits.
 * Every span is a file offset, through the statement's source map.
 */
import type { Expr, LimitClause, Node, OffsetClause, SelectStmt, Statement } from 'sql-parser-cst';
import type { Span } from '../../engine/finding';
import type { OrderKey, PaginationFact, SqlDialect, SqlStatementFact, ValueFact } from '../facts';
import { columnName, foldNumber, fromTables, qualifierOf, rangeOf, unparen, walk } from './cst';
import type { SqlSourceMap } from './source-map';

/** How the statement writes bind parameters, so that a rewrite adds new ones the same way. */
export type ParamStyle =
  | { kind: 'dollar'; next: number } // $1, $2 … (node-postgres, asyncpg)
  | { kind: 'named'; prefix: ':' | '@' | '$' } // :name, @name, $name
  | { kind: 'qmark' } // ? (mysql2, sqlite3, JDBC)
  | { kind: 'pyformat' } // %s (psycopg, MySQLdb)
  | { kind: 'pyformat-named' } // %(name)s
  | { kind: 'interpolation' }; // ${name} in a tagged template (sql``, $queryRaw``), whose values are bound

/** Where a keyset rewrite of the paginated SELECT edits, in file offsets. */
export interface KeysetSites {
  /** What to report: `OFFSET $2`, `LIMIT ?, ?`. */
  report: Span;
  /** Table the SELECT reads first, for the index the keyset query needs. */
  table?: string;
  /**
   * The ORDER BY expressions as written (`p.created_at`), parallel to `pagination.orderBy`.
   * Undefined when the SELECT cannot be rewritten by editing WHERE and ORDER BY: a key that is an
   * expression or a position, an interpolated key, GROUP BY/DISTINCT/UNION, or no FROM table.
   */
  orderExprs?: string[];
  /** Qualifier for the `id` tie-breaker when the SELECT joins (`p` of `posts p JOIN …`). */
  tieQualifier?: string;
  /** Existing WHERE condition, and whether a top-level OR must be parenthesised before AND. */
  where?: { start: number; end: number; hasOr: boolean };
  /** Where ` WHERE …` goes when there is none: after the FROM clause. */
  whereInsert: number;
  /** End of the last ORDER BY key, to append the tie-breaker. */
  orderByEnd?: number;
  /** Where ` ORDER BY …` goes when there is none: before LIMIT/OFFSET. */
  orderByInsert: number;
  params: ParamStyle;
}

export interface SqlStatement extends SqlStatementFact {
  keyset?: KeysetSites;
}

export function hasKeysetSites(s: SqlStatementFact): s is SqlStatement & { keyset: KeysetSites; pagination: PaginationFact } {
  return (s as SqlStatement).keyset !== undefined && s.pagination !== undefined;
}

interface OffsetSite {
  select: SelectStmt;
  clause: OffsetClause | LimitClause;
  offset: Expr;
  compoundRight: boolean;
}

export function statementFact(
  stmt: Statement,
  sql: string,
  map: SqlSourceMap,
  dialect: SqlDialect,
  host: 'file' | 'string',
): SqlStatement {
  const [s, e] = rangeOf(stmt);
  const tables: string[] = [];
  const offsets: OffsetSite[] = [];
  const params: string[] = [];
  walk(stmt, (node, parent) => {
    if (node.type === 'from_clause') {
      const found: Array<{ name: string }> = [];
      fromTables(node.expr, found);
      for (const t of found) if (!tables.includes(t.name)) tables.push(t.name);
    } else if (node.type === 'parameter' || node.type === 'variable') {
      const [ps, pe] = rangeOf(node);
      if (map.isLiteral(ps, pe)) params.push(node.text);
    } else if (node.type === 'select_stmt') {
      const site = offsetSite(node, parent?.type === 'compound_select_stmt' && parent.right === node);
      if (site) offsets.push(site);
    }
  });
  const fact: SqlStatement = { ...map.span(s, e), dialect, text: sql.slice(s, e), host, tables };
  const everyRow = everyRowOf(stmt, map, s, e);
  if (everyRow) fact.everyRow = everyRow;
  // One pagination per statement: the first offset that is not a constant is the one that grows.
  const site = offsets.find((o) => foldNumber(o.offset) === undefined) ?? offsets[0];
  if (site) {
    const built = pagination(site, sql, map, params);
    fact.pagination = built.pagination;
    fact.keyset = built.keyset;
  }
  return fact;
}

const AGGREGATES = /^(count|sum|avg|min|max|bool_and|bool_or|every|array_agg|string_agg|json_agg|jsonb_agg|group_concat|stddev|variance)$/i;

/** An aggregate column (`count(*)`, `max(id) AS m`): one row for the whole table. */
function isAggregate(column: Node): boolean {
  const expr = column.type === 'alias' ? column.expr : column;
  return expr.type === 'func_call' && expr.name.type === 'identifier' && AGGREGATES.test(expr.name.name);
}

/** SqlStatementFact.everyRow: a plain SELECT of a table's rows that nothing from code bounds. */
function everyRowOf(stmt: Statement, map: SqlSourceMap, s: number, e: number): SqlStatementFact['everyRow'] {
  if (stmt.type !== 'select_stmt' || !map.isLiteral(s, e)) return undefined;
  let from = false;
  let where = false;
  for (const c of stmt.clauses) {
    if (c.type === 'from_clause') from = true;
    else if (c.type === 'where_clause') where = true;
    else if (c.type === 'select_clause') {
      const columns = c.columns?.type === 'list_expr' ? c.columns.items : [];
      if (columns.length > 0 && columns.every(isAggregate)) return undefined;
    } else if (c.type !== 'order_by_clause' && c.type !== 'with_clause') return undefined;
  }
  if (!from) return undefined;
  let bound = false;
  walk(stmt, (node) => {
    if (node.type === 'parameter' || node.type === 'variable') bound = true;
  });
  if (bound) return undefined;
  return { filter: where ? 'constant' : 'none', limitAt: map.position(e, 'end') };
}

function offsetSite(select: SelectStmt, compoundRight: boolean): OffsetSite | undefined {
  for (const c of select.clauses) {
    if (c.type === 'offset_clause') return { select, clause: c, offset: c.offset, compoundRight };
    if (c.type === 'limit_clause' && c.offset) return { select, clause: c, offset: c.offset, compoundRight };
  }
  return undefined;
}

function pagination(site: OffsetSite, sql: string, map: SqlSourceMap, params: string[]): { pagination: PaginationFact; keyset: KeysetSites } {
  const { select, clause } = site;
  const text = (n: Node): string => sql.slice(rangeOf(n)[0], rangeOf(n)[1]);
  const clauses = select.clauses;
  const index = clauses.indexOf(clause);

  let kind: PaginationFact['kind'] = 'sql-offset';
  let limitExpr: Expr | undefined;
  let removal: [number, number];
  let report: [number, number];
  if (clause.type === 'offset_clause') {
    // Remove from the end of the clause before: `… ORDER BY id OFFSET $1 LIMIT 10` → `… ORDER BY id LIMIT 10`.
    removal = [rangeOf(clauses[index - 1] ?? clause)[1], rangeOf(clause)[1]];
    report = rangeOf(clause);
    const limit = clauses.find((c) => c.type === 'limit_clause' || c.type === 'fetch_clause');
    if (limit?.type === 'limit_clause' && limit.count && limit.count.type !== 'limit_all') limitExpr = limit.count;
    if (limit?.type === 'fetch_clause' && limit.count) limitExpr = limit.count;
  } else if (clause.offsetKw) {
    const count = clause.count && clause.count.type !== 'limit_all' ? clause.count : undefined;
    limitExpr = count;
    removal = [clause.count ? rangeOf(clause.count)[1] : rangeOf(clause.limitKw)[1], rangeOf(clause)[1]];
    report = [rangeOf(clause.offsetKw)[0], rangeOf(clause.offset!)[1]];
  } else {
    // MySQL `LIMIT offset, count` → `LIMIT count`.
    kind = 'sql-limit-comma';
    const count = clause.count && clause.count.type !== 'limit_all' ? clause.count : undefined;
    limitExpr = count;
    removal = [rangeOf(clause.offset!)[0], count ? rangeOf(count)[0] : rangeOf(clause.offset!)[1]];
    report = rangeOf(clause);
  }

  const from = clauses.find((c) => c.type === 'from_clause');
  const where = clauses.find((c) => c.type === 'where_clause');
  const orderBy = clauses.find((c) => c.type === 'order_by_clause');
  const keys: OrderKey[] = [];
  const exprs: Array<string | undefined> = [];
  if (orderBy?.type === 'order_by_clause') {
    for (const spec of orderBy.specifications.items) {
      const expr = spec.type === 'sort_specification' ? spec.expr : spec;
      const direction = spec.type === 'sort_specification' && spec.direction?.type === 'sort_direction_desc' ? 'desc' : 'asc';
      const name = columnName(expr);
      const [xs, xe] = rangeOf(expr);
      keys.push({ column: name ?? text(expr), direction });
      exprs.push(name && map.isLiteral(xs, xe) ? text(expr) : undefined);
    }
  }

  const tables: Array<{ name: string; alias?: string }> = [];
  if (from?.type === 'from_clause') fromTables(from.expr, tables);
  const grouped = clauses.some((c) => c.type === 'group_by_clause' || c.type === 'having_clause');
  const distinct = clauses.some((c) => c.type === 'select_clause' && c.modifiers.some((m) => m.type === 'select_distinct' || m.type === 'select_distinct_on'));
  // An interpolation read as an optional fragment (`${where}`) may itself hold WHERE or ORDER BY.
  const fragment = map.segments.some((seg) => seg.kind === 'hole' && seg.sqlStart === seg.sqlEnd);
  const rewritable = !fragment && from !== undefined && tables.length > 0 && !grouped && !distinct && !site.compoundRight && exprs.every((x) => x !== undefined);

  const beforeOrder = ['limit_clause', 'offset_clause', 'fetch_clause', 'for_clause', 'lock_in_share_mode_clause', 'into_table_clause'];
  const firstTail = clauses.findIndex((c) => beforeOrder.includes(c.type));
  const lastHead = clauses[(firstTail < 0 ? clauses.length : firstTail) - 1];
  const keyset: KeysetSites = {
    report: map.span(report[0], report[1]),
    table: tables[0]?.name,
    orderExprs: rewritable ? (exprs as string[]) : undefined,
    tieQualifier: tables.length > 1 ? (tables[0].alias ?? tables[0].name) : orderQualifier(orderBy),
    whereInsert: map.position(rangeOf(from ?? select)[1], 'end'),
    orderByInsert: map.position(rangeOf(lastHead ?? select)[1], 'end'),
    params: paramStyle(params, map),
  };
  if (where?.type === 'where_clause') {
    const [ws, we] = rangeOf(where.expr);
    keyset.where = { ...map.span(ws, we), hasOr: hasTopLevelOr(where.expr) };
  }
  if (orderBy?.type === 'order_by_clause') keyset.orderByEnd = map.position(rangeOf(orderBy)[1], 'end');

  const removalSpan = map.span(removal[0], removal[1]);
  return {
    keyset,
    pagination: {
      kind,
      offset: valueFact(site.offset, sql, map),
      limit: limitExpr ? valueFact(limitExpr, sql, map) : undefined,
      orderBy: keys,
      hasCursor: false,
      hasKeysetFilter: where?.type === 'where_clause' && hasKeysetFilter(where.expr, keys),
      offsetSpan: removalSpan,
    },
  };
}

/** `ORDER BY p.created_at` over one table: qualify `id` the same way (`p.id`). */
function orderQualifier(orderBy: Node | undefined): string | undefined {
  if (orderBy?.type !== 'order_by_clause') return undefined;
  for (const spec of orderBy.specifications.items) {
    const q = qualifierOf(spec.type === 'sort_specification' ? spec.expr : spec);
    if (q) return q;
  }
  return undefined;
}

function valueFact(expr: Expr, sql: string, map: SqlSourceMap): ValueFact {
  const [s, e] = rangeOf(expr);
  const hole = map.holeAt(s, e);
  if (hole) return { start: hole.fileStart, end: hole.fileEnd, text: hole.text, origin: 'parameter' };
  const span = map.span(s, e);
  const text = sql.slice(s, e);
  const constant = foldNumber(expr);
  if (constant !== undefined) return { ...span, text, origin: 'literal', constant };
  let inner: Node = unparen(expr);
  // `$1::int`, `CAST($1 AS int)`: still the parameter.
  if (inner.type === 'cast_operator_expr') inner = unparen(inner.left);
  else if (inner.type === 'cast_expr') inner = unparen(inner.args.expr.expr);
  const [is, ie] = rangeOf(inner);
  if (inner.type === 'parameter' || inner.type === 'variable' || map.holeAt(is, ie)) return { ...span, text, origin: 'parameter' };
  return { ...span, text, origin: 'computed' };
}

/** `a OR b` (MySQL also `a || b`) binds looser than the AND a rewrite appends. */
function hasTopLevelOr(expr: Expr): boolean {
  if (expr.type !== 'binary_expr') return false;
  const op = expr.operator;
  if (typeof op === 'string') return op === '||';
  return !Array.isArray(op) && op.type === 'keyword' && (op.name === 'OR' || op.name === 'XOR');
}

const COMPARISONS = new Set(['<', '>', '<=', '>=']);

/** `col > x`, `x < col`, `(a, b) < (x, y)` on an ordering column or `id`, under AND/OR. */
function hasKeysetFilter(expr: Node, keys: readonly OrderKey[]): boolean {
  const columns = new Set(['id', ...keys.map((k) => k.column)]);
  let found = false;
  walk(expr, (node) => {
    if (found || node.type !== 'binary_expr' || typeof node.operator !== 'string' || !COMPARISONS.has(node.operator)) return;
    for (const side of [node.left, node.right]) {
      const inner = unparen(side);
      const name = columnName(inner);
      if (name && columns.has(name)) found = true;
      if (side.type === 'paren_expr' && side.expr.type === 'list_expr') {
        if (side.expr.items.some((item) => columns.has(columnName(item as Node) ?? ''))) found = true;
      }
    }
  });
  return found;
}

function paramStyle(params: readonly string[], map: SqlSourceMap): ParamStyle {
  const dollars = params.filter((p) => /^\$\d+$/.test(p)).map((p) => Number(p.slice(1)));
  if (dollars.length > 0) return { kind: 'dollar', next: Math.max(...dollars) + 1 };
  const holes = map.segments.filter((s) => s.kind === 'hole').map((s) => s.text);
  if (holes.some((h) => /^%\(\w+\)s$/.test(h))) return { kind: 'pyformat-named' };
  if (holes.includes('%s')) return { kind: 'pyformat' };
  const named = params.find((p) => /^[:@$][A-Za-z_]/.test(p));
  if (named) return { kind: 'named', prefix: named[0] as ':' | '@' | '$' };
  if (params.includes('?')) return { kind: 'qmark' };
  return { kind: 'named', prefix: ':' };
}

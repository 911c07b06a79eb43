/**
 * offset-pagination over SQL: `OFFSET <expr>` and MySQL `LIMIT a, b` in `.sql` files and in SQL
 * strings of TS/Python code (their detectors call `detectSqlStatements`). The fix rewrites the
 * SELECT to keyset pagination: a row comparison on the ordering columns plus the `id`
 * tie-breaker in WHERE, the tie-breaker at the end of ORDER BY, and no offset.
 */
import type { Detection, Edit, Fix } from '../../engine/finding';
import type { DetectContext, Detector } from '../../engine/rule';
import type { OrderKey, PaginationFact, SqlStatementFact } from '../../languages/facts';
import type { SqlFacts } from '../../languages/sql/adapter';
import { hasKeysetSites, type KeysetSites, type ParamStyle } from '../../languages/sql/statement';
import { isGrowingOffset, keysetKeys, offsetMessage } from './keyset';

const TIE_BREAKER = 'id';

export const detectSql: Detector<SqlFacts> = (facts, ctx) => detectSqlStatements(facts.sql, ctx);

/**
 * For SQL in code whose parameters are interpolations (`sql\`…${x}…\``): the host language's
 * expressions for the keyset cursor's values, one per key, and the edits that bring them into
 * scope (a request's query string, or a new parameter of the function). Without it, or when it
 * answers nothing, the fix interpolates names of its own (`${afterId}`) for the user to declare.
 */
export type InterpolationCursor = (statement: SqlStatementFact, keys: readonly OrderKey[]) => { values: string[]; edits: Edit[] } | undefined;

export function detectSqlStatements(statements: readonly SqlStatementFact[], ctx: DetectContext, cursor?: InterpolationCursor): Detection[] {
  const out: Detection[] = [];
  for (const statement of statements) {
    const p = statement.pagination;
    if (!p || !isGrowingOffset(p)) continue;
    const keys = keysetKeys(p.orderBy, TIE_BREAKER);
    const sites = hasKeysetSites(statement) ? statement.keyset : undefined;
    // An index statement only for plain columns: `ORDER BY ts_rank(…)` gets the columns, not DDL.
    const table = keys.every((k) => /^\w+$/.test(k.column)) ? (sites?.table ?? statement.tables[0]) : undefined;
    const from = sites?.table ?? statement.tables[0];
    // A CREATE INDEX of the schema, or a Prisma model's @@index (its table is the model, its columns the fields, unless mapped).
    const cols = keys.map((k) => k.column);
    const existing = from ? (ctx.models?.indexOn(from, cols, 'sql') ?? ctx.models?.indexOn(from, cols, 'prisma')) : undefined;
    const message = offsetMessage({ query: from ? `SELECT … FROM ${from}` : 'SELECT …', offset: p.offset.text, table, keys, existing });
    const span = sites?.report ?? p.offsetSpan;
    const fix = sites ? keysetFix(p, keys, sites, statement, cursor) : undefined;
    out.push({ start: span.start, end: span.end, message, fixes: fix ? [fix] : [] });
  }
  return out;
}

function keysetFix(p: PaginationFact, keys: readonly OrderKey[], sites: KeysetSites, statement: SqlStatementFact, cursor?: InterpolationCursor): Fix | undefined {
  if (!sites.orderExprs) return undefined;
  const tie = sites.tieQualifier ? `${sites.tieQualifier}.${TIE_BREAKER}` : TIE_BREAKER;
  const exprs = keys.map((_, i) => sites.orderExprs![i] ?? tie);
  const host = sites.params.kind === 'interpolation' ? cursor?.(statement, keys) : undefined;
  const values = host ? host.values.map((v) => `\${${v}}`) : parameters(keys, sites.params, freedParams(statement, p));
  const predicate = keysetPredicate(keys, exprs, values);

  const inserts: Array<{ at: number; text: string }> = [];
  if (sites.where) {
    if (sites.where.hasOr) inserts.push({ at: sites.where.start, text: '(' });
    inserts.push({ at: sites.where.end, text: `${sites.where.hasOr ? ')' : ''} AND ${predicate}` });
  } else {
    inserts.push({ at: sites.whereInsert, text: ` WHERE ${predicate}` });
  }
  if (keys.length > p.orderBy.length) {
    // The tie-breaker makes the order total, so that the last row of a page is a unique cursor.
    const last = keys[keys.length - 1];
    const tieSort = `${tie}${last.direction === 'desc' ? ' DESC' : ''}`;
    if (sites.orderByEnd !== undefined) inserts.push({ at: sites.orderByEnd, text: `, ${tieSort}` });
    else inserts.push({ at: sites.orderByInsert, text: ` ORDER BY ${tieSort}` });
  }
  const removal: Edit = { start: p.offsetSpan.start, end: p.offsetSpan.end, newText: '' };
  const edits = [...mergeInserts(removal, inserts), ...(host?.edits ?? [])].sort((a, b) => a.start - b.start);
  const cols = keys.map((k) => k.column).join(', ');
  return { title: `Rewrite to keyset pagination on (${cols})`, applicability: 'unsafe', edits };
}

/**
 * Insertions at one offset become one edit (in the order they were made), and an insertion that
 * touches the removed offset joins that edit, so that no two edits share a position.
 */
function mergeInserts(removal: Edit, inserts: ReadonlyArray<{ at: number; text: string }>): Edit[] {
  const byOffset = new Map<number, string>();
  for (const i of inserts) byOffset.set(i.at, (byOffset.get(i.at) ?? '') + i.text);
  const edits: Edit[] = [];
  let prefix = '';
  let suffix = '';
  for (const [at, text] of byOffset) {
    if (at === removal.start) prefix += text;
    else if (at === removal.end) suffix += text;
    else edits.push({ start: at, end: at, newText: text });
  }
  edits.push({ ...removal, newText: prefix + removal.newText + suffix });
  return edits.sort((a, b) => a.start - b.start);
}

/**
 * `$n` that only the offset used: the keyset rewrite removes the offset, and a number left unused
 * would make PostgreSQL fail ("could not determine data type of parameter $2"), so the cursor takes
 * those numbers first.
 */
export function freedParams(statement: SqlStatementFact, p: PaginationFact): number[] {
  const uses = (text: string, n: number) => [...text.matchAll(/\$(\d+)/g)].filter((m) => Number(m[1]) === n).length;
  const inOffset = [...new Set([...p.offset.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))];
  // Freed: every use of the number in the statement is in the offset.
  return inOffset.filter((n) => uses(statement.text, n) === uses(p.offset.text, n)).sort((a, b) => a - b);
}

/** The `$n` numbers the keyset cursor gets, one per key: the offset's freed numbers, then new ones. */
export function cursorNumbers(count: number, style: ParamStyle, freed: readonly number[]): number[] {
  let next = style.kind === 'dollar' ? style.next : 1;
  return Array.from({ length: count }, (_, i) => freed[i] ?? next++);
}

/** One placeholder per key, written the way the statement already writes its parameters. */
function parameters(keys: readonly OrderKey[], style: ParamStyle, freed: readonly number[] = []): string[] {
  const numbers = cursorNumbers(keys.length, style, freed);
  return keys.map((k, i) => {
    const name = `after_${k.column.replace(/[^A-Za-z0-9_]/g, '_')}`;
    switch (style.kind) {
      case 'dollar': return `$${numbers[i]}`;
      case 'named': return `${style.prefix}${name}`;
      case 'qmark': return '?';
      case 'pyformat': return '%s';
      case 'pyformat-named': return `%(${name})s`;
      case 'interpolation': return `\${${name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}}`;
    }
  });
}

/**
 * Same direction on every key: one row comparison, `(created_at, id) < ($3, $4)`, which
 * PostgreSQL, MySQL and SQLite (3.15+) all support and can serve from one index.
 * Mixed directions have no row-comparison form: expand to `a < x OR (a = x AND b > y) …`.
 */
function keysetPredicate(keys: readonly OrderKey[], exprs: readonly string[], values: readonly string[]): string {
  const op = (k: OrderKey): string => (k.direction === 'desc' ? '<' : '>');
  if (keys.every((k) => k.direction === keys[0].direction)) {
    if (keys.length === 1) return `${exprs[0]} ${op(keys[0])} ${values[0]}`;
    return `(${exprs.join(', ')}) ${op(keys[0])} (${values.join(', ')})`;
  }
  const terms = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((_, j) => `${exprs[j]} = ${values[j]}`);
    const parts = [...equal, `${exprs[i]} ${op(k)} ${values[i]}`];
    return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
  });
  return `(${terms.join(' OR ')})`;
}

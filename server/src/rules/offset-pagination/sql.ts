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
 * How the values of SQL in a string reach the database when the call binds them, and what the call
 * must bind after the keyset rewrite.
 *
 * Positional (`pool.query(sql, [owner, offset])`, `cursor.execute(sql, (owner, n))`): the list must
 * hold, in order, the k-th value it held (`old`) or the cursor's i-th value (`cursor`; a cursor
 * value may come back, in `a < ? OR (a = ? AND b > ?)`). `dropped`: the values the rewrite no
 * longer binds (the offset's), where the cursor may be read from instead.
 *
 * Named (`session.execute(text(sql), {"offset": n})`, `.all({ offset })`): the values by name.
 * `used`: every name the statement binds (all must be among the values, or nothing is rewritten);
 * `dropped`: the names only the offset used; `added`: the cursor's new names, one per key.
 */
export type BoundParams = PositionalParams | NamedParams;

export interface PositionalParams {
  kind: 'positional';
  oldCount: number;
  plan: Array<{ old: number } | { cursor: number }>;
  dropped: number[];
}

export interface NamedParams {
  kind: 'named';
  used: string[];
  dropped: string[];
  added: string[];
}

/**
 * The host language's part of a keyset rewrite of SQL in code: the expressions of the cursor's
 * values, one per key, and the edits that bring them into scope (a request's query string, or a
 * new parameter of the function). For a tagged template (`sql\`…${x}…\``, `bound` undefined), the
 * values are interpolated; for values the call binds, the edits also rewrite the call's list of
 * values after `bound`. Undefined: no rewrite (the message's advice only).
 */
export type HostCursor = (statement: SqlStatementFact, keys: readonly OrderKey[], bound?: BoundParams) => { values: string[]; edits: Edit[] } | undefined;

export function detectSqlStatements(statements: readonly SqlStatementFact[], ctx: DetectContext, cursor?: HostCursor): Detection[] {
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
    const fix = sites ? keysetFix(p, keys, sites, statement, ctx.file.text, cursor) : undefined;
    out.push({ start: span.start, end: span.end, message, fixes: fix ? [fix] : [] });
  }
  return out;
}

function keysetFix(p: PaginationFact, keys: readonly OrderKey[], sites: KeysetSites, statement: SqlStatementFact, text: string, cursor?: HostCursor): Fix | undefined {
  if (!sites.orderExprs) return undefined;
  const tie = sites.tieQualifier ? `${sites.tieQualifier}.${TIE_BREAKER}` : TIE_BREAKER;
  const exprs = keys.map((_, i) => sites.orderExprs![i] ?? tie);
  const predicateAt = sites.where ? sites.where.end : sites.whereInsert;
  let host: ReturnType<HostCursor>;
  let values: string[];
  if (sites.params.kind === 'interpolation') {
    host = cursor?.(statement, keys);
    values = host ? host.values.map((v) => `\${${v}}`) : parameters(keys, sites.params, freedParams(statement, p));
  } else {
    values = parameters(keys, sites.params, freedParams(statement, p));
    if (statement.host === 'string') {
      // The call binds the values: new placeholders need new values in its list and the offset's
      // out of it. Without a host that can edit that list, the rewrite would not run (or would
      // bind the offset as the cursor): the message's advice, without an edit.
      const bound = boundParams(statement, p, keys, sites.params, exprs, text, predicateAt);
      host = bound ? cursor?.(statement, keys, bound) : undefined;
      if (!host) return undefined;
    }
  }
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
 * A list's new items laid out the way its old ones were, given the text between its brackets:
 * `{ a, b }` keeps its inner spaces, and a list of one item per line keeps its lines, indent and
 * trailing comma.
 */
export function layoutItems(inner: string, items: readonly string[]): string {
  if (!inner.includes('\n')) {
    const pad = /^\s/.test(inner) && /\s$/.test(inner) ? ' ' : '';
    return `${pad}${items.join(', ')}${pad}`;
  }
  const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '';
  const close = /\n([ \t]*)$/.exec(inner)?.[1] ?? '';
  const trailing = /,\s*$/.test(inner) ? ',' : '';
  return `\n${indent}${items.join(`,\n${indent}`)}${trailing}\n${close}`;
}

/** `?` and `%s` (not `%%s`) in SQL text, in order. */
const POSITIONAL: Partial<Record<ParamStyle['kind'], RegExp>> = { qmark: /\?/g, pyformat: /%%|%s/g };

/**
 * The names of named placeholders in a stretch of source text: `%(name)s`, or `:name`, `@name`,
 * `$name` (not a cast's `::type`, a knex identifier binding `:name:`, or a name inside a word;
 * `:n::int` is `:n` cast).
 */
function placeholderNames(style: ParamStyle, source: string): string[] {
  const pattern =
    style.kind === 'pyformat-named' ? /%%|%\((\w+)\)s/g : style.kind === 'named' ? new RegExp(`(?<![\\w:@$])\\${style.prefix}([A-Za-z_]\\w*)(?!\\w|:(?!:))`, 'g') : undefined;
  if (!pattern) return [];
  return [...source.matchAll(pattern)].filter((m) => m[1] !== undefined).map((m) => m[1]);
}

/** The name of the placeholder the rewrite adds for a key: `after_created_at`. */
function cursorParamName(k: OrderKey): string {
  return `after_${k.column.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * The values the call must bind after the rewrite (see BoundParams), for `$n`, positional and
 * named placeholders; undefined for a statement whose placeholders could not be counted for
 * certain, or whose new names are taken.
 */
function boundParams(statement: SqlStatementFact, p: PaginationFact, keys: readonly OrderKey[], style: ParamStyle, exprs: readonly string[], text: string, predicateAt: number): BoundParams | undefined {
  if (style.kind === 'named' || style.kind === 'pyformat-named') {
    const used = placeholderNames(style, text.slice(statement.start, statement.end));
    const inOffset = placeholderNames(style, text.slice(p.offset.start, p.offset.end));
    if (used.length === 0 || inOffset.length === 0) return undefined;
    const count = (names: readonly string[], n: string) => names.filter((x) => x === n).length;
    const dropped = [...new Set(inOffset)].filter((n) => count(used, n) === count(inOffset, n));
    const added = keys.map(cursorParamName);
    if (added.some((n) => used.includes(n))) return undefined;
    return { kind: 'named', used: [...new Set(used)], dropped, added };
  }
  if (style.kind === 'dollar') {
    const used = new Set([...statement.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const oldCount = style.next - 1;
    // Every number from 1 to the last one used, each bound by the call's list.
    if (used.size !== oldCount) return undefined;
    const freed = freedParams(statement, p);
    const numbers = cursorNumbers(keys.length, style, freed);
    if (freed.some((n) => !numbers.includes(n))) return undefined;
    const count = Math.max(oldCount, ...numbers);
    const plan = Array.from({ length: count }, (_, j) => {
      const i = numbers.indexOf(j + 1);
      return i >= 0 ? { cursor: i } : { old: j };
    });
    return { kind: 'positional', oldCount, plan, dropped: freed.map((n) => n - 1) };
  }
  const pattern = POSITIONAL[style.kind];
  if (!pattern) return undefined;
  // Positions in the file of the statement's placeholders, and the cursor's order in the predicate.
  const old: number[] = [];
  for (const m of text.slice(statement.start, statement.end).matchAll(pattern)) if (m[0] !== '%%') old.push(statement.start + m.index!);
  const removed = old.map((at, k) => (at >= p.offsetSpan.start && at < p.offsetSpan.end ? k : -1)).filter((k) => k >= 0);
  const marks = keys.map((_, i) => `\u0000${i}\u0000`);
  const order = [...keysetPredicate(keys, exprs, marks).matchAll(/\u0000(\d+)\u0000/g)].map((m) => Number(m[1]));
  const plan: PositionalParams['plan'] = [];
  let inserted = false;
  old.forEach((at, k) => {
    if (!inserted && at >= predicateAt) {
      plan.push(...order.map((i) => ({ cursor: i })));
      inserted = true;
    }
    if (!removed.includes(k)) plan.push({ old: k });
  });
  if (!inserted) plan.push(...order.map((i) => ({ cursor: i })));
  return { kind: 'positional', oldCount: old.length, plan, dropped: removed };
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
    const name = cursorParamName(k);
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

/**
 * The small SQL builder the ORM translators share: PostgreSQL spelling, every name quoted (the
 * ORMs quote theirs, and Prisma's names are case-sensitive), one line per statement. Values the
 * code writes as literals are inlined; everything else becomes a `$n` placeholder with a note on
 * where it comes from, numbered in the order the text uses them (what `fillParameters` expects).
 */

export type SqlLiteral = string | number | boolean | null;

export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"Post"."authorId"`. */
export function column(table: string, name: string): string {
  return `${quoteName(table)}.${quoteName(name)}`;
}

/**
 * A name as query builders write it (Knex, Kysely): `posts.author_id` → `"posts"."author_id"`,
 * `id as n` → `"id" AS "n"`, `*` and `posts.*` keep their star.
 */
export function quotePath(path: string): string {
  const m = /^\s*(.+?)\s+as\s+(\w+)\s*$/i.exec(path);
  if (m) return `${quotePath(m[1])} AS ${quoteName(m[2])}`;
  return path.trim().split('.').map((p) => (p === '*' ? p : quoteName(p))).join('.');
}

export function literal(value: SqlLiteral): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} has no SQL spelling`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${value.replace(/'/g, "''")}'`;
}

/** The `$n` placeholders of one statement and where their values come from. */
export class Parameters {
  private readonly sources: string[] = [];

  /** A placeholder for a value the code computes at run time (`source`: the expression as written). */
  add(source: string): string {
    this.sources.push(source);
    return `$${this.sources.length}`;
  }

  get count(): number {
    return this.sources.length;
  }

  /** `$1 = req.params.id`, one note per placeholder. */
  notes(): string[] {
    return this.sources.map((s, i) => `$${i + 1} = \`${s}\` (a run-time value: when explained, a sample of the column it is compared with, else a value of its type)`);
  }
}

/** A value of the code: a literal to inline, or an expression that becomes a placeholder. */
export type CodeValue = { literal: SqlLiteral } | { expression: string };

export function valueSql(v: CodeValue, params: Parameters): string {
  return 'literal' in v ? literal(v.literal) : params.add(v.expression);
}

export function and(parts: readonly string[]): string {
  if (parts.length === 0) return 'true';
  return parts.length === 1 ? parts[0] : parts.map(group).join(' AND ');
}

export function or(parts: readonly string[]): string {
  if (parts.length === 0) return 'false';
  return parts.length === 1 ? parts[0] : parts.map(group).join(' OR ');
}

export function not(part: string): string {
  return `NOT (${part})`;
}

/** Parenthesised unless it is one comparison (or a NOT, which binds tighter than AND and OR). */
function group(part: string): string {
  return /\b(AND|OR)\b/.test(stripParens(part)) ? `(${part})` : part;
}

function stripParens(s: string): string {
  // Conditions inside a subquery or a group do not need the outer parentheses.
  let out = '';
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

export interface SelectStatement {
  columns: string[];
  distinct?: boolean;
  from: string;
  joins?: string[];
  where?: string[];
  groupBy?: string[];
  having?: string[];
  orderBy?: string[];
  limit?: string;
  offset?: string;
}

export function renderSelect(s: SelectStatement): string {
  let sql = `SELECT ${s.distinct ? 'DISTINCT ' : ''}${s.columns.join(', ')} FROM ${s.from}`;
  for (const j of s.joins ?? []) sql += ` ${j}`;
  if (s.where && s.where.length > 0) sql += ` WHERE ${and(s.where)}`;
  if (s.groupBy && s.groupBy.length > 0) sql += ` GROUP BY ${s.groupBy.join(', ')}`;
  if (s.having && s.having.length > 0) sql += ` HAVING ${and(s.having)}`;
  if (s.orderBy && s.orderBy.length > 0) sql += ` ORDER BY ${s.orderBy.join(', ')}`;
  if (s.limit !== undefined) sql += ` LIMIT ${s.limit}`;
  if (s.offset !== undefined) sql += ` OFFSET ${s.offset}`;
  return sql;
}

/**
 * `UPDATE … SET … WHERE …`, or `DELETE FROM … WHERE …` when `set` is absent. Conditions that read
 * joined tables go into `WHERE <key> IN (SELECT <key> … JOIN …)`, the form Django writes, since
 * PostgreSQL's UPDATE and DELETE take no JOIN.
 */
export function renderWrite(w: { table: string; key: string; set?: ReadonlyArray<[column: string, value: string]>; joins?: string[]; where?: string[] }): string {
  const target = quoteName(w.table);
  let where = w.where ?? [];
  if (w.joins && w.joins.length > 0) where = [`${column(w.table, w.key)} IN (${renderSelect({ columns: [column(w.table, w.key)], from: target, joins: w.joins, where })})`];
  const head = w.set ? `UPDATE ${target} SET ${w.set.map(([c, v]) => `${quoteName(c)} = ${v}`).join(', ')}` : `DELETE FROM ${target}`;
  return where.length > 0 ? `${head} WHERE ${and(where)}` : head;
}

/**
 * `INSERT INTO t (a, b) VALUES (…), (…)` of rows written out in the code, values rendered in text
 * order (placeholders are numbered so). Undefined when the rows name different columns: the query
 * builders then fill each row's gaps with DEFAULT, which is not translated.
 */
export function renderInsert<T>(table: string, rows: ReadonlyArray<ReadonlyMap<string, T>>, columnName: (name: string) => string, value: (v: T) => string): string | undefined {
  const columns = [...(rows[0]?.keys() ?? [])];
  if (rows.some((r) => r.size !== columns.length || columns.some((c) => !r.has(c)))) return undefined;
  return `INSERT INTO ${table} (${columns.map(columnName).join(', ')}) VALUES ${rows.map((r) => `(${columns.map((c) => value(r.get(c)!)).join(', ')})`).join(', ')}`;
}

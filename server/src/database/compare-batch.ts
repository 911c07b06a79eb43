/**
 * "Compare with the fix" for an N+1 finding: the per-item statement run once per item (1+N round
 * trips, as the loop does) against one batched statement for all the items, for N = 10, 100 and
 * 1,000 items from the data. Each size is measured a few times and the median kept.
 *
 * - A lookup by one key (`… WHERE key = $1`) against one query over all the keys (`= ANY($1)`, the
 *   `IN (…)` the fix writes), with keys sampled from the column. Read-only.
 * - An UPDATE or DELETE by one key the same way (`updateMany`/`delete … WHERE id IN (…)`).
 * - An INSERT of one row against one INSERT of N rows (`createMany`, `bulk_create`), with the
 *   values of rows already in the table (foreign keys that exist, values of the right type); a
 *   column of a unique index gets values of its own (the next integers, a suffix, a new uuid).
 *
 * Writes run only when the caller allows them, each in a transaction of its own that is rolled
 * back: nothing is kept.
 */
import { performance } from 'node:perf_hooks';
import { isParsed, parseStatement } from '../languages/sql/parse';
import type { Connector, StatementOptions } from './connector';
import { ReadOnlyError } from './database-errors';
import { statementParameters } from './query-parameters';

export interface BatchSize {
  n: number;
  /** N sequential lookups, one round trip each (the loop's N; the query that produced the items is the same in both). */
  perItemMs: number;
  batchedMs: number;
}

export interface BatchComparison {
  perItemSql: string;
  batchedSql: string;
  /** What the statement writes, when it is a write (a lookup otherwise). */
  write?: BatchWrite;
  sizes: BatchSize[];
  notes: string[];
}

export type BatchWrite = 'insert' | 'update' | 'delete';

/** The write a statement is, by its first keyword. */
export function writeKind(sql: string): BatchWrite | undefined {
  const m = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(insert|update|delete)\b/i.exec(sql);
  return m ? (m[1].toLowerCase() as BatchWrite) : undefined;
}

/** PostgreSQL's limit on a statement's parameters. */
const MAX_PARAMETERS = 65_535;

export const DEFAULT_SIZES = [10, 100, 1_000];

/**
 * The batched form of a lookup by one key: `col = $1` → `col = ANY($1)`, without the `LIMIT 1` a
 * single-row lookup carries. Undefined when the statement is not one equality on one parameter.
 */
export function batchedStatement(sql: string): string | undefined {
  const params = statementParameters(sql);
  if (params.count !== 1 || !params.sites.get(1)?.column) return undefined;
  const uses = sql.match(/\$1\b/g) ?? [];
  if (uses.length !== 1 || !/=\s*\$1\b/.test(sql)) return undefined;
  return sql.replace(/=\s*\$1\b/, '= ANY($1)').replace(/\s+LIMIT\s+1\s*;?\s*$/i, '');
}

export interface BatchRequest {
  sizes?: number[];
  rounds?: number;
  timeoutMs?: number;
  /** Let a write run (each run in a transaction that is rolled back); a write is refused otherwise. */
  allowWrites?: boolean;
  isCancelled?: () => boolean;
  onProgress?: (message: string) => void;
}

export async function compareBatch(connector: Connector, sql: string, request: BatchRequest = {}): Promise<BatchComparison> {
  const write = writeKind(sql);
  // Refused before anything runs: the client asks the user, then sends the request again.
  if (write && !request.allowWrites) throw new ReadOnlyError(`the comparison runs the ${write === 'insert' ? 'inserts' : write === 'update' ? 'updates' : 'deletes'}, each in a transaction that is rolled back`);
  if (write === 'insert') return compareInserts(connector, sql, request);
  const batchedSql = batchedStatement(sql);
  if (!batchedSql && write === 'update' && singleRowUpdate(sql)) return compareUpdates(connector, sql, singleRowUpdate(sql)!, request);
  if (!batchedSql) {
    throw new Error(
      write
        ? `The comparison needs an ${write.toUpperCase()} by one key (\`… WHERE key = $1\`, its values written in the statement or each a parameter of its own); this one is not.`
        : 'The comparison needs a lookup by one key (`… WHERE key = $1`); this query is not one.',
    );
  }
  const options: StatementOptions = write ? { allowWrites: true, rollback: true, timeoutMs: request.timeoutMs } : { timeoutMs: request.timeoutMs };
  const notes: string[] = [];
  const site = statementParameters(sql);
  const column = site.sites.get(1)!.column!.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');
  const qualifier = site.sites.get(1)!.qualifier;
  const table = site.tables.find((t) => !qualifier || t.alias === qualifier || t.text.replace(/"/g, '') === qualifier.replace(/"/g, '')) ?? site.tables[0];
  if (!table) throw new Error('The comparison could not tell which table the key belongs to.');
  const sizes = request.sizes ?? DEFAULT_SIZES;
  const max = Math.max(...sizes);
  const col = /^[a-z_][a-z0-9_]*$/.test(column) ? column : `"${column.replace(/"/g, '""')}"`;
  const sample = await connector.run(`SELECT DISTINCT ${col} AS key FROM ${table.text} WHERE ${col} IS NOT NULL LIMIT ${max}`, { timeoutMs: request.timeoutMs });
  const keys = sample.rows.map((r) => r.key);
  if (keys.length === 0) throw new Error(`${table.text} has no rows to look up.`);
  const rounds = request.rounds ?? 3;
  const out: BatchSize[] = [];
  for (const n of sizes) {
    if (request.isCancelled?.()) break;
    if (n > keys.length) {
      notes.push(`Only ${keys.length.toLocaleString('en-US')} distinct keys in ${table.text}: N = ${n.toLocaleString('en-US')} was not measured.`);
      break;
    }
    const batch = keys.slice(0, n);
    request.onProgress?.(`N = ${n.toLocaleString('en-US')}: ${n} ${write ? `${write}s` : 'lookups'}`);
    out.push({ n, ...(await timeBoth(connector, rounds, options, sql, batch.map((key) => [key]), batchedSql, [batch])) });
  }
  notes.push(`Round trips here are to the database PerfLens runs; over a network each of the N ${write ? `${write}s` : 'lookups'} also pays the latency to the database server.`);
  if (write) notes.push(WRITE_NOTE);
  return { perItemSql: sql, batchedSql, write, sizes: out, notes };
}

const WRITE_NOTE =
  'Each write ran in a transaction of its own that was rolled back: nothing was kept. Committed one at a time, as a loop outside a transaction writes, each of the N writes would also wait for its commit to reach the disk: N flushes against one.';

/**
 * The fields of sql-parser-cst's nodes the statement readers below look at: its node union is too
 * wide for TypeScript to narrow here.
 */
interface Loose {
  type: string;
  range?: [number, number];
  clauses?: Loose[];
  table?: Loose;
  tables?: Loose;
  columns?: Loose;
  values?: Loose;
  assignments?: Loose;
  column?: Loose;
  expr?: Loose;
  items?: Loose[];
  left?: Loose;
  right?: Loose;
  operator?: string | { name: string };
  property?: Loose;
}

/** The text's one statement, when it parses as PostgreSQL and is of this type. */
function onlyStatement(sql: string, type: string): Loose | undefined {
  const parsed = parseStatement(sql, ['postgresql']);
  if (!isParsed(parsed)) return undefined;
  const statements = (parsed.program.statements as unknown as Loose[]).filter((st) => st.type !== 'empty');
  return statements.length === 1 && statements[0].type === type ? statements[0] : undefined;
}

/** An INSERT of one row of values: where its row is, its columns, and each value's text and `$n` (0: not a parameter). */
export interface SingleRowInsert {
  table: string;
  columns: string[];
  values: Array<{ text: string; param: number }>;
  /** The statement before and after the row's parenthesis. */
  head: string;
  tail: string;
}

/** The INSERT's parts, when it is one row of values whose parameters are each used once, in the row; undefined otherwise. */
export function singleRowInsert(sql: string): SingleRowInsert | undefined {
  const st = onlyStatement(sql, 'insert_stmt');
  if (!st?.clauses) return undefined;
  const insert = st.clauses.find((c) => c.type === 'insert_clause');
  const values = st.clauses.find((c) => c.type === 'values_clause');
  const columnList = insert?.columns?.expr?.items;
  const rowList = values?.values?.items;
  if (!insert?.table || !columnList || !rowList || rowList.length !== 1) return undefined;
  const row = rowList[0];
  const cellList = row.type === 'paren_expr' ? row.expr?.items : undefined;
  if (!cellList) return undefined;
  const text = (n: Loose): string => sql.slice(...(n.range ?? [0, 0]));
  const columns = columnList.map(text);
  const cells = cellList.map((n) => ({ text: text(n), param: n.type === 'parameter' ? Number(text(n).slice(1)) : 0 }));
  if (cells.length !== columns.length) return undefined;
  const params = cells.map((c) => c.param).filter((n) => n > 0);
  const [start, end] = row.range ?? [0, 0];
  // Parameters used once each, all of them in the row: the row can be repeated with new numbers.
  const everywhere = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  if (new Set(params).size !== params.length || everywhere.length !== params.length) return undefined;
  return { table: text(insert.table), columns, values: cells, head: sql.slice(0, start), tail: sql.slice(end) };
}

/** The INSERT with `rows` rows: row i's parameters numbered after the rows before it, in the order of the row. */
export function batchedInsert(insert: SingleRowInsert, rows: number): string {
  const perRow = insert.values.filter((v) => v.param > 0).length;
  const tuples: string[] = [];
  for (let i = 0; i < rows; i++) {
    let k = 0;
    tuples.push(`(${insert.values.map((v) => (v.param > 0 ? `$${i * perRow + ++k}` : v.text)).join(', ')})`);
  }
  return `${insert.head}${tuples.join(', ')}${insert.tail}`;
}

/** A column's name without its quotes. */
function bare(name: string): string {
  return /^".*"$/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

const INTEGER = /^(smallint|integer|bigint|numeric|real|double precision)\b/;

/** An UPDATE of one row by its key whose values are parameters of their own: `SET a = $1, b = $2 WHERE t.id = $3`. */
export interface SingleRowUpdate {
  table: string;
  /** The assignments as written, and the parameter each one's value is (0: an expression of the row, kept as is). */
  set: Array<{ column: string; text: string; param: number }>;
  key: { column: string; text: string; param: number };
  /** What follows the WHERE (RETURNING …), with its leading space. */
  tail: string;
}

/** The UPDATE's parts, when it sets each value from a parameter used once (or from the row itself) and filters by one key. */
export function singleRowUpdate(sql: string): SingleRowUpdate | undefined {
  const st = onlyStatement(sql, 'update_stmt');
  if (!st?.clauses) return undefined;
  const text = (n: Loose): string => sql.slice(...(n.range ?? [0, 0]));
  const paramOf = (n: Loose | undefined): number => (n?.type === 'parameter' ? Number(text(n).slice(1)) : 0);
  const [update, setClause, where, ...rest] = st.clauses;
  const tables = update?.tables?.items;
  if (update?.type !== 'update_clause' || tables?.length !== 1 || tables[0].type !== 'identifier' || setClause?.type !== 'set_clause' || where?.type !== 'where_clause') return undefined;
  if (rest.some((c) => c.type !== 'returning_clause')) return undefined;
  const set = (setClause.assignments?.items ?? []).map((a) => (a.type === 'column_assignment' && a.column && a.expr ? { column: text(a.column), text: text(a.expr), param: paramOf(a.expr) } : undefined));
  if (set.length === 0 || set.some((a) => !a)) return undefined;
  // WHERE key = $k, or TypeORM's key IN ($k).
  const cond = where.expr;
  const op = typeof cond?.operator === 'string' ? cond.operator : cond?.operator?.name;
  let keyParam = 0;
  if (cond?.type === 'binary_expr' && op === '=') keyParam = paramOf(cond.right);
  else if (cond?.type === 'binary_expr' && op?.toUpperCase() === 'IN' && cond.right?.type === 'paren_expr' && cond.right.expr?.items?.length === 1) keyParam = paramOf(cond.right.expr.items[0]);
  const keyColumn = cond?.left?.type === 'member_expr' ? cond.left.property : cond?.left?.type === 'identifier' ? cond.left : undefined;
  if (!keyParam || !keyColumn) return undefined;
  const params = [...set.map((a) => a!.param).filter((n) => n > 0), keyParam];
  const everywhere = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  if (params.length < 2 || new Set(params).size !== params.length || everywhere.length !== params.length || Math.max(...params) !== params.length) return undefined;
  return { table: text(tables[0]), set: set as SingleRowUpdate['set'], key: { column: text(keyColumn), text: text(cond!.left!), param: keyParam }, tail: sql.slice(where.range![1]) };
}

/** The batched form: every row's values in a VALUES list joined on the key (`UPDATE t SET a = v.a FROM (VALUES …) AS v(…) WHERE t.id = v.key`). */
export function batchedUpdate(update: SingleRowUpdate, rows: number, types: ReadonlyMap<number, string>): string {
  const params = update.set.filter((a) => a.param > 0);
  const names = [...params.map((_, i) => `"v${i + 1}"`), '"key"'];
  const order = [...params.map((a) => a.param), update.key.param];
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    // The first row's values carry their types: a VALUES list's columns are text otherwise.
    tuples.push(`(${order.map((p, i) => `$${r * order.length + i + 1}${r === 0 && types.get(p) ? `::${types.get(p)}` : ''}`).join(', ')})`);
  }
  let k = 0;
  const set = update.set.map((a) => `${a.column} = ${a.param > 0 ? `"v"."v${++k}"` : a.text}`).join(', ');
  return `UPDATE ${update.table} SET ${set} FROM (VALUES ${tuples.join(', ')}) AS "v"(${names.join(', ')}) WHERE ${update.key.text} = "v"."key"${update.tail}`;
}

/**
 * N updates of one row each (its own values) against one UPDATE … FROM (VALUES …) of N rows: keys
 * and values from rows of the table (each row set to the values it has), every run rolled back.
 */
async function compareUpdates(connector: Connector, sql: string, update: SingleRowUpdate, request: BatchRequest): Promise<BatchComparison> {
  if (connector.kind !== 'postgres' && connector.kind !== 'pglite') throw new Error('Comparing N updates with one UPDATE … FROM (VALUES …) runs on PostgreSQL (the embedded database or a connection).');
  const opts = { timeoutMs: request.timeoutMs };
  const types = await columnTypesOf(connector, update.table, opts);
  // Each parameter's column, in the order of the per-item statement's numbers.
  const columnOf = new Map<number, string>([...update.set.filter((a) => a.param > 0).map((a) => [a.param, a.column] as const), [update.key.param, update.key.column]]);
  const params = [...columnOf.keys()].sort((a, b) => a - b);
  const typeOf = new Map(params.map((p) => [p, types.get(bare(columnOf.get(p)!)) ?? '']));
  const sizes = request.sizes ?? DEFAULT_SIZES;
  const max = Math.max(...sizes);
  const rows = (await connector.run(`SELECT ${params.map((p, i) => `${columnOf.get(p)} AS p${i}`).join(', ')} FROM ${update.table} LIMIT ${max}`, opts)).rows;
  if (rows.length === 0) throw new Error(`${update.table} has no rows to update.`);
  const samples = rows.map((r) => params.map((_, i) => r[`p${i}`]));
  // The batched statement's order: the assignments' parameters, then the key.
  const batchOrder = [...update.set.filter((a) => a.param > 0).map((a) => a.param), update.key.param];
  const notes = [`Keys and values from rows of ${update.table} (each row set to the values it has): ${params.map((p) => `$${p} = ${bare(columnOf.get(p)!)}`).join(', ')}.`];
  const write: StatementOptions = { allowWrites: true, rollback: true, timeoutMs: request.timeoutMs };
  const rounds = request.rounds ?? 3;
  const out: BatchSize[] = [];
  for (const n of sizes) {
    if (request.isCancelled?.()) break;
    if (n > samples.length) {
      notes.push(`Only ${samples.length.toLocaleString('en-US')} rows in ${update.table}: N = ${n.toLocaleString('en-US')} was not measured.`);
      break;
    }
    if (n * batchOrder.length > MAX_PARAMETERS) {
      notes.push(`N = ${n.toLocaleString('en-US')} rows of ${batchOrder.length} values is more parameters than PostgreSQL takes in one statement: not measured; the fix would write them in chunks.`);
      break;
    }
    const batch = samples.slice(0, n);
    const batchedSql = batchedUpdate(update, n, typeOf);
    const batchValues = batch.flatMap((row) => batchOrder.map((p) => row[params.indexOf(p)]));
    request.onProgress?.(`N = ${n.toLocaleString('en-US')}: ${n} updates`);
    out.push({ n, ...(await timeBoth(connector, rounds, write, sql, batch, batchedSql, batchValues)) });
  }
  notes.push('Round trips here are to the database PerfLens runs; over a network each of the N updates also pays the latency to the database server.');
  notes.push(WRITE_NOTE);
  const shown = batchedUpdate(update, 2, typeOf).replace(/\), \(\$\d+, \$\d+(, \$\d+)*\)\) AS "v"/, '), …) AS "v"');
  return { perItemSql: sql, batchedSql: shown, write: 'update', sizes: out, notes };
}

/**
 * N single-row INSERTs against one INSERT of N rows. The values come from rows of the table (so
 * foreign keys exist and types fit); a column of a unique index the row would repeat gets values
 * no row has. The values are bound in the order the per-item statement numbers them.
 */
async function compareInserts(connector: Connector, sql: string, request: BatchRequest): Promise<BatchComparison> {
  if (connector.kind !== 'postgres' && connector.kind !== 'pglite') throw new Error('Comparing N inserts with one multi-row INSERT runs on PostgreSQL (the embedded database or a connection).');
  const insert = singleRowInsert(sql);
  if (!insert) throw new Error('The comparison needs an INSERT of one row of values (`INSERT INTO t (…) VALUES (…)`), each `$n` used once; this one is not.');
  const notes: string[] = [];
  const opts = { timeoutMs: request.timeoutMs };
  const columnTypes = await columnTypesOf(connector, insert.table, opts);

  const uniques = (
    await connector.run(
      'SELECT c.relname AS name, array_to_string(array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n), \',\') AS columns FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indpred IS NULL AND NOT (0 = ANY(i.indkey))',
      { ...opts, params: [insert.table] },
    )
  ).rows.map((r) => ({ name: String(r.name), columns: String(r.columns).split(',') }));
  // The columns the row sets: DEFAULT (a sequence, a default) and NULL never collide in a unique index.
  const inserted = insert.columns.map(bare).filter((_, i) => !/^(DEFAULT|NULL)$/i.test(insert.values[i].text));
  // The expression that samples each parameter's column; a unique column's makes new values.
  const sampled = new Map<number, string>();
  insert.values.forEach((v, i) => {
    if (v.param > 0) sampled.set(v.param, insert.columns[i]);
  });
  const expressions = new Map<number, string>([...sampled].map(([param, col]) => [param, col]));
  for (const u of uniques) {
    // Only an index all of whose columns the INSERT sets can be hit by repeating a row.
    if (!u.columns.every((c) => inserted.includes(c))) continue;
    const target = u.columns.map((c) => insert.values[insert.columns.map(bare).indexOf(c)]).find((v) => v.param > 0);
    if (!target) throw new Error(`Every row of the batch would insert the same values into the unique index ${u.name} (${u.columns.join(', ')}): the comparison needs at least one of them to be a parameter.`);
    const col = insert.columns[insert.values.indexOf(target)];
    const type = columnTypes.get(bare(col)) ?? '';
    const n = 'row_number() OVER ()';
    let expr: string;
    if (INTEGER.test(type)) expr = `(SELECT coalesce(max(${col}), 0) FROM ${insert.table}) + ${n}`;
    else if (type === 'uuid') expr = 'gen_random_uuid()';
    else if (/^(text|citext)$/.test(type)) expr = `${col} || '~' || ${n}`;
    else if (/^character varying\((\d+)\)$/.test(type) && Number(/\((\d+)\)/.exec(type)![1]) > 10) expr = `left(${col}, ${Number(/\((\d+)\)/.exec(type)![1]) - 8}) || '~' || lpad(${n}::text, 7, '0')`;
    else throw new Error(`The rows of the batch would repeat values of the unique index ${u.name} (${u.columns.join(', ')}), and PerfLens makes new values only for integer, text and uuid columns (${bare(col)} is ${type || 'of an unknown type'}).`);
    expressions.set(target.param, expr);
    notes.push(`${bare(col)}: values no row has (it is in the unique index ${u.name}), so that the inserted rows do not collide with the rows there.`);
  }
  const params = [...expressions.keys()].sort((a, b) => a - b);
  const sizes = request.sizes ?? DEFAULT_SIZES;
  const max = Math.max(...sizes);
  let samples: unknown[][];
  if (params.length === 0) samples = Array.from({ length: max }, () => []);
  else {
    const select = `SELECT ${params.map((p, i) => `${expressions.get(p)} AS p${i}`).join(', ')} FROM ${insert.table} LIMIT ${max}`;
    const rows = (await connector.run(select, opts)).rows;
    samples = rows.map((r) => params.map((_, i) => r[`p${i}`]));
    if (samples.length === 0) throw new Error(`${insert.table} has no rows to take the inserted values from.`);
    notes.push(`Values from rows of ${insert.table}: ${params.map((p) => `$${p} = ${bare(sampled.get(p)!)}`).join(', ')}.`);
  }
  const rounds = request.rounds ?? 3;
  const write: StatementOptions = { allowWrites: true, rollback: true, timeoutMs: request.timeoutMs };
  const out: BatchSize[] = [];
  for (const n of sizes) {
    if (request.isCancelled?.()) break;
    if (n > samples.length) {
      notes.push(`Only ${samples.length.toLocaleString('en-US')} rows in ${insert.table} to take values from: N = ${n.toLocaleString('en-US')} was not measured.`);
      break;
    }
    if (n * params.length > MAX_PARAMETERS) {
      notes.push(`N = ${n.toLocaleString('en-US')} rows of ${params.length} values is more parameters than PostgreSQL takes in one statement (${MAX_PARAMETERS.toLocaleString('en-US')}): not measured; the fix would write them in chunks.`);
      break;
    }
    const batch = samples.slice(0, n);
    const batchedSql = batchedInsert(insert, n);
    request.onProgress?.(`N = ${n.toLocaleString('en-US')}: ${n} inserts`);
    out.push({ n, ...(await timeBoth(connector, rounds, write, sql, batch, batchedSql, batch.flat())) });
  }
  notes.push('Round trips here are to the database PerfLens runs; over a network each of the N inserts also pays the latency to the database server.');
  notes.push(WRITE_NOTE);
  return { perItemSql: sql, batchedSql: batchedInsert(insert, Math.min(2, samples.length || 2)).replace(/\)(\s*(RETURNING|ON CONFLICT|$))/i, '), …$1'), write: 'insert', sizes: out, notes };
}

/** Each column's type as PostgreSQL writes it (`integer`, `character varying(4)`), by name. */
async function columnTypesOf(connector: Connector, table: string, options: StatementOptions): Promise<Map<string, string>> {
  const rows = (await connector.run('SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped', { ...options, params: [table] })).rows;
  return new Map(rows.map((r) => [String(r.name), String(r.type)]));
}

/** The per-item statement once per item's values, then the batched one, `rounds` times: the medians of both. */
async function timeBoth(connector: Connector, rounds: number, options: StatementOptions, sql: string, items: unknown[][], batchedSql: string, batchedValues: unknown[]): Promise<{ perItemMs: number; batchedMs: number }> {
  const perItem: number[] = [];
  const batched: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    for (const values of items) await connector.run(sql, { ...options, params: values });
    perItem.push(performance.now() - t0);
    t0 = performance.now();
    await connector.run(batchedSql, { ...options, params: batchedValues });
    batched.push(performance.now() - t0);
  }
  return { perItemMs: median(perItem), batchedMs: median(batched) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

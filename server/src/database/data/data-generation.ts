/**
 * Fills the embedded database with generated rows, parents first, in SQL: each chunk is one
 * `INSERT … SELECT … FROM generate_series(…)`, so 100,000 rows cost one statement per chunk rather
 * than 100,000 round trips. A foreign key picks its parent by a skewed index (`power(random(), 3)`:
 * the first eighth of the parents get half the children, like the few users who write most posts),
 * joined to the parents' row numbers. `ON CONFLICT DO NOTHING` keeps composite unique keys valid.
 */
import type { Connector } from '../connector';
import { readTables, type ForeignKeyInfo } from './catalog';
import { columnExpression, quoteIdent } from './column-values';
import { isUnique, planData, TOTAL_ROWS_PER_DATA_SIZE, type DataPlanOptions, type TablePlan } from './data-plan';

export interface GenerationProgress {
  table: string;
  /** Rows inserted into this table so far, and planned. */
  rows: number;
  tableRows: number;
  /** Tables finished, of all. */
  tablesDone: number;
  tables: number;
}

export interface GenerationOptions extends DataPlanOptions {
  onProgress?: (p: GenerationProgress) => void;
  isCancelled?: () => boolean;
  /** Rows per INSERT: the unit of progress and of cancellation. */
  chunkRows?: number;
  timeoutMs?: number;
}

export interface GenerationResult {
  /** Rows each table has at the end. */
  rows: Record<string, number>;
  /** Tables that could not be filled, and why. */
  warnings: string[];
}

export class GenerationCancelledError extends Error {
  constructor() {
    super('Data generation was cancelled.');
    this.name = 'GenerationCancelledError';
  }
}

export async function generateData(connector: Connector, options: GenerationOptions): Promise<GenerationResult> {
  const plan = planData(await readTables(connector), options);
  const plans = plan.tables;
  const chunk = Math.max(1, options.chunkRows ?? 25_000);
  const result: GenerationResult = { rows: {}, warnings: [] };
  if (plan.scaled) {
    const n = (x: number) => x.toLocaleString('en-US');
    const planned = plans.reduce((sum, p) => sum + p.rows, 0);
    result.warnings.push(
      `The ${plans.length} tables would hold ${n(plan.scaled.wanted)} rows at a data size of ${n(options.dataSize)}, more than ${TOTAL_ROWS_PER_DATA_SIZE} times that: they hold ${n(planned)} in all, in the same proportions (the biggest ${n(plan.scaled.dataSize)} rows). A bigger perflens.database.dataSize fills them more.`,
    );
  }
  const later: LaterKey[] = [];
  for (const [index, plan] of plans.entries()) {
    const name = plan.table.name;
    let done = 0;
    const fill = async (): Promise<void> => {
      for (let start = 1; start <= plan.rows; start += chunk) {
        if (options.isCancelled?.()) throw new GenerationCancelledError();
        const end = Math.min(plan.rows, start + chunk - 1);
        // A seed per chunk: the same schema and size give the same data.
        const seed = ((index * 7919 + start) % 10_000) / 10_000;
        await connector.execScript(`SELECT setseed(${seed}); ${insertStatement(plan, start, end)}`, { timeoutMs: options.timeoutMs });
        done = end;
        if (done < plan.rows) options.onProgress?.({ table: name, rows: done, tableRows: plan.rows, tablesDone: index, tables: plans.length });
      }
    };
    try {
      later.push(...(await deferKeys(connector, plan, options.timeoutMs)));
      try {
        await fill();
      } catch (e) {
        if (!/violates check constraint/.test((e as Error).message)) throw e;
        await withoutChecks(connector, plan.table.qualified, options.timeoutMs, fill);
      }
    } catch (e) {
      if (e instanceof GenerationCancelledError) throw e;
      result.warnings.push(`${name}: no rows generated (${(e as Error).message.split('\n')[0]})`);
    }
    options.onProgress?.({ table: name, rows: done, tableRows: plan.rows, tablesDone: index + 1, tables: plans.length });
  }
  for (const key of later) {
    if (options.isCancelled?.()) throw new GenerationCancelledError();
    const warning = await fillLater(connector, key, options.timeoutMs);
    if (warning) result.warnings.push(warning);
  }
  for (const plan of plans) {
    const count = await connector.run(`SELECT count(*)::int AS n FROM ${plan.table.qualified}`);
    result.rows[plan.table.name] = Number(count.rows[0].n);
  }
  return result;
}

/**
 * Fills a table whose CHECK constraints random rows break (Medusa's `shipped_quantity <=
 * fulfilled_quantity`): without them, then without the rows that break them, then with them again,
 * as they were.
 */
async function withoutChecks(connector: Connector, table: string, timeoutMs: number | undefined, fill: () => Promise<void>): Promise<void> {
  const checks = (
    await connector.run(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '${table.replace(/'/g, "''")}'::regclass AND contype = 'c'`)
  ).rows.map((r) => ({ name: String(r.conname), def: String(r.def) }));
  await connector.execScript(`DELETE FROM ${table}; ${checks.map((c) => `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(c.name)};`).join(' ')}`, { timeoutMs });
  // `CHECK ((a <= b))`: a row breaks it when the expression is false (NULL passes).
  const exprs = checks.map((c) => /^CHECK \(([\s\S]*)\)(?: NOT VALID)?$/.exec(c.def)?.[1]).filter((e): e is string => e !== undefined);
  let filled = false;
  try {
    await fill();
    await repairComparisons(connector, table, exprs, timeoutMs);
    if (exprs.length) await connector.execScript(`DELETE FROM ${table} WHERE NOT (${exprs.map((e) => `coalesce((${e}), true)`).join(' AND ')})`, { timeoutMs });
    filled = true;
  } finally {
    // Rows of a fill that stopped half-way may break the constraints: none stay.
    if (!filled) await connector.execScript(`DELETE FROM ${table}`, { timeoutMs });
    for (const c of checks) await connector.execScript(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}`, { timeoutMs });
  }
}

/** `(a <= b)`, `(quantity > 0)`: a comparison of a column with a column or a number, as pg_get_constraintdef prints it. */
const COMPARISON = /^\(("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*) (<=|<|>=|>) ("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*|-?\d+(?:\.\d+)?)\)$/;

/**
 * Mends the rows that break comparisons, so that few are removed: two columns in the wrong order
 * are swapped (three passes put a chain `shipped <= fulfilled <= quantity` in order), a column
 * past a number is set to it. What is left breaking a check is removed after.
 */
async function repairComparisons(connector: Connector, table: string, exprs: readonly string[], timeoutMs: number | undefined): Promise<void> {
  const updates: string[] = [];
  for (const expr of exprs) {
    const m = COMPARISON.exec(expr);
    if (!m) continue;
    const [, left, op, right] = m;
    const strict = op.length === 1;
    const broken = `NOT coalesce(${expr}, true)`;
    if (/^-?\d/.test(right)) {
      const n = Number(right);
      const value = op.startsWith('>') ? (strict ? n + 1 : n) : strict ? n - 1 : n;
      updates.push(`UPDATE ${table} SET ${left} = ${value} WHERE ${broken}`);
    } else updates.push(`UPDATE ${table} SET ${left} = ${right}, ${right} = ${left} WHERE ${broken}`);
  }
  if (!updates.length) return;
  for (let pass = 0; pass < 3; pass++) {
    for (const update of updates) {
      try {
        await connector.execScript(update, { timeoutMs });
      } catch {
        // A value the column's type does not take: those rows are removed instead.
      }
    }
  }
}

/** A foreign key whose parent is filled after its table (a cycle, a self-reference): set once both have rows. */
interface LaterKey {
  plan: TablePlan;
  fk: ForeignKeyInfo;
  /** Its NOT NULL columns, made nullable while the rows go in. */
  notNull: string[];
}

/**
 * The keys of `plan`'s table whose parent has no rows yet. They are NULL while its rows go in; a
 * NOT NULL one is made nullable meanwhile (otherwise no row could go in: Medusa's orders, carts and
 * payments reference each other). A one-to-one key, or one in the primary key, stays as it was.
 */
async function deferKeys(connector: Connector, plan: TablePlan, timeoutMs: number | undefined): Promise<LaterKey[]> {
  const { table } = plan;
  const out: LaterKey[] = [];
  for (const fk of table.foreignKeys) {
    if (plan.foreignKeys.includes(fk) || isUnique(table, fk.columns)) continue;
    const notNull = fk.columns.filter((c) => table.columns.find((x) => x.name === c)?.notNull);
    const dropped: string[] = [];
    try {
      for (const c of notNull) {
        await connector.execScript(`ALTER TABLE ${table.qualified} ALTER COLUMN ${quoteIdent(c)} DROP NOT NULL`, { timeoutMs });
        dropped.push(c);
      }
    } catch {
      // A primary key column: its table is filled as before, or not at all; the others are as they were.
      for (const c of dropped) await connector.execScript(`ALTER TABLE ${table.qualified} ALTER COLUMN ${quoteIdent(c)} SET NOT NULL`, { timeoutMs }).catch(() => {});
      continue;
    }
    out.push({ plan, fk, notNull });
  }
  return out;
}

/**
 * Sets a deferred key, as the other keys are set: a skewed pick among the parents, one in ten left
 * NULL where NULL is allowed. A self-reference picks among the rows before its own, so that a tree
 * stays a tree (a recursive query over it ends); its first row has no row before it: NULL, or
 * itself where NULL is not allowed. Then the NOT NULL columns are NOT NULL again.
 */
async function fillLater(connector: Connector, key: LaterKey, timeoutMs: number | undefined): Promise<string | undefined> {
  const { plan, fk, notNull } = key;
  const t = plan.table.qualified;
  const self = fk.refTable === t;
  const nullable = notNull.length === 0;
  const pick = self
    ? `CASE WHEN x.rn = 1 THEN ${nullable ? 'NULL' : '1'} ELSE 1 + floor(power(random(), 3) * (x.rn - 1))::bigint END`
    : `1 + floor(power(random(), 3) * (SELECT count(*) FROM ${fk.refTable}))::bigint`;
  const k = nullable ? `CASE WHEN random() < 0.1 THEN NULL ELSE ${pick} END` : pick;
  const refs = fk.refColumns.map((c, j) => `${quoteIdent(c)} AS r${j}`).join(', ');
  const sets = fk.columns.map((c, j) => `${quoteIdent(c)} = p.r${j}`).join(', ');
  try {
    await connector.execScript(
      `UPDATE ${t} AS t SET ${sets} FROM (SELECT x.tid, ${k} AS k FROM (SELECT ctid AS tid, row_number() OVER (ORDER BY ctid) AS rn FROM ${t}) AS x OFFSET 0) AS s ` +
        `JOIN (SELECT ${refs}, row_number() OVER (${self ? 'ORDER BY ctid' : ''}) AS rn FROM ${fk.refTable}) AS p ON p.rn = s.k WHERE t.ctid = s.tid`,
      { timeoutMs },
    );
  } catch (e) {
    return `${plan.table.name}: ${fk.columns.join(', ')} left NULL (${(e as Error).message.split('\n')[0]})`;
  }
  for (const c of notNull) {
    try {
      await connector.execScript(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(c)} SET NOT NULL`, { timeoutMs });
    } catch {
      return `${plan.table.name}: ${c} left nullable (its parent has no rows)`;
    }
  }
  return undefined;
}

/** One chunk of a table: rows `start … end` of its plan. */
export function insertStatement(plan: TablePlan, start: number, end: number): string {
  const { table } = plan;
  const unique = (column: string): boolean => table.uniques.some((u) => u.includes(column));
  const fkColumn = new Map<string, string>();
  const keys: string[] = [];
  const joins: string[] = [];
  plan.foreignKeys.forEach((fk, n) => {
    const alias = `p${n}`;
    const oneToOne = isUnique(table, fk.columns);
    const nullable = fk.columns.every((c) => !table.columns.find((x) => x.name === c)?.notNull);
    // One-to-one: child i takes parent i. Otherwise a skewed pick among the parents.
    let key = oneToOne ? 'g' : `1 + floor(power(random(), 3) * (SELECT count(*) FROM ${fk.refTable}))::bigint`;
    if (nullable && !oneToOne) key = `CASE WHEN random() < 0.1 THEN NULL ELSE ${key} END`;
    keys.push(`${key} AS k${n}`);
    const refs = fk.refColumns.map(quoteIdent).join(', ');
    joins.push(`${oneToOne ? 'JOIN' : 'LEFT JOIN'} (SELECT ${refs}, row_number() OVER () AS rn FROM ${fk.refTable}) AS ${alias} ON ${alias}.rn = s.k${n}`);
    fk.columns.forEach((c, j) => fkColumn.set(c, `${alias}.${quoteIdent(fk.refColumns[j])}`));
  });
  // Keys to a parent not filled yet (a self-reference, a cycle) stay NULL: any value would dangle.
  const unfilled = new Set(table.foreignKeys.flatMap((fk) => fk.columns).filter((c) => !fkColumn.has(c)));
  const names: string[] = [];
  const values: string[] = [];
  for (const column of table.columns) {
    if (unfilled.has(column.name)) continue;
    const fk = fkColumn.get(column.name);
    const value = fk ?? (column.autoFilled ? undefined : columnExpression(column, { unique: unique(column.name), i: 's.i' }));
    // Unknown types and self-references are left to their default (or NULL).
    if (value === undefined) continue;
    names.push(quoteIdent(column.name));
    values.push(value);
  }
  // OFFSET 0 keeps the sub-query from being flattened, so each row draws its random keys once.
  const rows = `(SELECT g AS i${keys.length ? `, ${keys.join(', ')}` : ''} FROM generate_series(${start}, ${end}) AS g OFFSET 0) AS s`;
  const target = names.length ? `${table.qualified} (${names.join(', ')})` : table.qualified;
  const select = names.length ? `SELECT ${values.join(', ')}` : 'SELECT';
  const body = names.length ? `${select} FROM ${rows} ${joins.join(' ')}` : `${select} FROM ${rows}`;
  return names.length ? `INSERT INTO ${target} ${body} ON CONFLICT DO NOTHING` : `INSERT INTO ${target} DEFAULT VALUES`;
}


/**
 * Fills the embedded database with generated rows, parents first, in SQL: each chunk is one
 * `INSERT … SELECT … FROM generate_series(…)`, so 100,000 rows cost one statement per chunk rather
 * than 100,000 round trips. A foreign key picks its parent by a skewed index (`power(random(), 3)`:
 * the first eighth of the parents get half the children, like the few users who write most posts),
 * joined to the parents' row numbers. `ON CONFLICT DO NOTHING` keeps composite unique keys valid.
 */
import type { Connector } from '../connector';
import { readTables } from './catalog';
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
  for (const [index, plan] of plans.entries()) {
    const name = plan.table.name;
    let done = 0;
    try {
      for (let start = 1; start <= plan.rows; start += chunk) {
        if (options.isCancelled?.()) throw new GenerationCancelledError();
        const end = Math.min(plan.rows, start + chunk - 1);
        // A seed per chunk: the same schema and size give the same data.
        const seed = ((index * 7919 + start) % 10_000) / 10_000;
        await connector.execScript(`SELECT setseed(${seed}); ${insertStatement(plan, start, end)}`, { timeoutMs: options.timeoutMs });
        done = end;
        if (done < plan.rows) options.onProgress?.({ table: name, rows: done, tableRows: plan.rows, tablesDone: index, tables: plans.length });
      }
    } catch (e) {
      if (e instanceof GenerationCancelledError) throw e;
      result.warnings.push(`${name}: no rows generated (${(e as Error).message.split('\n')[0]})`);
    }
    options.onProgress?.({ table: name, rows: done, tableRows: plan.rows, tablesDone: index + 1, tables: plans.length });
  }
  for (const plan of plans) {
    const count = await connector.run(`SELECT count(*)::int AS n FROM ${plan.table.qualified}`);
    result.rows[plan.table.name] = Number(count.rows[0].n);
  }
  return result;
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


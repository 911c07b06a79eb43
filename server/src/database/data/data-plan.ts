/**
 * Which tables to fill, in which order, with how many rows. Parents come before the tables that
 * reference them; a table that other tables reference gets a tenth of the data size (users have
 * many posts), the others the full size; a one-to-one child gets no more rows than its parent; and
 * all of them together at most TOTAL_ROWS_PER_DATA_SIZE times the data size.
 */
import { parentsFirst } from '../parents-first';
import type { ForeignKeyInfo, TableInfo } from './catalog';

export interface TablePlan {
  table: TableInfo;
  rows: number;
  /** Foreign keys whose parent is filled before this table (the others are left NULL). */
  foreignKeys: ForeignKeyInfo[];
}

export interface DataPlanOptions {
  /** Rows for the biggest tables. */
  dataSize: number;
  /** Rows per table name (`posts` or `public.posts`), overriding the rule above. */
  rowCounts?: Record<string, number>;
}

/**
 * Rows in all, as a multiple of the data size: a schema of many tables (Vendure's hundred entities,
 * a Django project's apps) would otherwise hold millions of rows, minutes and gigabytes of data
 * before the first EXPLAIN. Past it, every table not sized by `rowCounts` shrinks by one factor, so
 * the tables keep their proportions (users have many posts).
 */
export const TOTAL_ROWS_PER_DATA_SIZE = 10;

export interface DataPlan {
  tables: TablePlan[];
  /** Set when the tables were scaled down to the budget: the rows they would have had, and the data size they got instead. */
  scaled?: { wanted: number; dataSize: number };
}

export function planData(tables: readonly TableInfo[], options: DataPlanOptions): DataPlan {
  const plans = planTables(tables, options);
  const budget = options.dataSize * TOTAL_ROWS_PER_DATA_SIZE;
  const total = plans.reduce((n, p) => n + p.rows, 0);
  if (total <= budget) return { tables: plans };
  const fixed = plans.filter((p) => sizedByUser(p.table, options)).reduce((n, p) => n + p.rows, 0);
  const free = total - fixed;
  if (free <= 0 || fixed >= budget) return { tables: plans };
  const dataSize = Math.max(10, Math.floor((options.dataSize * (budget - fixed)) / free));
  return { tables: planTables(tables, { ...options, dataSize }), scaled: { wanted: total, dataSize } };
}

function sizedByUser(table: TableInfo, options: DataPlanOptions): boolean {
  return options.rowCounts?.[table.name] !== undefined || options.rowCounts?.[table.qualified] !== undefined;
}

function planTables(tables: readonly TableInfo[], options: DataPlanOptions): TablePlan[] {
  const referenced = new Set<string>();
  for (const t of tables) for (const fk of t.foreignKeys) if (fk.refTable !== t.qualified) referenced.add(fk.refTable);

  const order = parentsFirst(tables, (t) => t.qualified, (t) => t.foreignKeys.map((fk) => fk.refTable), keyCost);
  const rows = new Map<string, number>();
  const plans: TablePlan[] = [];
  const filled = new Set<string>();
  for (const table of order) {
    const override = options.rowCounts?.[table.name] ?? options.rowCounts?.[table.qualified];
    let count = override ?? (referenced.has(table.qualified) ? Math.max(10, Math.round(options.dataSize / 10)) : options.dataSize);
    // Self-references and parents in a cycle that are not filled yet stay NULL.
    const foreignKeys = table.foreignKeys.filter((fk) => filled.has(fk.refTable));
    for (const fk of foreignKeys) {
      if (isUnique(table, fk.columns) && override === undefined) count = Math.min(count, rows.get(fk.refTable) ?? count);
    }
    rows.set(table.qualified, count);
    plans.push({ table, rows: count, foreignKeys });
    filled.add(table.qualified);
  }
  return plans;
}

/** Whether the columns hold a unique index alone (a one-to-one foreign key). */
export function isUnique(table: TableInfo, columns: readonly string[]): boolean {
  return table.uniques.some((u) => u.length === columns.length && u.every((c) => columns.includes(c)));
}

/**
 * Where tables reference each other, the cycle starts at the table whose keys to the others are
 * easiest to set later (data-generation.ts): nullable ones, then NOT NULL ones, last those in a
 * unique key or the primary key (which must have a value as the row goes in).
 */
function keyCost(t: TableInfo, waitsFor: ReadonlySet<string>): number {
  const columns = t.foreignKeys.filter((fk) => waitsFor.has(fk.refTable)).flatMap((fk) => fk.columns);
  if (columns.some((c) => t.uniques.some((u) => u.includes(c)))) return 2;
  return columns.some((c) => t.columns.find((x) => x.name === c)?.notNull) ? 1 : 0;
}

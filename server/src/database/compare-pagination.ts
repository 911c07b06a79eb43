/**
 * "Compare with the fix" for offset pagination: the query as written (OFFSET) against its keyset
 * rewrite (the rule's fix), at growing page depths, on the same data — so the user sees the offset
 * query slow down page after page while the keyset one stays flat. Each variant is benchmarked
 * read-only; the keyset cursor at a depth is the last row of the page before it, read with the
 * offset query itself.
 */
import type { OrderKey } from '../languages/facts';
import { benchmarkQuery } from './benchmark';
import type { Connector } from './connector';
import { fillParameters } from './query-parameters';

export interface PaginationVariants {
  /** The statement with its offset as `$offsetParam` and its page size as `$limitParam` (when it has a LIMIT). */
  offsetSql: string;
  /** The keyset rewrite: no offset, the cursor as `$cursorParams[i]` for `keys[i]`, the page size as `$limitParam`. */
  keysetSql: string;
  offsetParam: number;
  limitParam?: number;
  cursorParams: number[];
  /** The ordering keys, the tie-breaker included. */
  keys: OrderKey[];
  /** The table paged through (its size bounds the depths). */
  table?: string;
}

export interface DepthResult {
  page: number;
  offset: number;
  offsetP50: number;
  offsetP95: number;
  keysetP50: number;
  keysetP95: number;
}

export interface PaginationComparison {
  offsetSql: string;
  keysetSql: string;
  pageSize: number;
  tableRows?: number;
  depths: DepthResult[];
  notes: string[];
}

export interface CompareRequest {
  pages?: number[];
  runs?: number;
  warmup?: number;
  timeoutMs?: number;
  isCancelled?: () => boolean;
  onProgress?: (message: string) => void;
}

export const DEFAULT_PAGES = [1, 100, 1_000, 10_000];

export async function comparePagination(connector: Connector, v: PaginationVariants, request: CompareRequest = {}): Promise<PaginationComparison> {
  const runs = request.runs ?? 10;
  const warmup = request.warmup ?? 2;
  const timeoutMs = request.timeoutMs;
  const notes: string[] = [];
  const base = await fillParameters(connector, v.offsetSql, timeoutMs);
  const pageSize = v.limitParam ? Number(base.values[v.limitParam - 1]) || 20 : 20;
  const tableRows = v.table ? await estimatedRows(connector, v.table, timeoutMs) : undefined;
  const depths: DepthResult[] = [];
  for (const page of request.pages ?? DEFAULT_PAGES) {
    if (request.isCancelled?.()) break;
    const offset = (page - 1) * pageSize;
    if (tableRows !== undefined && page > 1 && offset >= tableRows) {
      notes.push(`Page ${page.toLocaleString('en-US')} starts past the ~${tableRows.toLocaleString('en-US')} rows of ${v.table}; deeper pages were not measured (a bigger perflens.database.dataSize reaches them).`);
      break;
    }
    request.onProgress?.(`page ${page.toLocaleString('en-US')}: offset`);
    const offsetValues = withValues(base.values, { [v.offsetParam]: offset });
    const offsetRun = compactParams(v.offsetSql, offsetValues);
    const offsetStats = await benchmarkQuery(connector, offsetRun.sql, { params: offsetRun.values, runs, warmup, timeoutMs });
    let keysetStats = offsetStats;
    if (page > 1) {
      // The cursor: the last row of the previous page.
      const cursorRun = compactParams(v.offsetSql, withValues(base.values, { [v.offsetParam]: offset - 1, ...(v.limitParam ? { [v.limitParam]: 1 } : {}) }));
      const row = (await connector.run(cursorRun.sql, { params: cursorRun.values, timeoutMs })).rows[0];
      if (!row) {
        notes.push(`No row before page ${page}: the query returns fewer rows than that.`);
        break;
      }
      const cursor: Record<number, unknown> = {};
      for (let i = 0; i < v.keys.length; i++) {
        const column = v.keys[i].column.split('.').pop()!.replace(/"/g, '');
        if (!(column in row)) throw new Error(`The keyset cursor needs ${column} from each row, and the query does not select it; add it to the SELECT list to compare.`);
        cursor[v.cursorParams[i]] = row[column];
      }
      request.onProgress?.(`page ${page.toLocaleString('en-US')}: keyset`);
      const keysetRun = compactParams(v.keysetSql, withValues(base.values, cursor));
      keysetStats = await benchmarkQuery(connector, keysetRun.sql, { params: keysetRun.values, runs, warmup, timeoutMs });
    }
    depths.push({ page, offset, offsetP50: offsetStats.p50, offsetP95: offsetStats.p95, keysetP50: keysetStats.p50, keysetP95: keysetStats.p95 });
  }
  // As they ran: parameters numbered from $1.
  return { offsetSql: compactParams(v.offsetSql, []).sql, keysetSql: compactParams(v.keysetSql, []).sql, pageSize, tableRows, depths, notes };
}

function withValues(values: readonly unknown[], set: Record<number, unknown>): unknown[] {
  const out = [...values];
  for (const [n, value] of Object.entries(set)) out[Number(n) - 1] = value;
  return out;
}

/**
 * Renumbers `$n` to `$1 … $k` in order of their numbers, keeping only the ones the text uses
 * (PostgreSQL cannot type a parameter that appears nowhere), and the values to match.
 */
export function compactParams(sql: string, values: readonly unknown[]): { sql: string; values: unknown[] } {
  const used = [...new Set([...stripQuoted(sql).matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const map = new Map(used.map((n, i) => [n, i + 1]));
  let out = '';
  let last = 0;
  const masked = stripQuoted(sql);
  for (const m of masked.matchAll(/\$(\d+)/g)) {
    out += `${sql.slice(last, m.index)}$${map.get(Number(m[1]))}`;
    last = m.index! + m[0].length;
  }
  out += sql.slice(last);
  return { sql: out, values: used.map((n) => values[n - 1]) };
}

/** The text with string literals and comments blanked (same length), so that `$1` in them is not a parameter. */
function stripQuoted(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length));
}

async function estimatedRows(connector: Connector, table: string, timeoutMs?: number): Promise<number | undefined> {
  const name = table.replace(/"/g, '').split('.').pop()!;
  const result = await connector.run("SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1 AND relkind IN ('r', 'p', 'm')", { params: [name], timeoutMs });
  const n = Number(result.rows[0]?.n);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
}

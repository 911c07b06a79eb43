/**
 * "Compare with the fix" for an N+1 finding: the per-item query run once per item (1+N round
 * trips, as the loop does) against one batched query over all the items' keys (`= ANY($1)`, the
 * `IN (…)` the fix writes), for N = 10, 100 and 1,000 keys sampled from the data. Each size is
 * measured a few times and the median kept; every statement is read-only.
 */
import { performance } from 'node:perf_hooks';
import type { Connector } from './connector';
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
  sizes: BatchSize[];
  notes: string[];
}

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

export async function compareBatch(
  connector: Connector,
  sql: string,
  request: { sizes?: number[]; rounds?: number; timeoutMs?: number; isCancelled?: () => boolean; onProgress?: (message: string) => void } = {},
): Promise<BatchComparison> {
  const batchedSql = batchedStatement(sql);
  if (!batchedSql) throw new Error('The comparison needs a lookup by one key (`… WHERE key = $1`); this query is not one.');
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
    request.onProgress?.(`N = ${n.toLocaleString('en-US')}: ${n} lookups`);
    const perItem: number[] = [];
    const batched: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      for (const key of batch) await connector.run(sql, { params: [key], timeoutMs: request.timeoutMs });
      perItem.push(performance.now() - t0);
      t0 = performance.now();
      await connector.run(batchedSql, { params: [batch], timeoutMs: request.timeoutMs });
      batched.push(performance.now() - t0);
    }
    out.push({ n, perItemMs: median(perItem), batchedMs: median(batched) });
  }
  notes.push('Round trips here are to the database PerfLens runs; over a network each of the N lookups also pays the latency to the database server.');
  return { perItemSql: sql, batchedSql, sizes: out, notes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * "Compare every row vs a page" for an unbounded-result-set finding: the read as written against
 * the same read capped at a page (`LIMIT 100`, what the quick-fix writes), on the same data: how
 * many rows each returns, how large they are as JSON (what a handler sends), and how long each
 * takes. Both are reads; they run as the benchmark runs them.
 */
import { benchmarkQuery } from './benchmark';
import type { Connector } from './connector';
import { QueryCancelledError } from './database-errors';
import { fillParameters } from './query-parameters';

export interface CapSide {
  rows: number;
  /** The rows as JSON, in bytes: about what a handler that returns them sends. */
  bytes: number;
  p50: number;
  p95: number;
}

export interface CapComparison {
  cappedSql: string;
  cap: number;
  all: CapSide;
  capped: CapSide;
  notes: string[];
}

export interface CapRequest {
  cap?: number;
  runs?: number;
  warmup?: number;
  timeoutMs?: number;
  isCancelled?: () => boolean;
  onProgress?: (message: string) => void;
}

export const DEFAULT_CAP = 100;

/** The statement with `LIMIT cap` after it (its trailing semicolon and comments dropped). */
export function cappedStatement(sql: string, cap: number): string {
  let statement = sql;
  for (let before = ''; before !== statement; ) {
    before = statement;
    // Trailing blanks and semicolons, then a comment on the last line (no quote after its dashes).
    statement = statement.replace(/[\s;]+$/, '').replace(/--[^\n'"]*$/, '');
  }
  return `${statement}\nLIMIT ${cap}`;
}

/** JSON size of the rows, as a driver hands them over (bigints as their digits). */
function jsonBytes(rows: readonly unknown[]): number {
  return Buffer.byteLength(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

export async function compareCap(connector: Connector, sql: string, request: CapRequest = {}): Promise<CapComparison> {
  const cap = request.cap ?? DEFAULT_CAP;
  const runs = request.runs ?? 10;
  const warmup = request.warmup ?? 2;
  const { timeoutMs } = request;
  const notes: string[] = [];
  const cappedSql = cappedStatement(sql, cap);
  const filled = await fillParameters(connector, sql, timeoutMs);
  const stop = () => {
    if (request.isCancelled?.()) throw new QueryCancelledError('comparison stopped');
  };
  const side = async (label: string, statement: string): Promise<CapSide> => {
    stop();
    request.onProgress?.(`${label}: reading the rows`);
    const result = await connector.run(statement, { params: filled.values, timeoutMs });
    stop();
    request.onProgress?.(`${label}: timing ${runs} runs`);
    const stats = await benchmarkQuery(connector, statement, { params: filled.values, runs, warmup, timeoutMs });
    return { rows: result.rows.length, bytes: jsonBytes(result.rows), p50: stats.p50, p95: stats.p95 };
  };
  const all = await side('every row', sql);
  const capped = await side(`first ${cap}`, cappedSql);
  if (all.rows <= cap) {
    notes.push(`The data holds ${all.rows.toLocaleString('en-US')} matching row${all.rows === 1 ? '' : 's'}, no more than the cap: the two reads return the same rows. The gap opens as the table grows (a larger perflens.database.dataSize shows it).`);
  }
  return { cappedSql, cap, all, capped, notes };
}

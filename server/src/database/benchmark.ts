/**
 * Runs a statement many times, `concurrency` at a time after `warmup` untimed runs, and reports the
 * latency distribution measured around each run. Every run is rolled back, so a write can be
 * measured (when writes are allowed) without piling up rows.
 */
import { performance } from 'node:perf_hooks';
import type { BenchmarkCommandResult } from '../protocol';
import type { Connector } from './connector';
import { QueryCancelledError } from './database-errors';
import { fillParameters } from './query-parameters';

/** The most runs at a time a benchmark asks for: the language server's pools are this big (connections open as used). */
export const MAX_BENCHMARK_CONCURRENCY = 32;

export interface BenchmarkRequest {
  runs?: number;
  concurrency?: number;
  warmup?: number;
  params?: unknown[];
  allowWrites?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** The result shape clients receive (the protocol's), without what the command adds (range, notes, origin). */
export type BenchmarkResult = Omit<BenchmarkCommandResult, 'range' | 'notes' | 'origin' | 'description'>;
export type LatencyStats = Pick<BenchmarkResult, 'p50' | 'p95' | 'p99' | 'mean' | 'min' | 'max'>;

export async function benchmarkQuery(connector: Connector, sql: string, request: BenchmarkRequest = {}): Promise<BenchmarkResult> {
  const runs = Math.max(1, Math.floor(request.runs ?? 50));
  // No more at a time than the connector runs at once: the others would wait in its queue, and the
  // result would claim a concurrency that never happened.
  const concurrency = Math.max(1, Math.min(runs, connector.maxConcurrency, Math.floor(request.concurrency ?? 1)));
  const warmup = Math.max(0, Math.floor(request.warmup ?? 5));
  const filled = request.params ? { values: request.params, sources: request.params.map(() => 'given') } : await fillParameters(connector, sql, request.timeoutMs);
  const once = (): Promise<unknown> => {
    if (request.signal?.aborted) throw new QueryCancelledError('benchmark stopped');
    return connector.run(sql, { params: filled.values, allowWrites: request.allowWrites, rollback: true, timeoutMs: request.timeoutMs });
  };
  for (let i = 0; i < warmup; i++) await once();
  const timings: number[] = [];
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < runs) {
      started++;
      const t0 = performance.now();
      await once();
      timings.push(performance.now() - t0);
      request.onProgress?.(timings.length, runs);
    }
  };
  const wall0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const totalMs = performance.now() - wall0;
  return {
    sql,
    database: connector.description,
    params: filled.values,
    paramSources: filled.sources,
    runs,
    concurrency,
    warmup,
    ...latencyStats(timings),
    totalMs,
    perSecond: totalMs > 0 ? (runs * 1000) / totalMs : 0,
    timingsMs: timings,
  };
}

/** Why a benchmark ran fewer statements at a time than `asked`, if it did. */
export function concurrencyNotes(asked: number, result: Pick<BenchmarkResult, 'runs' | 'concurrency' | 'database'>): string[] {
  if (result.concurrency >= Math.min(asked, result.runs)) return [];
  return [
    result.concurrency === 1
      ? `Concurrency ${asked} was asked; ${result.database} runs one statement at a time, so the runs were sequential.`
      : `Concurrency ${asked} was asked; at most ${result.concurrency} statements run at a time on ${result.database}.`,
  ];
}

/** Percentiles by the nearest-rank method: the value below which p % of the runs fall. */
export function latencyStats(timings: readonly number[]): LatencyStats {
  if (timings.length === 0) throw new Error('no timings');
  const sorted = [...timings].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return {
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    mean: sorted.reduce((s, t) => s + t, 0) / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

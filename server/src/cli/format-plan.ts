/** Text and JSON output of `perflens explain` and `perflens bench`. */
import type { BenchmarkResult } from '../database/benchmark';
import type { ExplainResult } from '../database/explain';
import { formatCount, formatMs } from '../database/plan-summary';
import { nodeLabel, type PlanNode } from '../database/plan-tree';

/** With `--at`: where the query is written, and how its SQL was made (an ORM call translated). */
export interface QuerySource {
  where: string;
  description?: string;
}

/** `src/posts.ts:12: prisma.post.findMany → SQL` and the SQL run, above the results. */
function sourceLines(from: QuerySource | undefined, sql: string): string[] {
  return from ? [`${from.where}: ${from.description ?? 'SQL'}`, `  ${sql.replace(/\s*\n\s*/g, ' ')}`, ''] : [];
}

export function explainText(r: ExplainResult, notes: readonly string[], from?: QuerySource): string {
  const lines = [...sourceLines(from, r.sql), r.summary, `database: ${r.database}`];
  r.params.forEach((v, i) => lines.push(`$${i + 1} = ${JSON.stringify(v)} (${r.paramSources[i]})`));
  lines.push('', 'plan:');
  const walk = (n: PlanNode, depth: number): void => {
    lines.push(`${'  '.repeat(depth + 1)}${depth ? '-> ' : ''}${nodeLabel(n)}  ${nodeStats(n)}`);
    for (const detail of [n.condition && `cond: ${n.condition}`, n.filter && `filter: ${n.filter}`, n.sort && n.sort.keys.length && `sort key: ${n.sort.keys.join(', ')}`]) {
      if (detail) lines.push(`${'  '.repeat(depth + 2)}   ${detail}`);
    }
    n.children.forEach((c) => walk(c, depth + 1));
  };
  walk(r.plan.root, 0);
  if (r.plan.planningMs !== undefined) lines.push(`planning ${formatMs(r.plan.planningMs)}${r.plan.executionMs !== undefined ? ` · execution ${formatMs(r.plan.executionMs)}` : ''}`);
  if (r.warnings.length) {
    lines.push('', 'warnings:');
    for (const w of r.warnings) lines.push(`  ! ${w.message}`);
  }
  return withNotes(lines, notes);
}

/** `810 rows updated`, `2 rows inserted, 1 conflict`. */
export function writtenText(w: NonNullable<PlanNode['written']>): string {
  return `${formatCount(w.rows)} row${w.rows === 1 ? '' : 's'} ${w.verb}${w.conflicts ? `, ${formatCount(w.conflicts)} conflict${w.conflicts === 1 ? '' : 's'}` : ''}`;
}

function nodeStats(n: PlanNode): string {
  const parts = [`est ${formatCount(n.rowsEstimated)} rows`];
  if (n.rowsActual !== undefined) parts.push(`actual ${formatCount(n.rowsActual)} rows × ${n.loops ?? 1} loop${n.loops === 1 ? '' : 's'}`);
  if (n.written) parts.push(writtenText(n.written));
  if (n.totalMs !== undefined) parts.push(formatMs(n.totalMs));
  parts.push(`cost ${n.cost.total.toFixed(2)}`);
  if (n.buffers && (n.buffers.sharedHit || n.buffers.sharedRead)) parts.push(`buffers hit ${formatCount(n.buffers.sharedHit)} read ${formatCount(n.buffers.sharedRead)}`);
  return `(${parts.join(' · ')})`;
}

export function explainJson(r: ExplainResult, notes: readonly string[], from?: QuerySource): string {
  const { raw, plan, ...rest } = r;
  return `${JSON.stringify({ version: 1, ...(from ? { source: from } : {}), ...rest, plan: plan.root, analyzed: plan.analyzed, planningMs: plan.planningMs, executionMs: plan.executionMs, notes, raw }, null, 2)}\n`;
}

export function benchText(r: BenchmarkResult, notes: readonly string[], from?: QuerySource): string {
  const lines = [
    ...sourceLines(from, r.sql),
    `p50 ${formatMs(r.p50)} · p95 ${formatMs(r.p95)} · p99 ${formatMs(r.p99)}`,
    `mean ${formatMs(r.mean)} · min ${formatMs(r.min)} · max ${formatMs(r.max)} · ${r.perSecond.toFixed(1)} runs/s`,
    `${r.runs} runs · concurrency ${r.concurrency} · warmup ${r.warmup} · ${r.database}`,
  ];
  r.params.forEach((v, i) => lines.push(`$${i + 1} = ${JSON.stringify(v)} (${r.paramSources[i]})`));
  return withNotes(lines, notes);
}

export function benchJson(r: BenchmarkResult, notes: readonly string[], from?: QuerySource): string {
  return `${JSON.stringify({ version: 1, ...(from ? { source: from } : {}), ...r, notes }, null, 2)}\n`;
}

function withNotes(lines: string[], notes: readonly string[]): string {
  if (notes.length) lines.push('', 'notes:', ...notes.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}

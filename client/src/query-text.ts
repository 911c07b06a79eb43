/**
 * Text the editor shows for query results: the inline line at the end of a query, and the hover's
 * Markdown. Pure functions of the command results (no `vscode` import), so tests read them directly.
 */
import type { BenchmarkCommandResult, CompareFixCommandResult, ExplainCommandResult, PlanNodeData } from '../../server/src/protocol';

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function rows(n: number): string {
  return count.format(Math.round(n));
}

/** `2,847 ms`, `48.2 ms`, `0.41 ms`. */
export function ms(value: number): string {
  if (value >= 100) return `${count.format(Math.round(value))} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function latencyLine(b: BenchmarkCommandResult): string {
  return `p50 ${ms(b.p50)} · p95 ${ms(b.p95)} · p99 ${ms(b.p99)}`;
}

/** `12×`, `1.8×`: how many times faster. */
export function times(ratio: number): string {
  return `${ratio >= 10 ? count.format(Math.round(ratio)) : ratio.toFixed(1)}×`;
}

/** `2.1 MB`, `48 KB`, `8.8 KB`, `812 B`. */
export function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return bytes < 10 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${count.format(bytes / 1024)} KB`;
  return `${count.format(bytes)} B`;
}

/** The deepest page measured, offset against keyset: `page 1,000: offset 45.1 ms · keyset 0.42 ms (107× faster)`. */
export function compareLine(c: CompareFixCommandResult): string {
  if (c.kind === 'unbounded-result-set') {
    const ratio = c.capped.p50 > 0 ? c.all.p50 / c.capped.p50 : undefined;
    return `every row: ${rows(c.all.rows)} rows, ${size(c.all.bytes)}, ${ms(c.all.p50)} · first ${rows(c.cap)}: ${rows(c.capped.rows)} rows, ${size(c.capped.bytes)}, ${ms(c.capped.p50)}${ratio && c.all.rows > c.cap ? ` (${times(ratio)} faster)` : ''}`;
  }
  if (c.kind === 'n-plus-one') {
    const largest = c.sizes[c.sizes.length - 1];
    if (!largest) return '1+N against batched: nothing measured';
    return `N = ${rows(largest.n)}: ${ms(largest.perItemMs)} one by one · ${ms(largest.batchedMs)} batched${largest.batchedMs > 0 ? ` (${times(largest.perItemMs / largest.batchedMs)} faster)` : ''}`;
  }
  const deepest = c.depths[c.depths.length - 1];
  if (!deepest) return 'offset vs keyset: nothing measured';
  const ratio = deepest.keysetP50 > 0 ? deepest.offsetP50 / deepest.keysetP50 : undefined;
  return `page ${rows(deepest.page)}: offset ${ms(deepest.offsetP50)} · keyset ${ms(deepest.keysetP50)}${ratio && deepest.page > 1 ? ` (keyset ${times(ratio)} faster)` : ''}`;
}

/** The end-of-line text: the plan summary (with a mark when the plan has a warning), then the latencies. */
export function inlineText(explain: ExplainCommandResult | undefined, benchmark: BenchmarkCommandResult | undefined, compare?: CompareFixCommandResult): string {
  const parts: string[] = [];
  if (explain) parts.push(`${explain.warnings.length ? '⚠ ' : ''}${explain.summary}`);
  if (benchmark) parts.push(`${latencyLine(benchmark)} (${benchmark.runs} runs)`);
  if (compare) parts.push(compareLine(compare));
  return parts.join('   ');
}

function nodeLine(n: PlanNodeData): string {
  const stats = [`est ${rows(n.rowsEstimated)}`];
  if (n.rowsActual !== undefined) stats.push(`actual ${rows(n.rowsActual)}${(n.loops ?? 1) > 1 ? ` × ${n.loops}` : ''}`);
  if (n.written) stats.push(`${rows(n.written.rows)} ${n.written.verb}`);
  if (n.selfMs !== undefined) stats.push(`self ${ms(n.selfMs)}`);
  return `${n.label ?? n.nodeType}  (${stats.join(' · ')})`;
}

/** The plan as an indented text tree (PostgreSQL's own `->` style), for the hover. */
export function planTreeText(root: PlanNodeData): string {
  const lines: string[] = [];
  const walk = (n: PlanNodeData, depth: number): void => {
    lines.push(`${'   '.repeat(depth)}${depth ? '-> ' : ''}${nodeLine(n)}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  walk(root, 0);
  return lines.join('\n');
}

/** Markdown for the hover over a query with results; `planCommand` is a command URI that opens the plan view. */
export function hoverMarkdown(explain: ExplainCommandResult | undefined, benchmark: BenchmarkCommandResult | undefined, planCommand: string, compare?: CompareFixCommandResult): string {
  const out: string[] = [];
  if (compare?.kind === 'offset-pagination') {
    out.push('**Offset vs keyset** (p50 per page)', '', '| page | offset | keyset |', '|---:|---:|---:|');
    for (const d of compare.depths) out.push(`| ${rows(d.page)} | ${ms(d.offsetP50)} | ${ms(d.keysetP50)} |`);
    out.push('');
  }
  if (compare?.kind === 'unbounded-result-set') {
    out.push('**Every row against the first page** (p50)', '', '| read | rows | JSON | p50 | p95 |', '|---|---:|---:|---:|---:|');
    out.push(`| every row | ${rows(compare.all.rows)} | ${size(compare.all.bytes)} | ${ms(compare.all.p50)} | ${ms(compare.all.p95)} |`);
    out.push(`| first ${rows(compare.cap)} | ${rows(compare.capped.rows)} | ${size(compare.capped.bytes)} | ${ms(compare.capped.p50)} | ${ms(compare.capped.p95)} |`, '');
  }
  if (compare?.kind === 'n-plus-one') {
    out.push('**1+N against batched**', '', '| N | one by one | batched |', '|---:|---:|---:|');
    for (const s of compare.sizes) out.push(`| ${rows(s.n)} | ${ms(s.perItemMs)} | ${ms(s.batchedMs)} |`);
    out.push('');
  }
  if (explain) {
    out.push(`**PerfLens EXPLAIN** · ${escapeMarkdown(explain.database)}`, '', `${explain.warnings.length ? '⚠ ' : ''}${escapeMarkdown(explain.summary)}`, '');
    out.push('```text', planTreeText(explain.plan.root), '```');
    for (const w of explain.warnings) out.push(`- ⚠ ${escapeMarkdown(w.message)}`);
    if (explain.plan.executionMs !== undefined) out.push('', `planning ${ms(explain.plan.planningMs ?? 0)} · execution ${ms(explain.plan.executionMs)}`);
  }
  if (benchmark) {
    out.push('', `**Benchmark** · ${benchmark.runs} runs, concurrency ${benchmark.concurrency} · ${escapeMarkdown(benchmark.database)}`, '');
    out.push(`${latencyLine(benchmark)} · max ${ms(benchmark.max)} · ${benchmark.perSecond.toFixed(1)} runs/s`);
  }
  const params = explain ?? benchmark;
  if (params?.params.length) {
    out.push('', params.params.map((v, i) => `\`$${i + 1}\` = \`${JSON.stringify(v)}\` (${escapeMarkdown(params.paramSources[i] ?? '')})`).join(' · '));
  }
  for (const note of (explain ?? benchmark ?? compare)?.notes ?? []) out.push('', `_${escapeMarkdown(note)}_`);
  out.push('', `[Open the plan view](${planCommand})`);
  return out.join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

/**
 * The plan view's page: the plan tree with each node's share of the time, estimated against actual
 * rows, buffers and the problems PerfLens found; and, after a benchmark, its percentiles and a
 * histogram. Static HTML (no scripts) coloured by the editor theme's CSS variables. Pure, so tests
 * render it without VS Code.
 */
import type { BatchComparisonResult, BenchmarkCommandResult, CapComparisonResult, CompareFixCommandResult, ExplainCommandResult, IndexAdviceResult, PaginationComparisonResult, PlanNodeData } from '../../server/src/protocol';
import { latencyLine, ms, rows, size, times } from './query-text';

export interface PlanPage {
  /** Where the query is, for the heading (`posts.ts:23`). */
  source?: string;
  explain?: ExplainCommandResult;
  benchmark?: BenchmarkCommandResult;
  advice?: IndexAdviceResult;
  compare?: CompareFixCommandResult;
}

/** The server's warning kinds, as the flags shown beside the node they are about. */
const FLAGS: Record<string, string> = { 'seq-scan': 'sequential scan', 'sort-spill': 'spilled to disk', 'hash-spill': 'spilled to disk', misestimate: 'row misestimate', filesort: 'filesort', temporary: 'temporary table' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function planHtml(page: PlanPage, nonce: string): string {
  const sql = page.explain?.sql ?? page.benchmark?.sql ?? page.compare?.sql ?? '';
  const database = page.explain?.database ?? page.benchmark?.database ?? page.compare?.database ?? '';
  const description = page.explain?.description ?? page.benchmark?.description;
  const body = [
    `<h1>${escapeHtml(page.source ? `Query at ${page.source}` : 'Query')}</h1>`,
    `<p class="muted">${escapeHtml(database)}</p>`,
    description ? `<p class="muted">${escapeHtml(description)} (translated by PerfLens from the ORM call)</p>` : '',
    `<pre class="sql">${escapeHtml(sql)}</pre>`,
    page.compare ? compareSection(page.compare) : '',
    page.advice ? adviceSection(page.advice) : '',
    page.explain ? explainSection(page.explain) : '',
    page.benchmark ? benchmarkSection(page.benchmark) : '',
    notesSection([...(page.explain?.notes ?? []), ...(page.benchmark?.notes ?? []), ...(page.advice?.notes ?? []), ...(page.compare?.notes ?? [])]),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; img-src data:;">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>PerfLens: Query Plan</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
}

function explainSection(e: ExplainCommandResult): string {
  const total = e.plan.analyzed ? e.plan.executionMs ?? sumSelf(e.plan.root, (n) => n.selfMs ?? 0) : sumSelf(e.plan.root, (n) => n.selfCost ?? 0);
  const share = (n: PlanNodeData) => (total > 0 ? ((e.plan.analyzed ? n.selfMs ?? 0 : n.selfCost ?? 0) / total) * 100 : 0);
  const rowsOut: string[] = [];
  const walk = (n: PlanNodeData, depth: number): void => {
    const flags = [...new Set(e.warnings.filter((w) => w.node === (n.label ?? n.nodeType)).map((w) => FLAGS[w.kind] ?? w.kind))];
    rowsOut.push(nodeRow(n, depth, Math.min(100, share(n)), e.plan.analyzed, flags));
    n.children.forEach((c) => walk(c, depth + 1));
  };
  walk(e.plan.root, 0);
  const timing = e.plan.executionMs !== undefined ? `planning ${ms(e.plan.planningMs ?? 0)} · execution ${ms(e.plan.executionMs)}` : 'estimated plan (EXPLAIN without ANALYZE)';
  const warnings = e.warnings.length
    ? `<ul class="warnings">${e.warnings.map((w) => `<li><span class="warn">⚠</span> ${escapeHtml(w.message)}</li>`).join('')}</ul>`
    : '<p class="ok">No plan problems found.</p>';
  const params = e.params.length
    ? `<p class="muted">${e.params.map((v, i) => `<code>$${i + 1}</code> = <code>${escapeHtml(JSON.stringify(v))}</code> (${escapeHtml(e.paramSources[i] ?? '')})`).join(' · ')}</p>`
    : '';
  return `<h2>Plan</h2>
<p class="summary">${escapeHtml(e.summary)}</p>
<p class="muted">${timing}</p>
${params}
${warnings}
<div class="plan-wrap"><table class="plan nodes">
<thead><tr><th>Node</th><th>${e.plan.analyzed ? 'Self time' : 'Self cost'}</th><th class="num">Rows (actual)</th><th class="num">Rows (estimated)</th><th class="num">Loops</th><th class="num">Buffers hit / read</th></tr></thead>
<tbody>
${rowsOut.join('\n')}
</tbody>
</table></div>`;
}

function sumSelf(n: PlanNodeData, value: (n: PlanNodeData) => number): number {
  return value(n) + n.children.reduce((s, c) => s + sumSelf(c, value), 0);
}

function nodeRow(n: PlanNodeData, depth: number, percent: number, analyzed: boolean, flags: readonly string[]): string {
  const misestimated = flags.includes(FLAGS.misestimate);
  const details = [
    n.condition && `cond: ${n.condition}`,
    n.filter && `filter: ${n.filter}`,
    n.rowsRemovedByFilter ? `${rows(n.rowsRemovedByFilter)} rows removed by filter` : '',
    n.written ? `${rows(n.written.rows)} row${n.written.rows === 1 ? '' : 's'} ${n.written.verb}${n.written.conflicts ? `, ${rows(n.written.conflicts)} in conflict` : ''} (its actual rows are the ones it returns: none without RETURNING)` : '',
    n.sort?.keys.length ? `sort key: ${n.sort.keys.join(', ')}${n.sort.method ? ` (${n.sort.method}${n.sort.spaceKb !== undefined ? `, ${rows(n.sort.spaceKb)} kB ${n.sort.spaceType ?? ''}` : ''})` : ''}` : '',
  ].filter(Boolean) as string[];
  const self = analyzed ? (n.selfMs !== undefined ? ms(n.selfMs) : '') : (n.selfCost ?? 0).toFixed(1);
  const buffers = n.buffers ? `${rows(n.buffers.sharedHit)} / ${rows(n.buffers.sharedRead)}` : '';
  const pad = '&nbsp;&nbsp;&nbsp;'.repeat(depth + 1);
  // The numbers of the last four columns, for a narrow view, where those columns are hidden (STYLE).
  const counts = [
    n.rowsActual !== undefined ? `${misestimated ? '<span class="bad">' : '<span>'}${rows(n.rowsActual)} rows</span> (estimated ${rows(n.rowsEstimated)})` : `${rows(n.rowsEstimated)} rows estimated`,
    n.loops !== undefined && n.loops !== 1 ? `${n.loops} loops` : '',
    buffers && `buffers ${buffers}`,
  ].filter(Boolean);
  return `<tr class="${flags.length ? 'problem' : ''}">
<td class="node"><span class="indent">${'&nbsp;&nbsp;&nbsp;'.repeat(depth)}${depth ? '↳ ' : ''}</span><strong>${escapeHtml(n.label ?? n.nodeType)}</strong>${flags.map((f) => ` <span class="flag">${f}</span>`).join('')}${details.map((d) => `<div class="detail">${pad}${escapeHtml(d)}</div>`).join('')}<div class="counts">${pad}${counts.map((c) => `<span class="count">${c}</span>`).join(' · ')}</div></td>
<td class="time"><svg class="bar" width="100" height="10" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10"/><rect class="fill" width="${percent.toFixed(1)}" height="10"/></svg> <span class="self">${self}</span> <span class="muted">${percent.toFixed(0)}%</span></td>
<td class="num${misestimated ? ' bad' : ''}">${n.rowsActual !== undefined ? rows(n.rowsActual) : ''}</td>
<td class="num">${rows(n.rowsEstimated)}</td>
<td class="num">${n.loops ?? ''}</td>
<td class="num">${buffers}</td>
</tr>`;
}

/** Two bars per group (the code as written, and with the fix), log scale so the small one stays visible, values on top. */
function pairChart(groups: ReadonlyArray<{ label: string; before: number; after: number }>, legend: [string, string]): string {
  const W = 600;
  const H = 160;
  const all = groups.flatMap((g) => [g.before, g.after]).filter((x) => x > 0);
  const lo = Math.log10(Math.min(...all) / 2);
  const hi = Math.log10(Math.max(...all) * 1.2);
  const y = (v: number) => H - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo || 1)) * (H - 24);
  const group = W / groups.length;
  const bar = Math.min(60, group / 3);
  const bars = groups
    .map((g, i) => {
      const x = i * group + group / 2 - bar;
      const rect = (cls: string, at: number, v: number) => `<rect class="${cls}" x="${at.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(H - y(v)).toFixed(1)}"><title>${ms(v)}</title></rect><text class="value" x="${(at + bar / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle">${ms(v)}</text>`;
      return `${rect('offset', x, g.before)}${rect('keyset', x + bar, g.after)}<text class="axis" x="${(i * group + group / 2).toFixed(1)}" y="${H + 14}" text-anchor="middle">${escapeHtml(g.label)}</text>`;
    })
    .join('');
  const legendSvg = `<text class="axis legend-offset" x="0" y="10">■ ${escapeHtml(legend[0])}</text><text class="axis legend-keyset" x="${legend[0].length * 7 + 24}" y="10">■ ${escapeHtml(legend[1])}</text>`;
  return `<svg class="histogram" width="${W}" height="${H + 18}" viewBox="0 0 ${W} ${H + 18}" role="img" aria-label="${escapeHtml(legend.join(' against '))}">${legendSvg}${bars}</svg>`;
}

function compareSection(c: CompareFixCommandResult): string {
  return c.kind === 'n-plus-one' ? batchSection(c) : c.kind === 'unbounded-result-set' ? capSection(c) : paginationSection(c);
}

/** Every row against the first page: rows, size as JSON and latency of each, side by side. */
function capSection(c: CapComparisonResult): string {
  const row = (label: string, s: CapComparisonResult['all']) => `<tr><td>${escapeHtml(label)}</td><td class="num">${rows(s.rows)}</td><td class="num">${size(s.bytes)}</td><td class="num">${ms(s.p50)}</td><td class="num">${ms(s.p95)}</td></tr>`;
  const faster = c.capped.p50 > 0 && c.all.rows > c.cap ? `<p>The first page is ${times(c.all.p50 / c.capped.p50)} faster and ${c.capped.bytes > 0 ? times(c.all.bytes / c.capped.bytes) : ''} smaller; the read as written grows with the table.</p>` : '';
  return `<h2>Every row vs first ${rows(c.cap)}</h2>
<p class="muted">The read as written against the same read with <code>LIMIT ${c.cap}</code> (what the quick-fix caps it to), on the same data; rows as JSON is about what a handler that returns them sends.</p>
${pairChart([{ label: 'p50', before: c.all.p50, after: c.capped.p50 }, { label: 'p95', before: c.all.p95, after: c.capped.p95 }], ['every row', `first ${rows(c.cap)}`])}
<div class="plan-wrap"><table class="plan">
<thead><tr><th>Read</th><th class="num">Rows</th><th class="num">As JSON</th><th class="num">p50</th><th class="num">p95</th></tr></thead>
<tbody>
${row('every row', c.all)}
${row(`first ${rows(c.cap)}`, c.capped)}
</tbody>
</table></div>
${faster}
<p class="muted">Capped query:</p>
<pre class="sql">${escapeHtml(c.cappedSql)}</pre>`;
}

/** 1+N lookups (or writes) against one batched statement, per N. */
function batchSection(c: BatchComparisonResult): string {
  if (c.sizes.length === 0) return '<h2>1+N against batched</h2><p class="muted">Nothing measured.</p>';
  const table = c.sizes
    .map((s) => `<tr><td class="num">${rows(s.n)}</td><td class="num">${ms(s.perItemMs)}</td><td class="num">${ms(s.batchedMs)}</td><td class="num">${s.batchedMs > 0 ? times(s.perItemMs / s.batchedMs) : ''}</td></tr>`)
    .join('\n');
  const w = c.write;
  const what = w === 'insert' ? 'The INSERT of one row once per item' : w ? `The ${w.toUpperCase()} by key once per item` : 'The lookup once per item';
  const batch = w === 'insert' ? 'one INSERT of all the rows' : w ? `one ${w.toUpperCase()} of all the keys` : 'one query over all the keys';
  const data = w === 'insert' ? 'values taken from rows of the table, every write rolled back' : w ? 'keys sampled from the data, every write rolled back' : 'keys sampled from the data';
  return `<h2>1+N against batched</h2>
<p class="muted">${what} (a round trip each, as the loop runs it) against ${batch} (what the batch fix writes); ${data}, median of 3 rounds.</p>
${pairChart(c.sizes.map((s) => ({ label: `N = ${rows(s.n)}`, before: s.perItemMs, after: s.batchedMs })), [w ? `one ${w} per item` : 'one query per item', w ? `one batched ${w}` : 'one batched query'])}
<div class="plan-wrap"><table class="plan">
<thead><tr><th class="num">N</th><th class="num">N ${w ? `${w}s` : 'lookups'}</th><th class="num">1 batched ${w ?? 'query'}</th><th class="num">Batched faster</th></tr></thead>
<tbody>
${table}
</tbody>
</table></div>
<p class="muted">Batched ${w ? 'statement' : 'query'}:</p>
<pre class="sql">${escapeHtml(c.batchedSql)}</pre>`;
}

/** Offset against keyset per page depth: a grouped bar chart of the p50s and a table. */
function paginationSection(c: PaginationComparisonResult): string {
  if (c.depths.length === 0) return '<h2>Offset vs keyset</h2><p class="muted">Nothing measured.</p>';
  const table = c.depths
    .map((d) => `<tr><td class="num">${rows(d.page)}</td><td class="num">${rows(d.offset)}</td><td class="num">${ms(d.offsetP50)}</td><td class="num">${ms(d.offsetP95)}</td><td class="num">${ms(d.keysetP50)}</td><td class="num">${ms(d.keysetP95)}</td><td class="num">${d.page > 1 && d.keysetP50 > 0 ? times(d.offsetP50 / d.keysetP50) : ''}</td></tr>`)
    .join('\n');
  return `<h2>Offset vs keyset</h2>
<p class="muted">The query as written and its keyset rewrite (the quick-fix), ${c.pageSize} rows per page${c.tableRows !== undefined ? `, ~${rows(c.tableRows)} rows in the table` : ''}; p50 of each page's runs.</p>
${pairChart(c.depths.map((d) => ({ label: `page ${rows(d.page)}`, before: d.offsetP50, after: d.keysetP50 })), ['offset', 'keyset'])}
<div class="plan-wrap"><table class="plan">
<thead><tr><th class="num">Page</th><th class="num">Offset</th><th class="num">Offset p50</th><th class="num">p95</th><th class="num">Keyset p50</th><th class="num">p95</th><th class="num">Keyset faster</th></tr></thead>
<tbody>
${table}
</tbody>
</table></div>
<p class="muted">Keyset query:</p>
<pre class="sql">${escapeHtml(c.keysetSql)}</pre>`;
}

/** The indexes tried, best first: the DDL, whether the planner used it, and the plan before and after. */
function adviceSection(a: IndexAdviceResult): string {
  if (a.suggestions.length === 0) return '<h2>Suggested index</h2><p class="muted">No index to suggest: no sequential scan or sort that an index would replace.</p>';
  const how = { embedded: 'built on the embedded copy inside a transaction that was rolled back', hypopg: 'tried as a HypoPG hypothetical index (estimated cost; nothing was built)', none: 'not tried' }[a.method];
  const items = a.suggestions.map((s) => {
    const gain = s.speedup !== undefined ? `${s.speedup >= 10 ? s.speedup.toFixed(0) : s.speedup.toFixed(1)}× ${s.basis === 'time' ? 'faster' : 'lower estimated cost'}` : '';
    const verdict = a.method === 'none' ? 'not tried' : s.used ? `used by the planner${gain ? ` · ${gain}` : ''}` : 'not used by the planner';
    return `<li><pre class="sql">${escapeHtml(s.ddl)}</pre>
<p><span class="${s.used ? 'ok' : 'muted'}">${escapeHtml(verdict)}</span> · ${escapeHtml(s.reason)}</p>
${s.after ? `<p class="muted">before: ${escapeHtml(a.before.summary)}<br>after: ${escapeHtml(s.after.summary)}</p>` : ''}
${s.migration ? `<p class="muted">Goes in: ${escapeHtml(s.migration.title)}</p>` : ''}</li>`;
  });
  return `<h2>Suggested index</h2>
<p class="muted">Each index was ${how}.</p>
<ul class="advice">${items.join('\n')}</ul>`;
}

function benchmarkSection(b: BenchmarkCommandResult): string {
  return `<h2>Benchmark</h2>
<p class="summary">${latencyLine(b)}</p>
<p class="muted">${b.runs} runs after ${b.warmup} warm-up runs · concurrency ${b.concurrency} · mean ${ms(b.mean)} · min ${ms(b.min)} · max ${ms(b.max)} · ${b.perSecond.toFixed(1)} runs/s</p>
${histogram(b.timingsMs, b)}`;
}

/** Latency histogram as inline SVG: 20 equal-width bins from the fastest to the slowest run, percentile marks. */
export function histogram(timings: readonly number[], marks: { p50: number; p95: number; p99: number }): string {
  if (timings.length === 0) return '';
  const min = Math.min(...timings);
  const max = Math.max(...timings);
  const bins = 20;
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const t of timings) counts[Math.min(bins - 1, Math.floor((t - min) / width))]++;
  const top = Math.max(...counts);
  const W = 600;
  const H = 140;
  const barW = W / bins;
  const x = (t: number) => (max > min ? ((t - min) / (max - min)) * W : W / 2);
  const bars = counts
    .map((c, i) => {
      const h = top ? (c / top) * (H - 20) : 0;
      return `<rect class="fill" x="${(i * barW + 1).toFixed(1)}" y="${(H - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${ms(min + i * width)}–${ms(min + (i + 1) * width)}: ${c} runs</title></rect>`;
    })
    .join('');
  const lines = (['p50', 'p95', 'p99'] as const)
    .map((k) => `<line class="mark" x1="${x(marks[k]).toFixed(1)}" x2="${x(marks[k]).toFixed(1)}" y1="12" y2="${H}"/><text class="mark-label" x="${Math.min(W - 30, x(marks[k]) + 3).toFixed(1)}" y="10">${k}</text>`)
    .join('');
  return `<svg class="histogram" width="${W}" height="${H + 18}" viewBox="0 0 ${W} ${H + 18}" role="img" aria-label="latency histogram">${bars}${lines}<text class="axis" x="0" y="${H + 14}">${ms(min)}</text><text class="axis" x="${W}" y="${H + 14}" text-anchor="end">${ms(max)}</text></svg>`;
}

function notesSection(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  return `<h2>Notes</h2><ul>${[...new Set(notes)].map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.3em; margin: 16px 0 4px; }
h2 { font-size: 1.1em; margin: 20px 0 6px; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 4px; }
.muted { color: var(--vscode-descriptionForeground); }
.summary { font-size: 1.1em; font-weight: 600; }
pre.sql { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 8px; white-space: pre-wrap; border-radius: 3px; }
code { font-family: var(--vscode-editor-font-family); }
table.plan { border-collapse: collapse; width: 100%; }
.plan-wrap { overflow-x: auto; }
.counts { display: none; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.counts .count, td.time .self { white-space: nowrap; }
.counts .bad { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
/* An editor column too narrow for the plan's six columns (beside the code): the counts go under each node. */
@media (max-width: 760px) {
  table.plan.nodes th.num, table.plan.nodes td.num { display: none; }
  table.plan.nodes .counts { display: block; }
  table.plan.nodes svg.bar { width: 40px; }
  table.plan.nodes td.time { white-space: normal; min-width: 4.5em; }
}
svg.histogram { width: 100%; max-width: 600px; height: auto; }
table.plan th { text-align: left; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); padding: 4px 8px; }
table.plan td { padding: 3px 8px; vertical-align: top; border-bottom: 1px solid var(--vscode-editorWidget-border, transparent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.time { white-space: nowrap; }
.detail { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
tr.problem td.node strong { color: var(--vscode-editorWarning-foreground); }
.flag { font-size: 0.8em; padding: 0 4px; border-radius: 3px; background: var(--vscode-inputValidation-warningBackground); color: var(--vscode-foreground); border: 1px solid var(--vscode-inputValidation-warningBorder); }
td.bad { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
.warn { color: var(--vscode-editorWarning-foreground); }
.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
ul.warnings, ul.advice { padding-left: 18px; }
svg .track { fill: var(--vscode-editorWidget-border, rgba(128,128,128,0.25)); opacity: 0.4; }
svg .fill { fill: var(--vscode-charts-blue, var(--vscode-progressBar-background)); }
svg .offset, svg .legend-offset { fill: var(--vscode-charts-orange, var(--vscode-editorWarning-foreground)); }
svg .keyset, svg .legend-keyset { fill: var(--vscode-charts-green, var(--vscode-testing-iconPassed)); }
svg .value { fill: var(--vscode-foreground); font-size: 10px; }
svg .mark { stroke: var(--vscode-charts-orange, var(--vscode-editorWarning-foreground)); stroke-width: 1.5; stroke-dasharray: 3 2; }
svg .mark-label, svg .axis { fill: var(--vscode-descriptionForeground); font-size: 10px; }
`;

// Statistics and the Markdown tables `npm run bench` prints and writes. Pure functions: no tools run here.

export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export function formatSeconds(s) {
  if (!Number.isFinite(s)) return '–';
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}

export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`;
}

/** `other ÷ perflens`: above 1, PerfLens is faster. */
export function formatRatio(r) {
  if (!Number.isFinite(r)) return '–';
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

export function formatMB(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function markdownTable(header, rows) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 || i === 1 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/**
 * One row per tool and corpus. `runs` are the measured rounds ({ wall, cpu?, rssKB?, files?, findings? }),
 * `corpus` is { label, files, bytes }. The ratio column is the tool's median wall time divided by
 * PerfLens's on the same corpus in the same run.
 */
export function scanRows(results) {
  const rows = [];
  for (const r of results) {
    const corpusLabel = r.corpus.label;
    if (r.unavailable) {
      rows.push([corpusLabel, r.tool, 'unavailable', '–', '–', '–', '–', '–', '–', '–', '–', r.unavailable]);
      continue;
    }
    const wall = median(r.runs.map((x) => x.wall));
    const base = results.find((o) => o.corpus.label === corpusLabel && o.id === 'perflens' && !o.unavailable);
    const baseWall = base ? median(base.runs.map((x) => x.wall)) : NaN;
    const medianCpu = (runs) => (runs.every((x) => Number.isFinite(x.cpu)) ? median(runs.map((x) => x.cpu)) : NaN);
    const cpu = medianCpu(r.runs);
    const baseCpu = base ? medianCpu(base.runs) : NaN;
    const rss = r.runs.every((x) => Number.isFinite(x.rssKB)) ? Math.max(...r.runs.map((x) => x.rssKB)) : NaN;
    const files = r.runs.at(-1)?.files;
    const findings = r.runs.at(-1)?.findings;
    const walls = r.runs.map((x) => x.wall);
    rows.push([
      corpusLabel,
      r.tool,
      r.id === 'perflens' ? '1 (baseline)' : formatRatio(wall / baseWall),
      r.id === 'perflens' ? '1 (baseline)' : formatRatio(cpu / baseCpu),
      formatSeconds(wall),
      `${formatSeconds(Math.min(...walls))}–${formatSeconds(Math.max(...walls))}`,
      formatSeconds(cpu),
      Number.isFinite(files) ? `${files}` : '?',
      `${Math.round(r.corpus.files / wall)}`,
      (r.corpus.bytes / 1024 / 1024 / wall).toFixed(1),
      Number.isFinite(rss) ? `${Math.round(rss / 1024)} MB` : '–',
      Number.isFinite(findings) ? `${findings}` : '?',
    ]);
  }
  return markdownTable(['Corpus', 'Tool', 'Time ÷ PerfLens', 'CPU ÷ PerfLens', 'Median wall', 'Min–max', 'CPU (user+sys)', 'Files seen', 'Files/s', 'MB/s', 'Peak RSS', 'Findings'], rows);
}

/** Editor latency: one row per file and tool, p50/p95 of the re-lint after an edit. */
export function latencyRows(results) {
  const rows = [];
  for (const r of results) {
    if (r.unavailable) {
      rows.push([r.file, r.tool, 'unavailable', '–', '–', '–', r.unavailable]);
      continue;
    }
    const p50 = percentile(r.samples, 50);
    // Each row against PerfLens's on the same file and the same edit (`base`: another kind of edit).
    const baseId = r.base ?? 'perflens';
    const base = results.find((o) => o.file === r.file && o.id === baseId && !o.unavailable);
    const baseP50 = base ? percentile(base.samples, 50) : NaN;
    rows.push([r.file, r.tool, r.id === baseId ? '1 (baseline)' : formatRatio(p50 / baseP50), formatMs(p50), formatMs(percentile(r.samples, 95)), `${r.samples.length}`, r.note ?? '']);
  }
  return markdownTable(['File', 'Tool', 'p50 ÷ PerfLens', 'p50', 'p95', 'Edits', 'Notes'], rows);
}

// The embedded database's numbers: a cold build of examples/ (schema + generated data, 100,000 rows
// for the biggest tables, cache in a temp folder) and the warm EXPLAIN round trip the editor's
// Explain Query makes (`explainQuery` with ANALYZE on the connector the server opens: parameters
// sampled, EXPLAIN, table sizes for the warnings). `node bench/database.mjs` runs it alone;
// `npm run bench` appends its section to the report. Needs `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** Targets the issue sets: data generation under 10 s, a warm EXPLAIN under 300 ms. */
export const TARGETS = { generationMs: 10_000, explainMs: 300 };

const QUERY = 'SELECT id, title, created_at FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20';

export async function databaseBench({ dataSize = 100_000, warmup = 5, runs = 30, log = () => {} } = {}) {
  const { openEmbeddedDatabase } = require(join(repoRoot, 'out/server/src/database/embedded-database.js'));
  const { explainQuery } = require(join(repoRoot, 'out/server/src/database/explain.js'));
  const { latencyStats } = require(join(repoRoot, 'out/server/src/database/benchmark.js'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'perflens-bench-db-'));
  const phases = new Map();
  const tables = new Map();
  const starts = new Map();
  let phase;
  const mark = (name) => {
    const now = performance.now();
    if (phase) phases.set(phase.name, now - phase.start);
    phase = name ? { name, start: now } : undefined;
    if (name) starts.set(name, now);
  };
  let db;
  try {
    log(`building the embedded database from examples/ (${dataSize.toLocaleString('en-US')} rows for the biggest tables)…`);
    const t0 = performance.now();
    db = await openEmbeddedDatabase({
      root: join(repoRoot, 'examples'),
      cacheDir,
      dataSize,
      timeoutMs: 60_000,
      idleMs: 600_000,
      hostScript: join(repoRoot, 'server/out/pglite-host.js'),
      onProgress: (message, p) => {
        if (!p && message !== phase?.name) mark(message);
        if (p) {
          const t = tables.get(p.table) ?? { start: performance.now(), rows: 0 };
          t.rows = p.rows;
          t.end = performance.now();
          tables.set(p.table, t);
        }
      },
    });
    mark(undefined);
    const buildMs = performance.now() - t0;
    const biggest = Object.entries(db.rows).sort((a, b) => b[1] - a[1])[0];
    // The biggest table's own time: from the progress report before its first chunk to its last.
    const order = [...tables.keys()];
    const at = order.indexOf(biggest[0]);
    const tableStart = at > 0 ? tables.get(order[at - 1]).end : starts.get('Generating data');
    const tableMs = tableStart !== undefined ? tables.get(biggest[0]).end - tableStart : undefined;
    const totalRows = Object.values(db.rows).reduce((s, n) => s + n, 0);

    log(`warm EXPLAIN: ${warmup} warm-up round trips, then ${runs} timed…`);
    for (let i = 0; i < warmup; i++) await explainQuery(db.connector, QUERY, { analyze: true });
    const timings = [];
    let summary = '';
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      const result = await explainQuery(db.connector, QUERY, { analyze: true });
      timings.push(performance.now() - s);
      summary = result.summary;
    }
    const explain = latencyStats(timings);
    return {
      dataSize,
      buildMs,
      generationMs: phases.get('Generating data'),
      schemaMs: phases.get('Starting the embedded database'),
      analyzeMs: phases.get('Analyzing'),
      biggest: { table: biggest[0], rows: biggest[1], ms: tableMs },
      tables: Object.keys(db.rows).length,
      totalRows,
      warnings: db.warnings,
      explain: { ...explain, runs, warmup, query: QUERY, summary },
    };
  } finally {
    await db?.connector.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const ms = (v) => (v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v >= 100 ? Math.round(v) : v.toFixed(1)} ms`);
const count = (n) => n.toLocaleString('en-US');

/** The report's Markdown section, in the format of bench/results/latest.md. */
export function databaseSection(r) {
  const met = (v, target) => (v === undefined ? '–' : v <= target ? 'met' : '**missed**');
  return [
    '## Embedded database (PGlite): build and warm EXPLAIN',
    '',
    `A cold build of \`examples/\` (Prisma, Django, SQLAlchemy and .sql schemas: ${r.tables} tables, ${count(r.totalRows)} rows in all, ${count(r.dataSize)} for the biggest), cache in a temp folder; then the warm EXPLAIN ANALYZE round trip the editor's Explain Query makes (parameter sampled, EXPLAIN, table sizes), ${r.explain.warmup} warm-up round trips and ${r.explain.runs} timed: \`${r.explain.query}\` → ${r.explain.summary}.`,
    '',
    '| Measure | Time | Target | |',
    '| --- | ---: | ---: | --- |',
    `| Generate the biggest table (${r.biggest.table}, ${count(r.biggest.rows)} rows) | ${ms(r.biggest.ms)} | ${ms(TARGETS.generationMs)} | ${met(r.biggest.ms, TARGETS.generationMs)} |`,
    `| Generate the data of all ${r.tables} tables (${count(r.totalRows)} rows) | ${ms(r.generationMs)} | | |`,
    `| Cold build in all (start PGlite, schema, data, ANALYZE + CHECKPOINT) | ${ms(r.buildMs)} | | |`,
    `| Warm EXPLAIN round trip, median | ${ms(r.explain.p50)} | ${ms(TARGETS.explainMs)} | ${met(r.explain.p50, TARGETS.explainMs)} |`,
    `| Warm EXPLAIN round trip, p95 | ${ms(r.explain.p95)} | ${ms(TARGETS.explainMs)} | ${met(r.explain.p95, TARGETS.explainMs)} |`,
    '',
    ...(r.warnings.length ? [`Schema notes: ${r.warnings.join('; ')}`, ''] : []),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  databaseBench({ log: (m) => process.stderr.write(`bench: ${m}\n`) }).then(
    (r) => process.stdout.write(`${databaseSection(r)}\n`),
    (e) => {
      process.stderr.write(`bench: ${e.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}

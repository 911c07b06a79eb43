/** What the VS Code client shows for query results: inline text, hover Markdown, the plan view's page, URLs. */
import * as assert from 'node:assert/strict';
import { hasUserWithoutPassword, serverUrlProblem, shortName, splitPassword } from '../../client/src/database-url';
import { escapeHtml, histogram, planHtml } from '../../client/src/plan-html';
import { compareLine, hoverMarkdown, inlineText, ms, planTreeText } from '../../client/src/query-text';
import { compactParams } from '../../server/src/database/compare-pagination';
import { needsPassword, withPassword } from '../../server/src/database/credentials';
import type { BenchmarkCommandResult, ExplainCommandResult, PlanNodeData } from '../../server/src/protocol';

const scan: PlanNodeData = {
  nodeType: 'Seq Scan',
  relation: 'posts',
  label: 'Seq Scan on posts',
  filter: "(title ~~ '%<b>%'::text)",
  rowsEstimated: 120,
  rowsActual: 98_543,
  loops: 1,
  rowsRemovedByFilter: 1_457,
  totalMs: 40,
  selfMs: 40,
  cost: { startup: 0, total: 2_100 },
  buffers: { sharedHit: 12, sharedRead: 800, sharedDirtied: 0, sharedWritten: 0, tempRead: 0, tempWritten: 0 },
  children: [],
};
const explain: ExplainCommandResult = {
  sql: 'SELECT * FROM posts WHERE title LIKE $1 ORDER BY created_at',
  database: 'embedded PostgreSQL (PGlite)',
  params: ['%<b>%'],
  paramSources: ['sampled from posts.title'],
  plan: {
    root: { nodeType: 'Sort', label: 'Sort', rowsEstimated: 120, rowsActual: 98_543, loops: 1, totalMs: 50, selfMs: 10, cost: { startup: 0, total: 2_500 }, sort: { method: 'external merge', spaceKb: 5_120, spaceType: 'Disk', keys: ['created_at'] }, children: [scan] },
    analyzed: true,
    planningMs: 0.4,
    executionMs: 50,
  },
  summary: 'Seq Scan on posts · 100,000 rows · 50.0 ms',
  warnings: [
    { kind: 'seq-scan', node: 'Seq Scan on posts', message: 'Sequential scan on posts read 100,000 rows to return 98,543.' },
    { kind: 'misestimate', node: 'Seq Scan on posts', message: 'Seq Scan on posts: estimated 120 rows, got 98,543.' },
    { kind: 'sort-spill', node: 'Sort', message: 'Sort spills to disk.' },
  ],
  range: { start: { line: 3, character: 2 }, end: { line: 3, character: 40 } },
  notes: [],
};
const bench: BenchmarkCommandResult = {
  sql: explain.sql, database: explain.database, params: [], paramSources: [], runs: 5, concurrency: 1, warmup: 1,
  p50: 1.234, p95: 4.5, p99: 12.5, mean: 3, min: 1, max: 12.5, totalMs: 15, perSecond: 333.3, timingsMs: [1, 1.2, 1.234, 4.5, 12.5], notes: [],
};

describe('client: query result display', () => {
  it('inline text: the summary with a warning mark, then the latencies', () => {
    assert.equal(inlineText(explain, undefined), '⚠ Seq Scan on posts · 100,000 rows · 50.0 ms');
    assert.equal(inlineText(undefined, bench), 'p50 1.23 ms · p95 4.50 ms · p99 12.5 ms (5 runs)');
    assert.equal(inlineText({ ...explain, warnings: [] }, bench), 'Seq Scan on posts · 100,000 rows · 50.0 ms   p50 1.23 ms · p95 4.50 ms · p99 12.5 ms (5 runs)');
    assert.equal(ms(2847.4), '2,847 ms');
  });

  it('hover: the plan tree, warnings, parameters, and the plan view link; Markdown in values is escaped', () => {
    assert.equal(planTreeText(explain.plan.root), 'Sort  (est 120 · actual 98,543 · self 10.0 ms)\n   -> Seq Scan on posts  (est 120 · actual 98,543 · self 40.0 ms)');
    const md = hoverMarkdown(explain, bench, 'command:perflens.showPlan?x');
    assert.match(md, /```text\nSort {2}\(est 120/);
    assert.match(md, /- ⚠ Sequential scan on posts/);
    assert.match(md, /`\$1` = `"%<b>%"` \(sampled from posts\.title\)/);
    assert.match(md, /p50 1\.23 ms · p95 4\.50 ms · p99 12\.5 ms · max 12\.5 ms/);
    assert.ok(md.endsWith('[Open the plan view](command:perflens.showPlan?x)'));
  });

  it('plan view: one row per node with its share of the time, flags for problems, escaped text, no scripts', () => {
    const html = planHtml({ source: 'posts.ts:4', explain, benchmark: bench }, 'n0nce');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce'/);
    assert.ok(!/<script/i.test(html));
    assert.equal((html.match(/<tr class=/g) ?? []).length, 2);
    assert.match(html, /<strong>Seq Scan on posts<\/strong> <span class="flag">sequential scan<\/span> <span class="flag">row misestimate<\/span>/);
    assert.match(html, /<strong>Sort<\/strong> <span class="flag">spilled to disk<\/span>/);
    assert.match(html, /<rect class="fill" width="80\.0" height="10"\/><\/svg> <span class="self">40\.0 ms<\/span> <span class="muted">80%<\/span>/);
    assert.ok(html.includes(escapeHtml("filter: (title ~~ '%<b>%'::text)")));
    assert.ok(!html.includes("'%<b>%'"));
    assert.match(html, /<h2>Benchmark<\/h2>\n<p class="summary">p50 1\.23 ms · p95 4\.50 ms · p99 12\.5 ms<\/p>/);
  });

  it('plan view in a narrow column: the four count columns give way to a line under each node', () => {
    const html = planHtml({ source: 'posts.ts:4', explain }, 'n');
    // Each node's counts, as the hidden columns hold them (a misestimate marked as in its column).
    assert.match(html, /<div class="counts">(&nbsp;){6}<span class="count"><span class="bad">98,543 rows<\/span> \(estimated 120\)<\/span> · <span class="count">buffers 12 \/ 800<\/span><\/div><\/td>/);
    assert.match(html, /<div class="counts">(&nbsp;){3}<span class="count"><span>98,543 rows<\/span> \(estimated 120\)<\/span><\/div><\/td>/);
    const looped = planHtml({ explain: { ...explain, plan: { ...explain.plan, analyzed: false, root: { ...scan, rowsActual: undefined, loops: 3, buffers: undefined } } } }, 'n');
    assert.match(looped, /<div class="counts">(&nbsp;){3}<span class="count">120 rows estimated<\/span> · <span class="count">3 loops<\/span><\/div>/);
    // The switch is the stylesheet's: the columns hidden and the line shown below the width, for the node table alone.
    const narrow = /@media \(max-width: (\d+)px\) \{([^}]*\}){4}/.exec(html);
    assert.ok(narrow, 'a narrow-width rule');
    assert.match(narrow[0], /table\.plan\.nodes th\.num, table\.plan\.nodes td\.num \{ display: none; \}/);
    assert.match(narrow[0], /table\.plan\.nodes \.counts \{ display: block; \}/);
    assert.match(html, /\.counts \{ display: none;/);
    assert.match(html, /<table class="plan nodes">/);
  });

  it('a write that ran shows the rows it wrote, not only its actual rows (none without RETURNING)', () => {
    const update: PlanNodeData = { nodeType: 'ModifyTable', label: 'Update on posts', rowsEstimated: 0, rowsActual: 0, loops: 1, totalMs: 9, selfMs: 4, cost: { startup: 0, total: 2_300 }, written: { rows: 810, verb: 'updated' }, children: [scan] };
    const html = planHtml({ explain: { ...explain, plan: { ...explain.plan, root: update } } }, 'n');
    assert.match(html, /<div class="detail">(&nbsp;){3}810 rows updated \(its actual rows are the ones it returns: none without RETURNING\)<\/div>/);
    assert.match(planTreeText(update), /^Update on posts {2}\(est 0 · actual 0 · 810 updated · self 4\.00 ms\)/);
  });

  it('plan view: suggested indexes with the verdict, before and after, and where each goes', () => {
    const html = planHtml({
      explain,
      advice: {
        sql: explain.sql, method: 'embedded', notes: [], before: explain,
        suggestions: [{ table: 'posts', columns: [{ name: 'title' }], ddl: 'CREATE INDEX posts_title_idx ON posts (title);', reason: 'Seq Scan on posts compares title', used: true, speedup: 12.4, basis: 'time', after: { ...explain, summary: 'Index Scan using posts_title_idx on posts · 20 rows · 0.40 ms' }, migration: { title: 'Add migration db/migrations/0002_x.sql', edit: {} } }],
      },
    }, 'n');
    assert.match(html, /<h2>Suggested index<\/h2>\n<p class="muted">Each index was built on the embedded copy inside a transaction that was rolled back\.<\/p>/);
    assert.match(html, /<span class="ok">used by the planner · 12× faster<\/span> · Seq Scan on posts compares title/);
    assert.match(html, /after: Index Scan using posts_title_idx on posts · 20 rows · 0\.40 ms/);
    assert.match(html, /Goes in: Add migration db\/migrations\/0002_x\.sql/);
  });

  it('offset vs keyset: the deepest page inline, a table in the hover, a chart in the plan view', () => {
    const compare = {
      kind: 'offset-pagination' as const, sql: 'SELECT …', database: 'embedded PostgreSQL (PGlite)', offsetSql: 'o', keysetSql: 'SELECT id FROM posts WHERE id < $1 ORDER BY id DESC LIMIT $2', pageSize: 20, tableRows: 100_000, notes: [],
      depths: [{ page: 1, offset: 0, offsetP50: 0.5, offsetP95: 0.9, keysetP50: 0.5, keysetP95: 0.9 }, { page: 1000, offset: 19_980, offsetP50: 45.1, offsetP95: 60, keysetP50: 0.42, keysetP95: 0.6 }],
    };
    assert.equal(compareLine(compare), 'page 1,000: offset 45.1 ms · keyset 0.42 ms (keyset 107× faster)');
    assert.equal(inlineText(undefined, undefined, compare), compareLine(compare));
    assert.match(hoverMarkdown(undefined, undefined, 'command:x', compare), /\| 1,000 \| 45\.1 ms \| 0\.42 ms \|/);
    const html = planHtml({ compare }, 'n');
    assert.equal((html.match(/<rect class="offset"/g) ?? []).length, 2);
    assert.equal((html.match(/<rect class="keyset"/g) ?? []).length, 2);
    assert.match(html, /<td class="num">1,000<\/td><td class="num">19,980<\/td><td class="num">45\.1 ms<\/td><td class="num">60\.0 ms<\/td><td class="num">0\.42 ms<\/td><td class="num">0\.60 ms<\/td><td class="num">107×<\/td>/);
    assert.ok(html.includes('SELECT id FROM posts WHERE id &lt; $1'));
  });

  it('1+N against batched: the largest N inline, a table in the hover, a chart in the plan view', () => {
    const compare = {
      kind: 'n-plus-one' as const, sql: 's', database: 'embedded PostgreSQL (PGlite)', perItemSql: 'SELECT * FROM "User" WHERE "User"."id" = $1 LIMIT 1', batchedSql: 'SELECT * FROM "User" WHERE "User"."id" = ANY($1)', notes: [],
      sizes: [{ n: 10, perItemMs: 4.2, batchedMs: 0.6 }, { n: 1000, perItemMs: 420, batchedMs: 3.5 }],
    };
    assert.equal(compareLine(compare), 'N = 1,000: 420 ms one by one · 3.50 ms batched (120× faster)');
    assert.match(hoverMarkdown(undefined, undefined, 'command:x', compare), /\| 1,000 \| 420 ms \| 3\.50 ms \|/);
    const html = planHtml({ compare }, 'n');
    assert.match(html, /<h2>1\+N against batched<\/h2>/);
    assert.equal((html.match(/<rect class="offset"/g) ?? []).length, 2);
    assert.ok(html.includes('= ANY($1)'));
    assert.match(html, /<th class="num">N lookups<\/th><th class="num">1 batched query<\/th>/);
    // A write: what ran is named, and that it was rolled back.
    const inserts = planHtml({ compare: { ...compare, write: 'insert' as const, perItemSql: 'INSERT INTO "Post" ("title") VALUES ($1)', batchedSql: 'INSERT INTO "Post" ("title") VALUES ($1), ($2), …' } }, 'n');
    assert.match(inserts, /<th class="num">N inserts<\/th><th class="num">1 batched insert<\/th>/);
    assert.match(inserts, /The INSERT of one row once per item .* against one INSERT of all the rows .*every write rolled back/);
    assert.ok(inserts.includes('one insert per item'));
  });

  it('every row vs the first page: both reads inline, a table in the hover, a chart and a table in the plan view', () => {
    const compare = {
      kind: 'unbounded-result-set' as const, sql: 'SELECT * FROM "Post"', database: 'embedded PostgreSQL (PGlite)', cappedSql: 'SELECT * FROM "Post"\nLIMIT 100', cap: 100, notes: [],
      all: { rows: 20_000, bytes: 5_400_000, p50: 84.2, p95: 97 }, capped: { rows: 100, bytes: 27_000, p50: 0.61, p95: 0.9 },
    };
    assert.equal(compareLine(compare), 'every row: 20,000 rows, 5.1 MB, 84.2 ms · first 100: 100 rows, 26 KB, 0.61 ms (138× faster)');
    assert.match(hoverMarkdown(undefined, undefined, 'command:x', compare), /\| every row \| 20,000 \| 5\.1 MB \| 84\.2 ms \| 97\.0 ms \|\n\| first 100 \| 100 \| 26 KB \| 0\.61 ms \| 0\.90 ms \|/);
    const html = planHtml({ compare }, 'n');
    assert.match(html, /<h2>Every row vs first 100<\/h2>/);
    assert.equal((html.match(/<rect class="offset"/g) ?? []).length, 2);
    assert.match(html, /<td>every row<\/td><td class="num">20,000<\/td><td class="num">5\.1 MB<\/td><td class="num">84\.2 ms<\/td>/);
    assert.match(html, /The first page is 138× faster and 200× smaller/);
    assert.ok(html.includes('LIMIT 100'));
    // Fewer rows than the cap: no speed-up claimed.
    const few = { ...compare, all: { rows: 40, bytes: 9_000, p50: 0.5, p95: 0.7 }, capped: { rows: 40, bytes: 9_000, p50: 0.5, p95: 0.7 } };
    assert.equal(compareLine(few), 'every row: 40 rows, 8.8 KB, 0.50 ms · first 100: 40 rows, 8.8 KB, 0.50 ms');
    assert.doesNotMatch(planHtml({ compare: few }, 'n'), /faster/);
  });

  it('parameters renumbered densely for the variants, values following, strings untouched', () => {
    assert.deepEqual(compactParams("SELECT '$3' FROM t WHERE a = $1 AND b < $4 LIMIT $6", ['a', 'b', 'c', 'd', 'e', 'f']), { sql: "SELECT '$3' FROM t WHERE a = $1 AND b < $2 LIMIT $3", values: ['a', 'd', 'f'] });
  });

  it('histogram: every run in a bin, percentile marks', () => {
    const svg = histogram([1, 1, 2, 10], { p50: 1.5, p95: 10, p99: 10 });
    const counts = [...svg.matchAll(/: (\d+) runs<\/title>/g)].map((m) => Number(m[1]));
    assert.equal(counts.reduce((a, b) => a + b, 0), 4);
    assert.equal((svg.match(/class="mark"/g) ?? []).length, 3);
    assert.equal(histogram([], { p50: 0, p95: 0, p99: 0 }), '');
  });

  it('URLs: the password goes to secret storage and back, never into settings', () => {
    assert.deepEqual(splitPassword('postgres://app:p%40ss@db:5432/shop'), { url: 'postgres://app@db:5432/shop', password: 'p@ss' });
    assert.deepEqual(splitPassword('postgres://app@db/shop'), { url: 'postgres://app@db/shop' });
    assert.equal(hasUserWithoutPassword('postgres://app@db/shop'), true);
    assert.equal(hasUserWithoutPassword('postgres://db/shop'), false);
    assert.equal(shortName('postgres://app@db.internal:5432/shop'), 'shop on db.internal');
    assert.equal(shortName(''), 'embedded PostgreSQL');
    assert.equal(shortName('sqlite:data/app.db'), 'SQLite app.db');
    assert.equal(needsPassword('postgres://app@db/shop'), true);
    assert.equal(needsPassword('postgres://app@db/shop?password=x'), false);
    assert.equal(needsPassword('postgres://app:pw@db/shop'), false);
    assert.equal(withPassword('postgres://app@db/shop', 'p@ss/w'), 'postgres://app:p%40ss%2Fw@db/shop');
  });

  it('URLs: MySQL ones the same way, and the picker accepts each kind it offers', () => {
    assert.deepEqual(splitPassword('mysql://app:p%40ss@db:3306/shop'), { url: 'mysql://app@db:3306/shop', password: 'p@ss' });
    assert.equal(hasUserWithoutPassword('mysql://app@db:3306/shop'), true);
    assert.equal(needsPassword('mysql://app@db:3306/shop'), true);
    assert.equal(needsPassword('mysql://app:pw@db:3306/shop'), false);
    assert.equal(withPassword('mysql://app@db:3306/shop', 'p@ss/w'), 'mysql://app:p%40ss%2Fw@db:3306/shop');
    assert.equal(shortName('mysql://app@db.internal:3306/shop'), 'shop on db.internal');
    assert.equal(serverUrlProblem('mysql', 'mysql://app@db:3306/shop'), undefined);
    assert.equal(serverUrlProblem('mysql', 'mariadb://app@db/shop'), undefined);
    assert.match(serverUrlProblem('mysql', 'postgres://app@db/shop') ?? '', /mysql:\/\//);
    assert.equal(serverUrlProblem('postgres', 'postgresql://app@db/shop'), undefined);
    assert.match(serverUrlProblem('postgres', 'mysql://app@db/shop') ?? '', /postgres:\/\//);
  });
});

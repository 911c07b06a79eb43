/** `npm run bench`'s option parsing and table formatting, without running any tool. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../harness/engine';

// The bench is plain ESM outside the TypeScript build; load it as Node would.
const load = (file: string): Promise<any> => import(pathToFileURL(path.join(REPO_ROOT, 'bench/lib', file)).href);

describe('bench options and tables', () => {
  it('parses rounds, quick, only and the defaults', async () => {
    const { parseArgs } = await load('args.mjs');
    assert.deepEqual(
      { ...parseArgs([]), out: undefined },
      { rounds: 5, quick: false, only: undefined, latency: true, database: true, edits: 40, build: true, out: undefined, baseline: undefined, help: false },
    );
    const quick = parseArgs(['--quick']);
    assert.equal(quick.rounds, 2);
    assert.equal(quick.edits, 10);
    assert.equal(parseArgs(['--quick', '--rounds', '7']).rounds, 7);
    assert.equal(parseArgs(['--rounds=3']).rounds, 3);
    assert.deepEqual(parseArgs(['--only', 'perflens,ruff']).only, ['perflens', 'ruff']);
    assert.equal(parseArgs(['--no-latency', '--no-build']).latency, false);
    assert.equal(parseArgs(['--no-database']).database, false);
    assert.equal(parseArgs(['--baseline', '/tmp/old/bin/perflens.js']).baseline, '/tmp/old/bin/perflens.js');
  });

  it('rejects bad options with a usage error', async () => {
    const { parseArgs, UsageError } = await load('args.mjs');
    assert.throws(() => parseArgs(['--rounds', '0']), UsageError);
    assert.throws(() => parseArgs(['--rounds']), UsageError);
    assert.throws(() => parseArgs(['--only', 'jslint']), /unknown tool "jslint"/);
    assert.throws(() => parseArgs(['--fast']), /unknown option --fast/);
  });

  it('computes medians and nearest-rank percentiles', async () => {
    const { median, percentile } = await load('table.mjs');
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95), 19);
  });

  it('prints ratios against PerfLens on the same corpus, and unavailable tools with the reason', async () => {
    const { scanRows } = await load('table.mjs');
    const corpus = { label: 'TS', files: 100, bytes: 2 * 1024 * 1024 };
    const run = (wall: number) => ({ wall, cpu: wall, rssKB: 102_400, files: 100, findings: 3 });
    const table: string = scanRows([
      { id: 'perflens', tool: 'PerfLens', corpus, runs: [run(1), run(2), run(3)] },
      { id: 'eslint', tool: 'ESLint', corpus, runs: [run(10), run(20), run(30)] },
      { id: 'biome', tool: 'Biome', corpus, runs: [run(0.5), run(0.5), run(0.5)] },
      { id: 'oxlint', tool: 'oxlint', corpus, runs: [], unavailable: 'no binary for this platform' },
    ]);
    const lines = table.split('\n');
    assert.match(lines[0], /^\| Corpus \| Tool \| Time ÷ PerfLens \| CPU ÷ PerfLens \| Median wall/);
    assert.match(lines[2], /^\| TS \| PerfLens \| 1 \(baseline\) \| 1 \(baseline\) \| 2\.00 s \| 1\.00 s–3\.00 s \| 2\.00 s \| 100 \| 50 \| 1\.0 \| 100 MB \| 3 \|$/);
    assert.match(lines[3], /^\| TS \| ESLint \| 10× \| 10× \| 20\.00 s \|/);
    assert.match(lines[4], /^\| TS \| Biome \| 0\.25× \| 0\.25× \| 500 ms \|/);
    assert.match(lines[5], /^\| TS \| oxlint \| unavailable \|.*no binary for this platform \|$/);
  });
});

/**
 * The CLI's worker threads and persistent cache: neither may change what is reported. Findings
 * that depend on another file (an imported helper) follow that file's changes although the file
 * that has them is unchanged and cached.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatJson } from '../../server/src/cli/format-json';
import { FileLinter } from '../../server/src/workers/file-linter';
import { LintCache } from '../../server/src/cli/lint-cache';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { lintFiles, threadsFor, type LintOptions } from '../../server/src/cli/lint-files';
import type { Finding } from '../../server/src/engine/finding';
import type { SharedFacts } from '../../server/src/engine/workspace-functions';
import { REPO_ROOT } from '../harness/engine';
import { TempWorkspace } from './run-cli';

const quiet = { log: () => undefined };

const SERVICES = 'from .models import Customer\n\n\ndef customer_for(order):\n    return Customer.objects.get(pk=order.customer_id)\n';
const NOT_A_QUERY = 'def customer_for(order):\n    return order.customer_name\n';
const VIEWS = 'from .services import customer_for\n\n\ndef names(orders):\n    return [customer_for(o).name for o in orders]\n';

describe('CLI worker threads by default', () => {
  const MB = 1024 * 1024;
  it('stay off below 8 MB of text, whatever the cores', () => {
    assert.equal(threadsFor({ python: 3 * MB, other: 4 * MB }, 8), 1);
    assert.equal(threadsFor({ python: 0, other: 7 * MB }, 2), 1);
  });

  it('start from 8 MB with more than two cores (at most 8)', () => {
    assert.equal(threadsFor({ python: 0, other: 9 * MB }, 4), 4);
    assert.equal(threadsFor({ python: 0, other: 100 * MB }, 32), 8);
  });

  it('on two cores: from 8 MB of Python, but TS/JS only from 64 MB (its parser keeps the second core busy already)', () => {
    assert.equal(threadsFor({ python: 11 * MB, other: 0 }, 2), 2);
    assert.equal(threadsFor({ python: 0, other: 16 * MB }, 2), 1);
    assert.equal(threadsFor({ python: 4 * MB, other: 40 * MB }, 2), 1);
    assert.equal(threadsFor({ python: 20 * MB, other: 70 * MB }, 2), 2);
    assert.equal(threadsFor({ python: 0, other: 64 * MB }, 2), 2);
  });
});

describe('CLI workers and cache', () => {
  const ws = new TempWorkspace();
  let cacheDir: string;
  beforeEach(() => {
    ws.create();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lint-cache-'));
  });
  afterEach(() => {
    ws.remove();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const run = async (options: LintOptions) => {
    const results = await lintFiles(ws.root, [], { ...quiet, cache: cacheDir, ...options });
    return { results, json: formatJson(results) };
  };

  it('reports the same with and without worker threads (examples/)', async () => {
    const root = path.join(REPO_ROOT, 'examples');
    const alone = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 1 }));
    const pooled = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2 }));
    assert.ok(JSON.parse(alone).findings.length > 10);
    assert.equal(pooled, alone);
  });

  it('reports the same when the workers load their code from V8\'s code cache, which the first run writes', async () => {
    const root = path.join(REPO_ROOT, 'examples');
    const codeCache = path.join(cacheDir, 'v8');
    const plain = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2 }));
    // The first run compiles and writes the cache as its workers end; the second reads it.
    const writing = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2, codeCache }));
    const written = fs.readdirSync(codeCache).filter((f) => f.endsWith('.v8'));
    assert.equal(written.length, 1, `one cache file for the worker's module: ${written.join(', ')}`);
    const size = fs.statSync(path.join(codeCache, written[0])).size;
    const reading = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2, codeCache }));
    assert.equal(writing, plain);
    assert.equal(reading, plain);
    // Read, not rewritten (V8 took it): the same file, no temporary left over.
    assert.deepEqual(fs.readdirSync(codeCache), written);
    assert.equal(fs.statSync(path.join(codeCache, written[0])).size, size);

    // A damaged file is refused before V8 sees it, and written again.
    const file = path.join(codeCache, written[0]);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const damaged = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2, codeCache }));
    assert.equal(damaged, plain);
    assert.notDeepEqual(fs.readFileSync(file), bytes);
  });

  it('lints without a code cache when its folder cannot be made', async () => {
    const root = path.join(REPO_ROOT, 'examples');
    const blocker = path.join(cacheDir, 'a-file');
    fs.writeFileSync(blocker, '');
    const plain = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2 }));
    const blocked = formatJson(await lintFiles(root, [], { ...quiet, cache: false, jobs: 2, codeCache: path.join(blocker, 'v8') }));
    assert.equal(blocked, plain);
  });

  it('lints a file parsed earlier for its helpers from the facts of that parse, unless its text changed since', async () => {
    const services = 'from .models import Customer\n\n_cache = {}\n\n\ndef customer_for(order):\n    for line in order.lines:\n        Customer.objects.get(pk=line.customer_id)\n    return Customer.objects.get(pk=order.customer_id)\n';
    ws.write('shop/models.py', 'from django.db import models\n\n\nclass Customer(models.Model):\n    name = models.CharField(max_length=80)\n');
    ws.write('shop/services.py', services);
    ws.write('shop/views.py', VIEWS);
    const init = { settings: DEFAULT_SETTINGS, root: ws.root };
    const job = (rel: string, text = ws.read(rel)) => ({ path: path.join(ws.root, rel), language: 'python' as const, text });
    const fresh = (await FileLinter.create(init, () => undefined)).lint(job('shop/services.py'));
    assert.ok(fresh.findings.length > 0);

    const linter = await FileLinter.create(init, () => undefined);
    const views = linter.lint(job('shop/views.py'));
    assert.deepEqual(views.loaded, [path.join(ws.root, 'shop/services.py')]);
    const own = linter.lint(job('shop/services.py'));
    assert.deepEqual(own.findings, fresh.findings);

    // Changed after it was loaded: parsed again, and its findings are those of the new text.
    const other = await FileLinter.create(init, () => undefined);
    other.lint(job('shop/views.py'));
    const changed = services.replace('    for line in order.lines:\n        Customer.objects.get(pk=line.customer_id)\n', '');
    assert.deepEqual(other.lint(job('shop/services.py', changed)).findings, (await FileLinter.create(init, () => undefined)).lint(job('shop/services.py', changed)).findings);
    assert.notDeepEqual(fresh.findings.length, other.lint(job('shop/services.py', changed)).findings.length);
  });

  it('passes what a file shows to the other workers: an import one of them parsed is not parsed again by another', async () => {
    ws.write('shop/services.py', SERVICES);
    ws.write('shop/views.py', VIEWS);
    ws.write('shop/plain.py', 'def total(order):\n    return order.amount\n');
    const init = { settings: DEFAULT_SETTINGS, root: ws.root };
    const job = (rel: string, text = ws.read(rel)) => ({ path: path.join(ws.root, rel), language: 'python' as const, text });
    const first = await FileLinter.create(init, () => undefined);
    const shown: Array<[string, SharedFacts]> = [];
    first.onShown = (file, facts) => shown.push([file, facts]);
    first.lint(job('shop/services.py'));
    first.lint(job('shop/plain.py'));
    assert.deepEqual(shown.map(([f, s]) => [path.relative(ws.root, f), s.queryHelpers?.map((h) => h.name)]), [['shop/services.py', ['customer_for']], ['shop/plain.py', undefined]]);

    // The second worker knows customer_for runs a query without the file: gone from disk, not parsed.
    const second = await FileLinter.create(init, () => undefined);
    second.offer(shown);
    fs.rmSync(path.join(ws.root, 'shop/services.py'));
    const views = second.lint(job('shop/views.py'));
    assert.deepEqual(views.findings.map((f) => f.ruleId), ['n-plus-one']);
    assert.equal(views.loaded, undefined);
    assert.deepEqual(views.deps, [path.join(ws.root, 'shop/services.py')]);
    // What it has looked at itself is not replaced.
    const third = await FileLinter.create(init, () => undefined);
    assert.deepEqual(third.lint(job('shop/views.py')).findings, []);
    third.offer(shown);
    assert.deepEqual(third.lint(job('shop/views.py')).findings, []);
  });

  it('says whether a lint read the models, and that it is to be made again when it read them before they were given', async () => {
    const models = 'from django.db import models\n\n\nclass Author(models.Model):\n    name = models.TextField()\n\n\nclass Post(models.Model):\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n';
    const views = 'from .models import Post\n\n\ndef names():\n    return [p.author.name for p in Post.objects.all()]\n';
    const plain = 'import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef rate(code):\n    return code.upper()\n';
    const init = { settings: DEFAULT_SETTINGS, root: ws.root };
    const job = (rel: string, text: string) => ({ path: path.join(ws.root, rel), language: 'python' as const, text });
    const linter = await FileLinter.create(init, () => undefined);
    // The lint of a models file answers its models when asked (the CLI's model pass, made by the lint).
    const ofModels = linter.lint({ ...job('models.py', models), models: true });
    assert.deepEqual(ofModels.models?.map((m) => m.name), ['Author', 'Post']);
    assert.equal(linter.lint(job('models.py', models)).models, undefined);
    const early = linter.lint(job('views.py', views));
    assert.deepEqual([early.readModels, early.provisional, early.findings.length], [true, true, 0]);
    const unrelated = linter.lint(job('cache.py', plain));
    assert.deepEqual([unrelated.readModels, unrelated.provisional, unrelated.findings.length], [undefined, undefined, 1]);
    linter.setModels([[path.join(ws.root, 'models.py'), ofModels.models!]]);
    const final = linter.lint(job('views.py', views));
    assert.deepEqual([final.readModels, final.provisional, final.findings.map((f) => f.ruleId)], [true, undefined, ['n-plus-one']]);
  });

  it('answers an unchanged workspace from the cache with the same report', async () => {
    ws.write('services.py', SERVICES);
    ws.write('views.py', VIEWS);
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    const cold = await run({});
    assert.equal(cold.results.fromCache, 0);
    const warm = await run({});
    assert.equal(warm.results.fromCache, 3);
    assert.equal(warm.json, cold.json);
    assert.equal(JSON.parse(warm.json).findings.length, 2);
    // Without the cache, everything is analysed again.
    assert.equal((await run({ cache: false })).results.fromCache, 0);
  });

  it('recomputes findings that used a helper of a file that changed', async () => {
    ws.write('services.py', SERVICES);
    ws.write('views.py', VIEWS);
    const rules = (json: string) => JSON.parse(json).findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`);
    assert.deepEqual(rules((await run({})).json), ['views.py n-plus-one']);
    // views.py is unchanged; the helper it calls per item no longer queries.
    ws.write('services.py', NOT_A_QUERY);
    const changed = await run({});
    assert.deepEqual(rules(changed.json), []);
    assert.equal(changed.results.fromCache, 0);
    ws.write('services.py', SERVICES);
    assert.deepEqual(rules((await run({})).json), ['views.py n-plus-one']);
  });

  it('recomputes findings when a helper appears where an import looked and found nothing', async () => {
    ws.write('views.py', VIEWS);
    assert.equal(JSON.parse((await run({})).json).findings.length, 0);
    ws.write('services.py', SERVICES);
    assert.equal(JSON.parse((await run({})).json).findings.length, 1);
  });

  it('forgets files that are gone', async () => {
    ws.write('a.sql', 'SELECT 1;\n');
    ws.write('b.sql', 'SELECT 2;\n');
    await run({});
    fs.rmSync(path.join(ws.root, 'b.sql'));
    await run({});
    const [file] = fs.readdirSync(path.join(cacheDir, 'lint'));
    const cached = JSON.parse(fs.readFileSync(path.join(cacheDir, 'lint', file), 'utf8')) as { paths: string[] };
    assert.deepEqual(cached.paths.map((f) => path.basename(f)), ['a.sql']);
  });

  /** Dates the workspace's files an hour back, as files not touched since long before the run. */
  const settle = () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const f of fs.readdirSync(ws.root)) fs.utimesSync(path.join(ws.root, f), hourAgo, hourAgo);
  };

  it('re-reads only the files it shows findings of when the statuses are the recorded ones', async () => {
    ws.write('services.py', SERVICES);
    ws.write('views.py', VIEWS);
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    ws.write('clean.sql', 'SELECT id FROM posts WHERE id = $1;\n');
    settle();
    const cold = await run({});
    assert.equal(cold.results.filesRead, 4);
    const warm = await run({});
    assert.equal(warm.json, cold.json);
    assert.equal(warm.results.fromCache, 4);
    // views.py and q.sql have findings to show; the two others are known by their status alone.
    assert.equal(warm.results.filesRead, 2);
  });

  it('sees a change that keeps the size and the modification time', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    settle();
    const before = fs.statSync(path.join(ws.root, 'q.sql'));
    assert.equal(JSON.parse((await run({})).json).findings.length, 1);
    // Same length, and the old modification time put back: the change time still moves.
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20;'.padEnd(before.size - 1) + '\n');
    assert.equal(fs.statSync(path.join(ws.root, 'q.sql')).size, before.size);
    fs.utimesSync(path.join(ws.root, 'q.sql'), before.atime, before.mtime);
    const after = await run({});
    assert.equal(after.results.fromCache, 0);
    assert.equal(JSON.parse(after.json).findings.length, 0);
  });

  it('does not trust the status of a file written just before the run', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    ws.write('clean.sql', 'SELECT id FROM posts WHERE id = $1;\n');
    await run({});
    // A write in the same tick of a coarse clock could leave the status as it was: both are read again.
    assert.equal((await run({})).results.filesRead, 2);
  });

  it('drops the findings that read the models when they change, and keeps the others and what it knows of the files', async () => {
    ws.write('models.py', 'from django.db import models\n\n\nclass Author(models.Model):\n    name = models.TextField()\n\n\nclass Post(models.Model):\n    title = models.TextField()\n');
    ws.write('views.py', 'from .models import Post\n\n\ndef titles():\n    return [(p.title, p.author.name) for p in Post.objects.all()]\n');
    // q.sql reads the models (whether an index serves its ORDER BY); cache.py does not.
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    ws.write('cache.py', 'import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef rate(code):\n    return code.upper()\n');
    const rules = (json: string) => JSON.parse(json).findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`);
    const before = rules((await run({})).json);
    assert.deepEqual(before, ['cache.py unbounded-cache', 'q.sql offset-pagination']);
    // views.py is unchanged; Post now has a foreign key to Author, read per post.
    ws.write('models.py', 'from django.db import models\n\n\nclass Author(models.Model):\n    name = models.TextField()\n\n\nclass Post(models.Model):\n    title = models.TextField()\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n');
    const after = await run({});
    // cache.py from the cache; models.py (changed), q.sql and views.py (read the models) linted again.
    assert.equal(after.results.fromCache, 1);
    assert.deepEqual(rules(after.json), [...before, 'views.py n-plus-one']);
    assert.equal(after.json, (await run({ cache: false })).json);
  });

  it('keys the cache on the settings', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    assert.equal(JSON.parse((await run({})).json).findings[0].severity, 'warning');
    ws.write('.perflens.json', JSON.stringify({ rules: { 'offset-pagination': 'error' } }));
    const after = await run({});
    assert.equal(after.results.fromCache, 0);
    assert.equal(JSON.parse(after.json).findings[0].severity, 'error');
  });

  it('keeps paths relative to the root, and absolute outside it', () => {
    const root = path.join(ws.root, 'app');
    const inside = path.join(root, 'src', 'views.py');
    const helper = path.join(root, 'src', 'services.py');
    const outside = path.join(ws.root, 'shared', 'helpers.py');
    const cache = LintCache.open(cacheDir, root, 'k');
    cache.useModels('m1');
    cache.update(inside, 'h1', { findings: [], deps: [[helper, 'h2'], [outside, null]], readModels: true });
    cache.save();
    const file = path.join(cacheDir, 'lint', fs.readdirSync(path.join(cacheDir, 'lint'))[0]);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { paths: string[]; details: Record<string, { deps: Array<[string, string | null]> }> };
    assert.deepEqual(kept.paths, [path.join('src', 'views.py')]);
    assert.deepEqual(kept.details[0].deps, [[path.join('src', 'services.py'), 'h2'], [outside, null]]);

    const again = LintCache.open(cacheDir, root, 'k');
    const entry = again.get(inside, 'h1')!;
    const seen: string[] = [];
    assert.ok(again.depsUnchanged(entry, (f) => (seen.push(f), f === helper ? 'h2' : null)));
    assert.deepEqual(seen, [helper, outside]);
    // Other models: the findings made reading them go, what is known of the file stays.
    again.useModels('m2');
    assert.equal(again.get(inside, 'h1')?.findings, undefined);
    assert.equal(again.get(inside, 'h1')?.hash, 'h1');
  });

  it('keeps most files in columns: a clean file and a file with no models round-trip, and other models drop the stored findings that read them', () => {
    const root = path.join(ws.root, 'app');
    const clean = path.join(root, 'clean.ts');
    const cleanReading = path.join(root, 'clean-reading.ts');
    const noisy = path.join(root, 'noisy.ts');
    const noisyReading = path.join(root, 'noisy-reading.ts');
    const cache = LintCache.open(cacheDir, root, 'k');
    cache.useModels('m1');
    cache.update(clean, 'h1', { stat: [10, 1000.5, 1000.5, 7], definesModels: false, findings: [] });
    cache.update(cleanReading, 'h3', { findings: [], readModels: true });
    const finding = { rule: 'n-plus-one', message: 'm' } as unknown as Finding;
    cache.update(noisy, 'h2', { findings: [finding], deps: [] });
    cache.update(noisyReading, 'h4', { findings: [finding], deps: [], readModels: true });
    cache.save();
    const file = path.join(cacheDir, 'lint', fs.readdirSync(path.join(cacheDir, 'lint'))[0]);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { details: Record<string, unknown> };
    assert.deepEqual(Object.keys(kept.details), ['2', '3'], 'the clean files have no object of their own');

    const again = LintCache.open(cacheDir, root, 'k');
    assert.deepEqual(again.get(clean, 'h1'), { hash: 'h1', stat: [10, 1000.5, 1000.5, 7], definesModels: false, findings: [] });
    assert.deepEqual(again.get(cleanReading, 'h3'), { hash: 'h3', findings: [], readModels: true });
    assert.deepEqual(again.get(noisy, 'h2')?.findings, [finding]);
    assert.deepEqual(again.get(noisyReading, 'h4')?.readModels, true);
    assert.equal(again.get(noisy, 'other'), undefined);

    // Entries not yet asked for when the models change lose the findings that read them too.
    const third = LintCache.open(cacheDir, root, 'k');
    third.useModels('m2');
    assert.deepEqual(third.get(clean, 'h1'), { hash: 'h1', stat: [10, 1000.5, 1000.5, 7], definesModels: false, findings: [] });
    assert.deepEqual(third.get(noisy, 'h2')?.findings, [finding]);
    assert.deepEqual(third.get(cleanReading, 'h3'), { hash: 'h3', readModels: true });
    assert.equal(third.get(noisyReading, 'h4')?.findings, undefined);
    // A cache of another key is empty.
    assert.ok(LintCache.open(cacheDir, root, 'other-key').empty);
  });
});

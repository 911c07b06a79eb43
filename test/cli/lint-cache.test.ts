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
import { lintFiles, type LintOptions } from '../../server/src/cli/lint-files';
import { REPO_ROOT } from '../harness/engine';
import { TempWorkspace } from './run-cli';

const quiet = { log: () => undefined };

const SERVICES = 'from .models import Customer\n\n\ndef customer_for(order):\n    return Customer.objects.get(pk=order.customer_id)\n';
const NOT_A_QUERY = 'def customer_for(order):\n    return order.customer_name\n';
const VIEWS = 'from .services import customer_for\n\n\ndef names(orders):\n    return [customer_for(o).name for o in orders]\n';

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
    const cached = JSON.parse(fs.readFileSync(path.join(cacheDir, 'lint', file), 'utf8')) as { files: Record<string, unknown> };
    assert.deepEqual(Object.keys(cached.files).map((f) => path.basename(f)), ['a.sql']);
  });

  it('keys the cache on the settings', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    assert.equal(JSON.parse((await run({})).json).findings[0].severity, 'warning');
    ws.write('.perflens.json', JSON.stringify({ rules: { 'offset-pagination': 'error' } }));
    const after = await run({});
    assert.equal(after.results.fromCache, 0);
    assert.equal(JSON.parse(after.json).findings[0].severity, 'error');
  });
});

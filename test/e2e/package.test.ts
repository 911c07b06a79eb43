/**
 * The VSIX that `npm run package` makes: what it holds (the .vscodeignore allow-list, bundles and
 * WASM, no node_modules), and that the server unpacked from it starts and lints on its own, without
 * the repository's node_modules.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../harness/engine';
import { PRISMA_HANDLER } from '../harness/samples';
import { startServer, type TestClient } from '../lsp/client';
import { PACKAGE_TIMEOUT_MS, packagedVsix, readZip, unpackVsix } from './harness/vsix';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;

const FASTAPI_HANDLER = `import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health():
    time.sleep(1)
    return {"ok": True}
`;

/** The allow-list in .vscodeignore as patterns on paths inside the VSIX's extension/ folder. */
function allowList(): RegExp[] {
  return fs
    .readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => new RegExp(`^${line.slice(1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
}

describe('e2e: the packaged VSIX', function () {
  this.timeout(60_000);
  let entries: Map<string, Buffer>;
  let vsix: string;

  before(async function () {
    this.timeout(PACKAGE_TIMEOUT_MS * 2);
    vsix = await packagedVsix();
    entries = readZip(vsix);
  });

  it('npm run package writes perflens-<version>.vsix with the bundles and WASM, only allow-listed files', () => {
    assert.equal(path.basename(vsix), `perflens-${VERSION}.vsix`);
    const files = [...entries.keys()].filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    for (const required of ['package.json', 'client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'server/out/lint-worker.js', 'server/out/database-cli.js', 'bin/perflens.js', 'server/out/web-tree-sitter.wasm', 'server/out/tree-sitter-python.wasm', 'server/out/sqlite-host.js', 'server/out/sql-wasm.wasm', 'server/out/blank-pgdata.tar.gz']) {
      assert.ok(files.includes(required), `${required} is in the VSIX`);
    }
    const allowed = allowList();
    // vsce adds the README and LICENSE under its own names, and its manifest files beside extension/.
    const notAllowed = files.filter((f) => !allowed.some((re) => re.test(f)) && !/^(readme|license)(\.md|\.txt)?$/i.test(f));
    assert.deepEqual(notAllowed, [], 'every file comes from the .vscodeignore allow-list');
    assert.deepEqual(files.filter((f) => f.includes('node_modules/') || f.endsWith('.map') || f.endsWith('.ts')), []);
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.main, './client/out/extension.js');
    // Production bundles: minified, so far smaller than the development ones.
    assert.ok(entries.get('extension/server/out/server.js')!.length < fs.statSync(path.join(REPO_ROOT, 'server/out/server.js')).size);
  });

  describe('the server unpacked from the VSIX', () => {
    let dir: string;
    let client: TestClient | undefined;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-vsix-'));
    });
    afterEach(async () => {
      await client?.close();
      client = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('starts from the installed copy and lints TypeScript and Python (WASM) files', async () => {
      const extension = unpackVsix(vsix, path.join(dir, 'installed'));
      const workspace = path.join(dir, 'ws');
      fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
      const files = { 'src/posts.ts': ['typescript', PRISMA_HANDLER], 'src/health.py': ['python', FASTAPI_HANDLER] } as const;
      for (const [file, [, text]] of Object.entries(files)) fs.writeFileSync(path.join(workspace, file), text);

      client = startServer({}, path.join(extension, 'server/out/server.js'));
      await client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).href,
        workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
        capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: { dynamicRegistration: false } } },
      });
      client.connection.sendNotification('initialized', {});
      const codes: Record<string, string[]> = {};
      for (const [file, [languageId, text]] of Object.entries(files)) {
        const uri = pathToFileURL(path.join(workspace, file)).href;
        client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
        const report: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
        codes[file] = report.items.map((d: any) => d.code);
      }
      assert.deepEqual(codes, { 'src/posts.ts': ['offset-pagination'], 'src/health.py': ['blocking-call-in-handler'] });
      assert.ok(
        client.logs.some((l) => l === `PerfLens ${VERSION} server started from ${path.join(extension, 'server/out')}`),
        `start-up log names the installed copy:\n${client.logs.join('\n')}`,
      );
    });

    it('the installed CLI lints in worker threads and loads its database commands (three bundles)', () => {
      const extension = unpackVsix(vsix, path.join(dir, 'installed'));
      const workspace = path.join(dir, 'ws');
      fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
      for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(workspace, `src/posts${i}.ts`), PRISMA_HANDLER);
      fs.writeFileSync(path.join(workspace, 'src/health.py'), FASTAPI_HANDLER);
      const bin = path.join(extension, 'bin/perflens.js');
      const env = { ...process.env, PERFLENS_CACHE_DIR: path.join(dir, 'cache') };
      const lint = spawnSync(process.execPath, [bin, 'lint', '.', '--format', 'json', '--jobs', '2', '--no-cache'], { cwd: workspace, encoding: 'utf8', env });
      assert.equal(lint.status, 0, lint.stderr);
      const report = JSON.parse(lint.stdout);
      assert.equal(report.files, 5);
      assert.deepEqual(
        report.findings.map((f: any) => `${f.file}:${f.rule}`).sort(),
        ['src/health.py:blocking-call-in-handler', ...[0, 1, 2, 3].map((i) => `src/posts${i}.ts:offset-pagination`)],
      );
      // `explain` without a query is a usage error raised inside the database bundle.
      const explain = spawnSync(process.execPath, [bin, 'explain'], { cwd: workspace, encoding: 'utf8', env });
      assert.equal(explain.status, 2, explain.stderr);
      assert.match(explain.stderr, /SQL statement/);
    });
  });
});

/**
 * The server under pressure, over stdio as editors run it: an edit storm ends with diagnostics for
 * the final text and no backlog; a client that goes away takes the server (and nothing else) down;
 * a 20,000-file workspace indexes with progress and stops when cancelled. No timing assertions: the
 * checks are on what is published and when the work ends, not on how long it took.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeSettings } from '../../server/src/engine/config';
import { WorkspaceIndex } from '../../server/src/engine/workspace-index';
import { testEngine } from '../harness/engine';
import { startServer, type TestClient } from '../lsp/client';

const N_PLUS_ONE = (i: number) => `import { prisma } from './db';\n\n// edit ${i}\nexport async function list() {\n  const posts = await prisma.post.findMany();\n  for (const post of posts) {\n    await prisma.user.findUnique({ where: { id: post.authorId } });\n  }\n}\n`;
const CLEAN = (i: number) => `import { prisma } from './db';\n\n// edit ${i}\nexport async function list() {\n  return prisma.post.findMany({ include: { author: true } });\n}\n`;

describe('robustness: the language server under load', function () {
  this.timeout(120_000);
  let root: string;
  let client: TestClient | undefined;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-storm-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function start(): Promise<TestClient> {
    const c = startServer();
    // No pull support: the server pushes, after a pause in typing.
    await c.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: { workspace: { configuration: true } } });
    c.connection.sendNotification('initialized', {});
    return c;
  }

  it('1,000 edits in a burst: the last diagnostics are for the final text, and stale versions are not published after it', async () => {
    client = await start();
    const uri = pathToFileURL(path.join(root, 'list.ts')).href;
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: CLEAN(0) } });
    const edits = 1_000;
    for (let v = 2; v <= edits + 1; v++) {
      // Whole-text changes, alternating between a file with an N+1 and one without; the last has one.
      const text = v % 2 === 0 ? N_PLUS_ONE(v) : CLEAN(v);
      client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: v === edits + 1 ? N_PLUS_ONE(v) : text }] });
      // A yield every few edits, as keystrokes arrive; the server sees them as a stream, not one chunk.
      if (v % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const final = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === edits + 1, 60_000);
    assert.deepEqual(final.diagnostics.map((d: any) => [d.code, d.range.start.line]), [['n-plus-one', 6]]);
    // Let anything still queued arrive: nothing after the final version may describe an older text.
    await client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.showDocumentation', arguments: ['n-plus-one'] });
    const published = client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
    const last = published[published.length - 1].params;
    assert.equal(last.version, edits + 1);
    assert.ok(published.length < edits / 10, `the edits were coalesced, not analysed one by one (${published.length} publishes)`);
  });

  it('a client that goes away without shutdown takes the server down with it', async () => {
    const c = await start();
    const exited = new Promise<number | null>((resolve) => c.process.once('exit', (code) => resolve(code)));
    // The editor crashed: its end of the pipe closes.
    c.process.stdin!.end();
    assert.notEqual(await exited, undefined);
    c.connection.dispose();
    // A new session on the same workspace starts cleanly.
    client = await start();
    const uri = pathToFileURL(path.join(root, 'list.ts')).href;
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: N_PLUS_ONE(1) } });
    const diagnostics = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    assert.equal(diagnostics.diagnostics[0].code, 'n-plus-one');
  });

  it('a 20,000-file workspace indexes with progress, and a cancel stops it part-way', async () => {
    for (let d = 0; d < 200; d++) {
      const dir = path.join(root, `pkg${d}`);
      fs.mkdirSync(dir);
      for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `m${f}.ts`), f % 10 === 0 ? N_PLUS_ONE(f) : `export const x${f} = ${f};\n`);
    }
    const engine = await testEngine();
    const seen: Array<{ done: number; total: number }> = [];
    let cancel = false;
    const index = new WorkspaceIndex(engine, () => {});
    const finished = await index.build(
      root,
      mergeSettings(),
      (p) => {
        seen.push({ done: p.done, total: p.total ?? 0 });
        // Cancel once a tenth is done.
        if (p.done >= 2_000) cancel = true;
      },
      () => cancel,
    );
    assert.equal(finished, false, 'the build reports that it was cancelled');
    assert.ok(seen.length >= 2, 'progress was reported along the way');
    assert.equal(seen[seen.length - 1].total, 20_000);
    const done = seen[seen.length - 1].done;
    assert.ok(done >= 2_000 && done < 20_000, `stopped part-way (${done} of 20,000)`);
  });
});

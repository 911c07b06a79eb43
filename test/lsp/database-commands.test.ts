/** `perflens.explain` and `perflens.benchmark` over stdio, against the embedded database and PostgreSQL. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { TEST_PG_URL } from '../database/test-postgres';
import { waitFor } from '../database/wait-for';
import { startServer, type TestClient } from './client';

const QUERIES = `-- the owner's items
SELECT * FROM items WHERE owner_id = $1;

SELECT count(*) FROM items;
`;

describe('language server: database commands', function () {
  this.timeout(120_000);
  let root: string;
  let storage: string;
  let client: TestClient;
  let queriesUri: string;

  async function start(database: Record<string, unknown>): Promise<any> {
    client = startServer({ database });
    const init = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { storagePath: storage },
    });
    client.connection.sendNotification('initialized', {});
    return init;
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lsp-db-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lsp-storage-'));
    fs.writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE owners (id serial PRIMARY KEY, name text NOT NULL);\nCREATE TABLE items (id serial PRIMARY KEY, owner_id int NOT NULL REFERENCES owners (id), label text NOT NULL);\n');
    fs.writeFileSync(path.join(root, 'queries.sql'), QUERIES);
    queriesUri = pathToFileURL(path.join(root, 'queries.sql')).href;
  });
  afterEach(async () => {
    await client?.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('embedded: explains the statement at a position and benchmarks SQL text; the database runs in another process', async () => {
    const init = await start({ dataSize: 200 });
    assert.ok(init.capabilities.executeCommandProvider.commands.includes('perflens.explain'));
    const explained: any = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'perflens.explain',
      arguments: [{ uri: queriesUri, position: { line: 1, character: 10 } }],
    });
    assert.equal(explained.sql, 'SELECT * FROM items WHERE owner_id = $1');
    assert.deepEqual(explained.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 39 } });
    assert.equal(explained.database, 'embedded PostgreSQL (PGlite)');
    assert.deepEqual(explained.paramSources, ['sampled from items.owner_id']);
    assert.match(explained.summary, /on items · [\d,]+ rows? · [\d.,]+ ms$/);
    assert.equal(explained.plan.analyzed, true);

    const bench: any = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'perflens.benchmark',
      arguments: [{ sql: 'SELECT count(*) FROM items', runs: 6, warmup: 1 }],
    });
    assert.equal(bench.runs, 6);
    assert.equal(bench.timingsMs.length, 6);
    assert.ok(bench.p50 <= bench.p95 && bench.p95 <= bench.max);

    // The PGlite host is a child of the server, not the server itself.
    const children = fs.readFileSync(`/proc/${client.process.pid}/task/${client.process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    assert.equal(children.length, 1);
    assert.match(fs.readFileSync(`/proc/${children[0]}/cmdline`, 'utf8'), /pglite-host\.js/);

    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ uri: queriesUri, position: { line: 2, character: 0 } }] }),
      /no SQL statement or ORM call at this position/,
    );
  });

  it('PostgreSQL: uses the configured URL and never shows its password', async function () {
    if (!TEST_PG_URL) this.skip();
    await start({ url: TEST_PG_URL });
    const explained: any = await client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1 AS one' }] });
    assert.match(explained.database, /^PostgreSQL at postgres:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/postgres$/);
    assert.equal(explained.plan.root.nodeType, 'Result');
    const bad = new URL(TEST_PG_URL);
    bad.password = 'n0t-the-Pa55';
    await client.close();
    await start({ url: bad.toString() });
    await assert.rejects(client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1' }] }), (e: Error) => {
      assert.match(e.message, /Could not connect to PostgreSQL at postgres:\/\/perflens:\*\*\*@/);
      assert.ok(!e.message.includes('n0t-the-Pa55'));
      return true;
    });
  });

  it('PostgreSQL: a cancelled request cancels the running statement', async function () {
    if (!TEST_PG_URL) this.skip();
    await start({ url: TEST_PG_URL });
    const source = new CancellationTokenSource();
    const request = client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.benchmark', arguments: [{ sql: 'SELECT pg_sleep(30)', runs: 1, warmup: 0 }] }, source.token);
    const outcome = request.then(() => undefined, (e: unknown) => e);
    const watcher = new Client({ connectionString: TEST_PG_URL });
    await watcher.connect();
    try {
      const running = async (): Promise<number> => (await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")).rows[0].n;
      await waitFor(async () => (await running()) === 1, 20_000);
      source.cancel();
      assert.ok((await outcome) instanceof Error);
      await waitFor(async () => (await running()) === 0, 20_000);
    } finally {
      await watcher.end();
    }
  });
});

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
import { initializeWorkspace, startServer, type TestClient } from './client';

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

  async function start(database: Record<string, unknown>, initializationOptions: Record<string, unknown> = {}): Promise<any> {
    client = startServer({ database });
    const init = await initializeWorkspace(client, root, { storagePath: storage, ...initializationOptions });
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

    // Progress reached the client while the database was built and the benchmark ran.
    const progress = client.notifications.filter((n) => n.method === 'perflens/databaseProgress').map((n) => n.params.message);
    assert.ok(progress.some((m) => /benchmark: 6\/6 runs/.test(m)), progress.join('\n'));
  });

  it('embedded: runs and concurrency from the settings unless the command gives them; one run at a time, said in a note', async () => {
    await start({ dataSize: 50, benchmarkRuns: 4, benchmarkConcurrency: 3 });
    const bench = (args: Record<string, unknown>): Promise<any> => client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.benchmark', arguments: [{ sql: 'SELECT count(*) FROM items', warmup: 0, ...args }] });
    const fromSettings = await bench({});
    assert.equal(fromSettings.runs, 4);
    assert.equal(fromSettings.timingsMs.length, 4);
    // PGlite runs one statement at a time: the result says what ran, and why.
    assert.equal(fromSettings.concurrency, 1);
    assert.ok(fromSettings.notes.includes('Concurrency 3 was asked; embedded PostgreSQL (PGlite) runs one statement at a time, so the runs were sequential.'), fromSettings.notes.join('\n'));
    const given = await bench({ runs: 2, concurrency: 1 });
    assert.equal(given.runs, 2);
    assert.ok(!given.notes.some((n: string) => /Concurrency/.test(n)));
    await assert.rejects(bench({ runs: 'many' }), /runs must be a whole number of at least 1/);
    await assert.rejects(bench({ concurrency: 0 }), /concurrency must be a whole number of at least 1/);
  });

  it('embedded: a write is refused unless allowed, and an allowed one is rolled back', async () => {
    await start({ dataSize: 200 });
    const explain = (args: Record<string, unknown>) => client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [args] });
    await assert.rejects(explain({ sql: "UPDATE items SET label = 'perflens-was-here'" }), (e: any) => {
      assert.equal(e.data?.reason, 'write-not-allowed');
      return true;
    });
    const allowed: any = await explain({ sql: "UPDATE items SET label = 'perflens-was-here'", allowWrites: true });
    assert.equal(allowed.plan.root.nodeType, 'ModifyTable');
    assert.equal(allowed.plan.root.label, 'Update on items');
    const after: any = await explain({ sql: "SELECT * FROM items WHERE label = 'perflens-was-here'" });
    assert.equal(after.plan.root.rowsActual, 0, 'the UPDATE was rolled back');
  });

  it('embedded: suggests the index a query needs, tried on the copy, with the migration that adds it', async () => {
    fs.mkdirSync(path.join(root, 'db/migrations'), { recursive: true });
    fs.writeFileSync(path.join(root, 'db/migrations/0001_init.sql'), '-- the tables are in schema.sql\n');
    await start({ dataSize: 5_000 });
    const advice: any = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'perflens.suggestIndex',
      arguments: [{ uri: queriesUri, position: { line: 1, character: 10 } }],
    });
    assert.equal(advice.method, 'embedded');
    assert.match(advice.before.summary, /^Seq Scan on items/);
    const [best] = advice.suggestions;
    assert.equal(best.ddl, 'CREATE INDEX items_owner_id_idx ON items (owner_id);');
    assert.equal(best.used, true);
    assert.match(best.after.summary, /items_owner_id_idx on items/);
    const file = pathToFileURL(path.join(root, 'db/migrations/0002_add_items_owner_id_index.sql')).href;
    assert.equal(best.migration.title, 'Add migration db/migrations/0002_add_items_owner_id_index.sql');
    assert.deepEqual(best.migration.edit.documentChanges[0], { kind: 'create', uri: file, options: { overwrite: false, ignoreIfExists: false } });
    assert.match(best.migration.edit.documentChanges[1].edits[0].newText, /CREATE INDEX items_owner_id_idx ON items \(owner_id\);\n$/);
  });

  it('embedded: a saved migration that adds an index reaches the next EXPLAIN, without generating the data again', async () => {
    await start({ dataSize: 3_000 });
    const explain = (): Promise<any> =>
      client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ uri: queriesUri, position: { line: 1, character: 10 } }] });
    assert.match((await explain()).summary, /^Seq Scan on items/);
    // A file saved that leaves the schema as it was: the same database.
    fs.writeFileSync(path.join(root, 'notes.sql'), '-- nothing but a comment\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(root, 'notes.sql')).href, type: 1 }] });
    const progressOf = (): string[] => client.notifications.filter((n) => n.method === 'perflens/databaseProgress').map((n) => n.params.message);
    const before = progressOf().length;
    assert.match((await explain()).summary, /^Seq Scan on items/);
    assert.ok(!progressOf().slice(before).some((m) => /Generating|indexes changed/.test(m)), progressOf().slice(before).join('\n'));

    const migration = path.join(root, 'db/migrations/0002_add_items_owner_id_index.sql');
    fs.mkdirSync(path.dirname(migration), { recursive: true });
    fs.writeFileSync(migration, 'CREATE INDEX items_owner_id_idx ON items (owner_id);\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(migration).href, type: 1 }] });
    const after = await explain();
    assert.match(after.summary, /items_owner_id_idx on items/);
    const progress = progressOf().slice(before);
    assert.ok(progress.some((m) => /The schema's indexes changed: creating 1 index on a copy of the cached database/.test(m)), progress.join('\n'));
    assert.ok(!progress.some((m) => /Generating/.test(m)), progress.join('\n'));
  });

  it('embedded: compares an offset query with its keyset rewrite (the fix) at growing page depths', async () => {
    const pages = pathToFileURL(path.join(root, 'pages.sql')).href;
    fs.writeFileSync(path.join(root, 'pages.sql'), '-- a page of items\nSELECT id, label FROM items WHERE owner_id <> $1 ORDER BY id DESC LIMIT $2 OFFSET $3;\n');
    await start({ dataSize: 3_000 });
    const result: any = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'perflens.compareFix',
      arguments: [{ uri: pages, position: { line: 1, character: 5 }, pages: [1, 10, 100, 1000], runs: 3, warmup: 1 }],
    });
    assert.equal(result.kind, 'offset-pagination');
    assert.equal(result.offsetSql, 'SELECT id, label FROM items WHERE owner_id <> $1 ORDER BY id DESC LIMIT $3 OFFSET $2');
    assert.equal(result.keysetSql, 'SELECT id, label FROM items WHERE owner_id <> $1 AND id < $2 ORDER BY id DESC LIMIT $3');
    assert.equal(result.pageSize, 20);
    // 3,000 items in pages of 20: page 1,000 starts past the end.
    assert.deepEqual(result.depths.map((d: any) => [d.page, d.offset]), [[1, 0], [10, 180], [100, 1980]]);
    for (const d of result.depths) assert.ok(d.offsetP50 > 0 && d.keysetP50 > 0);
    assert.match(result.notes.join('\n'), /Page 1,000 starts past the ~3,000 rows of items/);
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.compareFix', arguments: [{ uri: queriesUri, position: { line: 1, character: 5 } }] }),
      /no SQL statement with offset pagination here/,
    );
  });

  it('embedded: cancelling while the database is being built stops the build, and the next command builds it', async () => {
    await start({ dataSize: 400_000 });
    const source = new CancellationTokenSource();
    const request = client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT count(*) FROM items' }] }, source.token);
    const outcome = request.then(() => undefined, (e: any) => e);
    await client.waitFor('perflens/databaseProgress', (p) => /Generating/.test(p.message), 60_000);
    source.cancel();
    const error = await outcome;
    assert.ok(error, 'the cancelled command fails');
    assert.match(String(error.message), /cancel/i);
    const explained: any = await client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1 AS one' }] });
    assert.equal(explained.plan.root.nodeType, 'Result');
  });

  it('untrusted workspace: no database work until the client says it is trusted', async () => {
    await start({ dataSize: 50 }, { workspaceTrusted: false });
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1' }] }),
      (e: any) => {
        assert.equal(e.data?.reason, 'untrusted-workspace');
        assert.match(e.message, /untrusted workspace/);
        return true;
      },
    );
    assert.ok(!fs.readdirSync(storage).length, 'nothing was built for the untrusted workspace');
    client.connection.sendNotification('perflens/workspaceTrusted');
    const explained: any = await client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1 AS one' }] });
    assert.equal(explained.plan.root.nodeType, 'Result');
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

  it('PostgreSQL: a URL without its password gets it from the client (secret storage), never from settings or logs', async function () {
    if (!TEST_PG_URL) this.skip();
    const full = new URL(TEST_PG_URL);
    const password = decodeURIComponent(full.password);
    full.password = '';
    const asked: string[] = [];
    await start({ url: full.toString() }, { databasePasswords: true });
    client.connection.onRequest('perflens/databasePassword', (params: { url: string }) => {
      asked.push(params.url);
      return { password };
    });
    const explained: any = await client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1 AS one' }] });
    assert.equal(explained.plan.root.nodeType, 'Result');
    assert.deepEqual(asked, [full.toString()]);
    assert.ok(!client.logs.join('\n').includes(password));
    assert.ok(!JSON.stringify(explained).includes(password));
  });

  it('PostgreSQL: a benchmark runs as many statements at once as its concurrency, whatever command opened the database first', async function () {
    if (!TEST_PG_URL) this.skip();
    await start({ url: TEST_PG_URL });
    // An EXPLAIN opens the connection pool first: it must not be sized for the EXPLAIN alone.
    await client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.explain', arguments: [{ sql: 'SELECT 1 AS one' }] });
    const sql = 'SELECT pg_sleep(3) AS perflens_concurrency';
    const request = client.connection.sendRequest('workspace/executeCommand', { command: 'perflens.benchmark', arguments: [{ sql, runs: 3, concurrency: 3, warmup: 0 }] });
    const watcher = new Client({ connectionString: TEST_PG_URL });
    await watcher.connect();
    try {
      const running = async (): Promise<number> => (await watcher.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1 AND state = $2', [sql, 'active'])).rows[0].n;
      await waitFor(async () => (await running()) === 3, 20_000);
      const result: any = await request;
      assert.equal(result.concurrency, 3);
      assert.ok(!result.notes.some((n: string) => /Concurrency/.test(n)));
    } finally {
      await watcher.end();
    }
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

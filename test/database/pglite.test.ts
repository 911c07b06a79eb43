/**
 * The embedded database through the bundled child host (server/out/pglite-host.js, with PGlite's
 * WASM and data beside it), as the language server and the CLI run it. Small data: the point is
 * the mechanics, not the plans.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchmarkQuery } from '../../server/src/database/benchmark';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from '../../server/src/database/database-errors';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../server/src/database/embedded-database';
import { explainQuery } from '../../server/src/database/explain';
import { PgliteConnector } from '../../server/src/database/pglite-connector';
import { REPO_ROOT } from '../harness/engine';

const HOST = path.join(REPO_ROOT, 'server/out/pglite-host.js');

describe('database: embedded PostgreSQL (PGlite in a child process)', function () {
  // The first start runs initdb in WASM: seconds, not milliseconds.
  this.timeout(120_000);
  let workspace: string;
  let cacheDir: string;
  let db: EmbeddedDatabase;
  let pglite: PgliteConnector;
  const progress: string[] = [];

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-pglite-ws-'));
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-pglite-cache-'));
    fs.mkdirSync(path.join(workspace, 'prisma'));
    fs.writeFileSync(
      path.join(workspace, 'prisma/schema.prisma'),
      `model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  author    User     @relation(fields: [authorId], references: [id])
  authorId  Int
  createdAt DateTime @default(now())

  @@index([authorId])
}
`,
    );
    fs.mkdirSync(path.join(workspace, 'db'));
    fs.writeFileSync(path.join(workspace, 'db/audit.sql'), 'CREATE TABLE audit_log (id bigserial PRIMARY KEY, user_id int NOT NULL REFERENCES "User" (id), action text NOT NULL, payload bytea);\n-- a query, not schema\nSELECT * FROM audit_log;\n');
    db = await openEmbeddedDatabase({ root: workspace, cacheDir, dataSize: 500, timeoutMs: 10_000, hostScript: HOST, onProgress: (m) => progress.push(m) });
    pglite = db.connector;
  });
  after(async () => {
    await pglite?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('loads schema.prisma and .sql DDL, generates data respecting foreign keys, reports progress', async () => {
    assert.equal(db.built, true);
    assert.deepEqual(db.warnings, []);
    assert.deepEqual(db.schemaFiles.sort(), ['db/audit.sql', 'prisma/schema.prisma']);
    assert.deepEqual(db.rows, { User: 50, Post: 500, audit_log: 500 });
    assert.ok(progress.includes('Generating Post: 500 of 500 rows'), progress.join('\n'));
    const orphans = await pglite.run('SELECT count(*)::int AS n FROM "Post" p LEFT JOIN "User" u ON u.id = p."authorId" WHERE u.id IS NULL');
    assert.equal(orphans.rows[0].n, 0);
  });

  it('runs outside this process', () => {
    assert.ok(pglite.running);
    assert.notEqual(pglite.pid, process.pid);
  });

  it('explains with a sampled parameter, a normalised plan and a summary', async () => {
    const result = await explainQuery(pglite, 'SELECT * FROM "Post" WHERE "authorId" = $1', { analyze: true });
    assert.deepEqual(result.paramSources, ['sampled from "Post"."authorId"']);
    assert.equal(result.database, 'embedded PostgreSQL (PGlite)');
    assert.ok(result.plan.analyzed);
    assert.ok(result.plan.root.rowsActual! >= 1);
    assert.match(result.summary, /^[A-Z][\w ]+ on "?Post"? · [\d,]+ rows? · [\d.,]+ ms$|^Bitmap Heap Scan on Post · [\d,]+ rows? · [\d.,]+ ms$/);
  });

  it('EXPLAIN ANALYZE of writes rolls back; plain runs are read-only', async () => {
    const count = async (): Promise<number> => Number((await pglite.run('SELECT count(*)::int AS n FROM "Post"')).rows[0].n);
    await pglite.explain(`INSERT INTO "Post" (title, "authorId") SELECT 'x', 1 FROM generate_series(1, 10)`, { analyze: true, allowWrites: true });
    await pglite.explain('DELETE FROM "Post"', { analyze: true, allowWrites: true });
    assert.equal(await count(), 500);
    await assert.rejects(pglite.run('DELETE FROM "Post"'), ReadOnlyError);
    assert.equal(await count(), 500);
  });

  it("a write's values get defaults of their types (bytes for bytea), its filter a sample of its table", async () => {
    const result = await explainQuery(pglite, 'UPDATE audit_log SET payload = $1, action = $2 WHERE id = $3', { analyze: true, allowWrites: true });
    assert.deepEqual(result.paramSources, ['default bytea', 'default text', 'sampled from audit_log.id']);
    assert.equal(result.plan.root.label, 'Update on audit_log');
  });

  it('benchmarks: percentiles from real timings', async () => {
    const result = await benchmarkQuery(pglite, 'SELECT * FROM "Post" WHERE id = $1', { runs: 12, concurrency: 2, warmup: 2 });
    assert.equal(result.timingsMs.length, 12);
    assert.ok(result.min <= result.p50 && result.p50 <= result.p95 && result.p95 <= result.p99 && result.p99 <= result.max);
    assert.ok(result.min > 0);
  });

  it('a statement past the timeout is stopped (the host restarts) with a clear error', async () => {
    await assert.rejects(pglite.run('SELECT pg_sleep(30)', { timeoutMs: 300 }), (e: Error) => e instanceof QueryTimeoutError && /300 ms statement timeout/.test(e.message));
    assert.equal((await pglite.run('SELECT 1 AS one')).rows[0].one, 1);
  });

  it('cancel() stops a running statement', async () => {
    await pglite.run('SELECT 1');
    const running = pglite.run('SELECT pg_sleep(30)');
    const outcome = running.then(() => undefined, (e: unknown) => e);
    await pglite.cancel();
    assert.ok((await outcome) instanceof QueryCancelledError);
    assert.equal((await pglite.run('SELECT count(*)::int AS n FROM "User"')).rows[0].n, 50);
  });

  it('stops the host after being idle, and starts it again on demand', async () => {
    const idle = new PgliteConnector({ dataDir: db.dataDir, timeoutMs: 10_000, idleMs: 10, hostScript: HOST });
    await pglite.close();
    try {
      const stopped = new Promise((resolve) => idle.once('stopped', resolve));
      await idle.run('SELECT 1');
      assert.equal(await stopped, 'idle');
      assert.equal(idle.running, false);
      assert.equal((await idle.run('SELECT count(*)::int AS n FROM "User"')).rows[0].n, 50);
    } finally {
      await idle.close();
    }
  });

  it('opens the cached database the second time without rebuilding', async () => {
    const again = await openEmbeddedDatabase({ root: workspace, cacheDir, dataSize: 500, timeoutMs: 10_000, hostScript: HOST });
    try {
      assert.equal(again.built, false);
      assert.equal((await again.connector.run('SELECT count(*)::int AS n FROM "Post"')).rows[0].n, 500);
    } finally {
      await again.connector.close();
    }
  });
});

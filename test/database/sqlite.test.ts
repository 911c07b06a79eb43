/**
 * SQLite through sql.js in a worker thread, on a file the test makes with sql.js: EXPLAIN QUERY
 * PLAN as a plan tree with SQLite's own node names, warnings, read-only statements, rolled-back
 * writes, timeouts and cancel (the worker is stopped), benchmarks, and a file never written.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { benchmarkQuery } from '../../server/src/database/benchmark';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from '../../server/src/database/database-errors';
import { explainQuery } from '../../server/src/database/explain';
import { openDatabase } from '../../server/src/database/open-database';
import { allNodes, nodeLabel } from '../../server/src/database/plan-tree';
import { sqliteFile, type SqliteConnector } from '../../server/src/database/sqlite-connector';
import { parseScan } from '../../server/src/database/sqlite-plan';

const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c';

describe('database: SQLite (sql.js in a worker thread)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  let db: SqliteConnector;
  const digest = (): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  let original: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-sqlite-'));
    file = path.join(dir, 'data', 'app.db');
    fs.mkdirSync(path.dirname(file));
    const SQL = await initSqlJs();
    const made = new SQL.Database();
    made.run(`
      CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES authors (id), title TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE INDEX posts_author_id ON posts (author_id);
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000) INSERT INTO authors SELECT i, 'author ' || i FROM s;
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000)
        INSERT INTO posts SELECT i, 1 + (i * 7919) % 1000, 'post ' || i, datetime('2024-01-01', '+' || i || ' minutes') FROM s;
    `);
    fs.writeFileSync(file, made.export());
    made.close();
    original = digest();
    const opened = await openDatabase({ url: 'sqlite:data/app.db', root: dir, cacheDir: dir, dataSize: 0, timeoutMs: 10_000 });
    db = opened.connector as SqliteConnector;
  });
  after(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sqlite: URLs name a file relative to the workspace, or an absolute one', () => {
    assert.equal(sqliteFile('sqlite:data/app.db', '/ws'), path.resolve('/ws/data/app.db'));
    assert.equal(sqliteFile('sqlite:///var/db/app.db', '/ws'), path.resolve('/var/db/app.db'));
    assert.equal(sqliteFile('sqlite://app.db', '/ws'), path.resolve('/ws/app.db'));
    assert.equal(db.kind, 'sqlite');
    assert.equal(db.description, `SQLite at ${path.join('data', 'app.db')}`);
  });

  it("reads SQLite's plan lines: table or alias, index, condition, full scans", () => {
    assert.deepEqual(parseScan('SCAN p'), { name: 'p', full: true, covering: false });
    assert.deepEqual(parseScan('SEARCH posts USING INDEX posts_author_id (author_id=?)'), { name: 'posts', index: 'posts_author_id', condition: 'author_id=?', full: false, covering: false });
    assert.deepEqual(parseScan('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)'), { name: 'a', index: 'PRIMARY KEY', condition: 'rowid=?', full: false, covering: false });
    assert.deepEqual(parseScan('SCAN posts USING COVERING INDEX posts_author_id'), { name: 'posts', index: 'posts_author_id', full: false, covering: true });
    assert.equal(parseScan('USE TEMP B-TREE FOR ORDER BY'), undefined);
    assert.equal(parseScan('SCAN CONSTANT ROW'), undefined);
  });

  it('explains an indexed lookup with a sampled parameter: SEARCH … USING INDEX, no warnings', async () => {
    const result = await explainQuery(db, 'SELECT * FROM posts WHERE author_id = $1');
    assert.deepEqual(result.paramSources, ['sampled from posts.author_id']);
    assert.equal(typeof result.params[0], 'number');
    assert.equal(result.plan.root.nodeType, 'SEARCH posts USING INDEX posts_author_id (author_id=?)');
    assert.equal(result.plan.root.relation, 'posts');
    assert.equal(result.plan.root.index, 'posts_author_id');
    assert.equal(result.plan.analyzed, false);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.database, `SQLite at ${path.join('data', 'app.db')}`);
  });

  it('explains a full scan sorted in a temporary b-tree, with both warnings, and times it with analyze', async () => {
    const result = await explainQuery(db, 'SELECT p.id, a.name FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.title LIKE $1 ORDER BY p.created_at LIMIT 20', { analyze: true, params: ['post 1%'] });
    const nodes = [...allNodes(result.plan.root)];
    assert.deepEqual(nodes.map(nodeLabel), ['QUERY PLAN', 'SCAN p', 'SEARCH a USING INTEGER PRIMARY KEY (rowid=?)', 'USE TEMP B-TREE FOR ORDER BY']);
    assert.deepEqual(nodes.map((n) => n.relation ?? null), [null, 'posts', 'authors', null]);
    assert.equal(nodes[1].alias, 'p');
    assert.equal(nodes[1].rowsEstimated, 20_000);
    assert.equal(result.plan.analyzed, true);
    assert.equal(result.plan.root.rowsActual, 20);
    assert.ok(result.plan.executionMs !== undefined && result.plan.executionMs >= 0);
    assert.deepEqual(result.warnings.map((w) => [w.kind, w.node]), [
      ['seq-scan', 'SCAN p'],
      ['temp-btree', 'USE TEMP B-TREE FOR ORDER BY'],
    ]);
    assert.match(result.warnings[0].message, /reads all ~20,000 rows/);
  });

  it('statements are read-only unless writes are allowed, and allowed writes are rolled back; the file is never written', async () => {
    await assert.rejects(db.run('DELETE FROM posts'), ReadOnlyError);
    const deleted = await db.run('DELETE FROM posts', { allowWrites: true, rollback: true });
    assert.equal(deleted.rowCount, 20_000);
    await assert.rejects(explainQuery(db, 'DELETE FROM posts WHERE id = 1', { analyze: true }), ReadOnlyError);
    const count = await db.run('SELECT count(*) AS n FROM posts');
    assert.equal(count.rows[0].n, 20_000);
    assert.equal(digest(), original);
  });

  it('a statement past its timeout stops with QueryTimeoutError; the next one runs on a new worker', async () => {
    await assert.rejects(db.run(FOREVER, { timeoutMs: 300 }), QueryTimeoutError);
    assert.equal((await db.run('SELECT count(*) AS n FROM authors')).rows[0].n, 1000);
  });

  it('cancel stops a running statement with QueryCancelledError', async () => {
    const running = db.run(FOREVER, { timeoutMs: 30_000 });
    const rejected = assert.rejects(running, QueryCancelledError);
    await db.cancel();
    await rejected;
    assert.equal((await db.run('SELECT 1 AS one')).rows[0].one, 1);
  });

  it('benchmarks a query', async () => {
    const result = await benchmarkQuery(db, 'SELECT count(*) FROM posts WHERE author_id = $1', { runs: 12, warmup: 2 });
    assert.equal(result.timingsMs.length, 12);
    assert.deepEqual(result.paramSources, ['sampled from posts.author_id']);
    assert.ok(result.p50 <= result.p95 && result.p95 <= result.max);
  });

  it('a missing file is a clear error', async () => {
    const missing = await openDatabase({ url: 'sqlite:nope.db', root: dir, cacheDir: dir, dataSize: 0, timeoutMs: 5_000 });
    await assert.rejects(missing.connector.run('SELECT 1'), /Could not open SQLite at nope\.db: .*no such file/i);
    await missing.connector.close();
  });
});

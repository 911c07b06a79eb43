/** `perflens explain` and `perflens bench` as users run them (the bundled CLI). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_PG_URL } from '../database/test-postgres';
import { perflens } from './run-cli';

describe('CLI: explain and bench', function () {
  this.timeout(120_000);
  let root: string;
  let cache: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-cli-db-'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-cli-cache-'));
    fs.writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE notes (id serial PRIMARY KEY, author text NOT NULL, body text NOT NULL);\n');
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });
  const env = () => ({ PERFLENS_CACHE_DIR: cache, PERFLENS_DATABASE_URL: '' });

  it('explain on the embedded database built from --schema: text, progress on stderr', () => {
    const r = perflens(root, ['explain', '--schema', '.', '--data-size', '300', 'SELECT * FROM notes WHERE author = $1'], env());
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^Seq Scan on notes · 300 rows · [\d.,]+ ms$/);
    assert.equal(lines[1], 'database: embedded PostgreSQL (PGlite)');
    assert.match(lines[2], /^\$1 = "[0-9a-f]{32}" \(sampled from notes\.author\)$/);
    assert.match(r.stderr, /Generating notes: 300 of 300 rows/);
  });

  it('bench --format json: percentiles from the runs', () => {
    const r = perflens(root, ['bench', '--data-size', '300', '--runs', '8', '--warmup', '0', '--format', 'json', 'SELECT count(*) FROM notes'], env());
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.runs, 8);
    assert.equal(out.timingsMs.length, 8);
    for (const k of ['p50', 'p95', 'p99', 'mean', 'min', 'max']) assert.equal(typeof out[k], 'number', k);
    // The cached database was reused: nothing to build this time.
    assert.doesNotMatch(r.stderr, /Generating/);
  });

  it('bench: runs and concurrency from .perflens.json unless flags give them; the embedded database runs one at a time, said in a note', () => {
    fs.writeFileSync(path.join(root, '.perflens.json'), JSON.stringify({ database: { benchmarkRuns: 3, benchmarkConcurrency: 2 } }));
    try {
      const r = perflens(root, ['bench', '--data-size', '300', '--warmup', '0', '--format', 'json', 'SELECT count(*) FROM notes'], env());
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.runs, 3);
      assert.equal(out.concurrency, 1);
      assert.ok(out.notes.includes('Concurrency 2 was asked; embedded PostgreSQL (PGlite) runs one statement at a time, so the runs were sequential.'), r.stdout);
      const flags = JSON.parse(perflens(root, ['bench', '--data-size', '300', '--warmup', '0', '--runs', '5', '--concurrency', '1', '--format', 'json', 'SELECT count(*) FROM notes'], env()).stdout);
      assert.equal(flags.runs, 5);
      assert.ok(!flags.notes.some((n: string) => /Concurrency/.test(n)));
    } finally {
      fs.rmSync(path.join(root, '.perflens.json'));
    }
  });

  it('explain and bench --at FILE:LINE: the ORM call written there translated, or the SQL of a string; where it came from in the output', () => {
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    const code = "import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport async function byAuthor(a: string) {\n  return db('notes').where({ author: a }).orderBy('id', 'desc').limit(10);\n}\nexport async function raw(pool: any, a: string) {\n  return pool.query('SELECT body FROM notes WHERE author = $1', [a]);\n}\n";
    fs.writeFileSync(path.join(root, 'src/notes.ts'), code);
    const orm = perflens(root, ['explain', '--data-size', '300', '--no-analyze', '--format', 'json', '--at', 'src/notes.ts:4'], env());
    assert.equal(orm.status, 0, orm.stderr);
    const out = JSON.parse(orm.stdout);
    assert.deepEqual(out.source, { where: path.join('src', 'notes.ts:4'), description: "db('notes') → SQL" });
    assert.equal(out.sql, 'SELECT * FROM "notes" WHERE "author" = $1 ORDER BY "id" DESC LIMIT 10');
    assert.match(out.plan.nodeType, /Limit/);
    assert.ok(out.notes.some((n: string) => /^\$1 = `a`/.test(n)), out.notes.join('\n'));
    // A column: the string's SQL, the call around it left alone.
    const sql = perflens(root, ['bench', '--data-size', '300', '--runs', '3', '--warmup', '0', '--at', 'src/notes.ts:7:22'], env());
    assert.equal(sql.status, 0, sql.stderr);
    assert.deepEqual(sql.stdout.split('\n').slice(0, 2), [`${path.join('src', 'notes.ts:7')}: SQL`, '  SELECT body FROM notes WHERE author = $1']);
    const nothing = perflens(root, ['explain', '--at', 'src/notes.ts:1'], env());
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /src\/notes\.ts:1: no SQL statement or ORM query there/);
  });

  it('usage errors exit 2; an unsupported URL exits 1 without its password', () => {
    for (const args of [['explain', '--at', 'src/notes.ts'], ['explain', '--at', 'src/notes.ts:4', 'SELECT 1'], ['explain', '--at', 'missing.ts:3']]) {
      const r = perflens(root, args, env());
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /--at takes FILE:LINE|either the SQL statement or --at|missing\.ts: no such file/);
    }
    assert.equal(perflens(root, ['explain'], env()).status, 2);
    assert.equal(perflens(root, ['bench', '--runs', 'many', 'SELECT 1'], env()).status, 2);
    const r = perflens(root, ['explain', '--db', 'mssql://root:hunter2@localhost/app', 'SELECT 1'], env());
    assert.equal(r.status, 1);
    assert.match(r.stderr, /mssql:\/\/root:\*\*\*@localhost\/app: only PostgreSQL \(postgres:\/\/…\), MySQL or MariaDB \(mysql:\/\/…\) and SQLite/);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2/);
    // A MySQL server that is not there (nothing listens on port 1): a clear error, still no password.
    const down = perflens(root, ['explain', '--db', 'mysql://root:hunter2@127.0.0.1:1/app', 'SELECT 1'], env());
    assert.equal(down.status, 1);
    assert.match(down.stderr, /Could not connect to MySQL at mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/app/);
    assert.doesNotMatch(down.stderr + down.stdout, /hunter2/);
  });

  it('PostgreSQL from PERFLENS_DATABASE_URL, and a timeout is a clear error', function () {
    if (!TEST_PG_URL) this.skip();
    const ok = perflens(root, ['explain', '--format', 'json', 'SELECT 1 AS one'], { ...env(), PERFLENS_DATABASE_URL: TEST_PG_URL });
    assert.equal(ok.status, 0, ok.stderr);
    const out = JSON.parse(ok.stdout);
    assert.match(out.database, /^PostgreSQL at postgres:\/\/perflens:\*\*\*@/);
    assert.equal(out.plan.nodeType, 'Result');
    const slow = perflens(root, ['bench', '--db', TEST_PG_URL, '--timeout', '200', '--runs', '1', '--warmup', '0', 'SELECT pg_sleep(3)'], env());
    assert.equal(slow.status, 1);
    assert.match(slow.stderr, /longer than the 200 ms statement timeout/);
  });
});

import * as assert from 'node:assert/strict';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from '../../server/src/database/database-errors';
import { Client } from 'pg';
import { benchmarkQuery } from '../../server/src/database/benchmark';
import { explainQuery } from '../../server/src/database/explain';
import { PgConnector } from '../../server/src/database/pg-connector';
import { describeWithPostgres, TEST_PG_URL } from './test-postgres';
import { waitFor } from './wait-for';

describeWithPostgres('database: PostgreSQL connector', (db) => {
  let pg: PgConnector;
  before(async () => {
    pg = new PgConnector({ url: db.url(), timeoutMs: 10_000 });
    await pg.execScript(`
      CREATE TABLE accounts (id serial PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);
      INSERT INTO accounts (owner, balance) SELECT 'owner ' || g, g FROM generate_series(1, 50) g;
    `);
  });
  after(() => pg.close());

  const count = async (): Promise<number> => Number((await pg.run('SELECT count(*) AS n FROM accounts')).rows[0].n);
  const checksum = async (): Promise<string> => String((await pg.run("SELECT md5(string_agg(id || ':' || owner || ':' || balance, ',' ORDER BY id)) AS h FROM accounts")).rows[0].h);

  it('runs a statement with parameters', async () => {
    const r = await pg.run('SELECT owner FROM accounts WHERE id = $1', { params: [7] });
    assert.deepEqual(r.rows, [{ owner: 'owner 7' }]);
  });

  it('is read-only by default: a write fails with a clear error and changes nothing', async () => {
    await assert.rejects(pg.run("INSERT INTO accounts (owner, balance) VALUES ('x', 1)"), (e: Error) => e instanceof ReadOnlyError && /read-only unless writes are allowed/.test(e.message));
    assert.equal(await count(), 50);
  });

  it('EXPLAIN ANALYZE of INSERT, UPDATE and DELETE runs them and rolls them back', async () => {
    const before = await checksum();
    const statements = [
      "INSERT INTO accounts (owner, balance) SELECT 'new', g FROM generate_series(1, 100) g",
      'UPDATE accounts SET balance = balance + 1000',
      'DELETE FROM accounts WHERE id > 10',
    ];
    for (const sql of statements) {
      const plan = await pg.explain(sql, { analyze: true, allowWrites: true });
      // The write really executed (actual rows counted), and still nothing was kept.
      assert.equal(typeof (plan.Plan as Record<string, unknown>)['Actual Rows'], 'number', sql);
      assert.equal(await checksum(), before, sql);
    }
    assert.equal(await count(), 50);
  });

  it('EXPLAIN ANALYZE of a write without allowWrites is refused', async () => {
    await assert.rejects(pg.explain('DELETE FROM accounts', { analyze: true }), ReadOnlyError);
    assert.equal(await count(), 50);
  });

  it('a benchmark-style run with allowWrites and rollback keeps nothing', async () => {
    await pg.run("INSERT INTO accounts (owner, balance) VALUES ('kept?', 1)", { allowWrites: true, rollback: true });
    assert.equal(await count(), 50);
  });

  it('a statement past the timeout fails with a clear timeout error', async () => {
    await assert.rejects(pg.run('SELECT pg_sleep(5)', { timeoutMs: 200 }), (e: Error) => {
      assert.ok(e instanceof QueryTimeoutError, e.message);
      assert.match(e.message, /longer than the 200 ms statement timeout/);
      return true;
    });
    // The connection is usable afterwards.
    assert.equal(await count(), 50);
  });

  it('cancel() stops a running statement from a second connection', async () => {
    const running = pg.run('SELECT pg_sleep(30)');
    const outcome = running.then(() => undefined, (e: unknown) => e);
    // Cancel once the backend is really running the sleep: wait for it in pg_stat_activity.
    await waitFor(async () => (await pg.run("SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")).rows[0].n === '1', 20_000);
    await pg.cancel();
    assert.ok((await outcome) instanceof QueryCancelledError);
    assert.equal(await count(), 50);
  });

  it('describes parameter types without running the statement', async () => {
    assert.deepEqual(await pg.describeParams('SELECT * FROM accounts WHERE id = $1 AND owner = $2 LIMIT $3'), ['integer', 'text', 'bigint']);
  });

  it('explains with parameters sampled from the data', async () => {
    const result = await explainQuery(pg, 'SELECT * FROM accounts a WHERE a.id = $1', { analyze: true });
    assert.equal(result.paramSources[0], 'sampled from accounts.id');
    assert.equal(typeof result.params[0], 'number');
    assert.equal(result.plan.root.rowsActual, 1);
    assert.match(result.summary, /^(Index Scan using accounts_pkey on accounts|Seq Scan on accounts) · 1 row · [\d.,]+ ms$/);
  });

  it('connection errors name the database without its password', async () => {
    const url = new URL(TEST_PG_URL!);
    url.password = 'wrong-Pa55word';
    const bad = new PgConnector({ url: url.toString(), timeoutMs: 1000 });
    try {
      await assert.rejects(bad.run('SELECT 1'), (e: Error) => {
        assert.match(e.message, /^Could not connect to PostgreSQL at postgres:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/postgres/);
        assert.ok(!e.message.includes('wrong-Pa55word'));
        return true;
      });
      assert.ok(!bad.description.includes('wrong-Pa55word'));
    } finally {
      await bad.close();
    }
  });

  it('a database that is down: a clear message naming it, no hang', async () => {
    const url = new URL(TEST_PG_URL!);
    // A port nothing listens on (the test server's, plus one, is free in CI's throwaway cluster).
    url.port = String(Number(url.port) + 1);
    const down = new PgConnector({ url: url.toString(), timeoutMs: 2000 });
    try {
      await assert.rejects(explainQuery(down, 'SELECT 1'), /^Error: Could not connect to PostgreSQL at postgres:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/postgres.*(ECONNREFUSED|connect)/);
    } finally {
      await down.close();
    }
  });

  it('a connection dropped mid-benchmark: the run fails with a clear error, nothing is left running, the next statement works', async () => {
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      const run = benchmarkQuery(pg, 'SELECT pg_sleep(0.05), $1::int AS marker', { params: [424242], runs: 200, warmup: 0 }).then(
        () => undefined,
        (e: Error) => e,
      );
      const busy = async () => (await admin.query("SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(0.05)%' AND state = 'active'")).rows as Array<{ pid: number }>;
      await waitFor(async () => (await busy()).length > 0, 20_000);
      // The server goes away under the benchmark's feet (a failover, an admin, a network drop).
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(0.05)%'");
      const error = await run;
      assert.ok(error instanceof Error, 'the benchmark fails');
      assert.match(error.message, /terminat|connection/i);
      await waitFor(async () => (await busy()).length === 0, 20_000);
      assert.equal((await pg.run('SELECT 1 AS one')).rows[0].one, 1);
    } finally {
      await admin.end();
    }
  });
});

import * as assert from 'node:assert/strict';
import { needsPassword, withPassword } from '../../server/src/database/credentials';
import { benchmarkQuery } from '../../server/src/database/benchmark';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from '../../server/src/database/database-errors';
import { explainQuery } from '../../server/src/database/explain';
import { MysqlConnector } from '../../server/src/database/mysql-connector';
import { openDatabase } from '../../server/src/database/open-database';
import { admin, describeWithMysql, TEST_MYSQL_URL } from './test-mysql';
import { waitFor } from './wait-for';

describeWithMysql('database: MySQL connector (on MariaDB)', (db) => {
  let my: MysqlConnector;
  before(async () => {
    const opened = await openDatabase({ url: db.url(), root: '.', cacheDir: '.', dataSize: 0, timeoutMs: 10_000 });
    my = opened.connector as MysqlConnector;
    await my.execScript(`
      CREATE TABLE accounts (id INT PRIMARY KEY AUTO_INCREMENT, owner VARCHAR(40) NOT NULL, balance INT NOT NULL, KEY accounts_owner (owner));
      INSERT INTO accounts (owner, balance) SELECT CONCAT('owner ', seq), seq FROM seq_1_to_50;
      CREATE TABLE events (id INT PRIMARY KEY AUTO_INCREMENT, account_id INT NOT NULL, kind VARCHAR(20) NOT NULL);
      INSERT INTO events (account_id, kind) SELECT 1 + seq % 50, IF(seq % 3 = 0, 'deposit', 'withdrawal') FROM seq_1_to_20000;
      ANALYZE TABLE accounts, events;
    `);
  });
  after(() => my.close());

  const count = async (): Promise<number> => Number((await my.run('SELECT count(*) AS n FROM accounts')).rows[0].n);
  const checksum = async (): Promise<string> => String((await my.run("SELECT MD5(GROUP_CONCAT(id, ':', owner, ':', balance ORDER BY id)) AS h FROM accounts")).rows[0].h);

  it('knows the server and names it without the password', async () => {
    const server = await my.server();
    assert.equal(server.flavour, 'mariadb');
    assert.equal(my.kind, 'mysql');
    assert.match(my.description, /^MariaDB at mysql:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/perflens_test_/);
  });

  it('runs a statement with $n parameters', async () => {
    const r = await my.run('SELECT owner FROM accounts WHERE id = $1 AND balance >= $1', { params: [7] });
    assert.deepEqual(r.rows, [{ owner: 'owner 7' }]);
  });

  it('is read-only by default: a write fails with a clear error and changes nothing', async () => {
    await assert.rejects(my.run("INSERT INTO accounts (owner, balance) VALUES ('x', 1)"), (e: Error) => e instanceof ReadOnlyError && /read-only unless writes are allowed/.test(e.message));
    await assert.rejects(my.explain('DELETE FROM accounts', { analyze: true }), ReadOnlyError);
    assert.equal(await count(), 50);
  });

  it('refuses statements that would commit on their own, even with writes allowed', async () => {
    await assert.rejects(my.run('DROP TABLE accounts', { allowWrites: true, rollback: true }), /DROP cannot run inside a transaction/);
    await assert.rejects(my.run('/* why */ TRUNCATE accounts', { allowWrites: true }), /TRUNCATE cannot run inside a transaction/);
    assert.equal(await count(), 50);
  });

  it('allowed writes are measured and rolled back: ANALYZE of INSERT, UPDATE, DELETE and a benchmark keep nothing', async () => {
    const before = await checksum();
    for (const sql of ["INSERT INTO accounts (owner, balance) SELECT 'new', seq FROM seq_1_to_100", 'UPDATE accounts SET balance = balance + 1000', 'DELETE FROM accounts WHERE id > 10']) {
      const plan = await my.explain(sql, { analyze: true, allowWrites: true });
      assert.ok(plan.Plan, sql);
      assert.equal(await checksum(), before, sql);
    }
    const result = await benchmarkQuery(my, 'UPDATE accounts SET balance = balance + 1 WHERE id = $1', { params: [3], runs: 5, warmup: 1, allowWrites: true });
    assert.equal(result.timingsMs.length, 5);
    await my.run("INSERT INTO accounts (owner, balance) VALUES ('kept?', 1)", { allowWrites: true, rollback: true });
    assert.equal(await checksum(), before);
    assert.equal(await count(), 50);
  });

  it('explains with parameters sampled from the data: the estimated plan and ANALYZE FORMAT=JSON', async () => {
    const estimated = await explainQuery(my, 'SELECT * FROM events e WHERE e.account_id = $1 AND e.kind = $2');
    assert.equal(estimated.paramSources[0], 'sampled from events.account_id');
    assert.equal(estimated.paramSources[1], 'sampled from events.kind');
    assert.equal(estimated.plan.analyzed, false);
    assert.equal(estimated.plan.root.relation, 'events');
    assert.equal(estimated.plan.root.alias, 'e');
    assert.match(estimated.summary, /^Full scan on events · [\d,]+ rows \(estimated\) · cost [\d,]+$/);
    assert.deepEqual(estimated.warnings.map((w) => w.kind), ['seq-scan']);

    const analyzed = await explainQuery(my, 'SELECT * FROM accounts a WHERE a.id = $1', { analyze: true });
    assert.equal(analyzed.paramSources[0], 'sampled from accounts.id');
    assert.equal(typeof analyzed.params[0], 'number');
    assert.equal(analyzed.plan.analyzed, true);
    assert.match(analyzed.summary, /using PRIMARY on accounts · 1 row · [\d.,]+ ms$/);
  });

  it('filesort and temporary tables over many rows are reported', async () => {
    const result = await explainQuery(my, 'SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY n DESC', { analyze: true });
    const kinds = result.warnings.map((w) => w.kind);
    assert.ok(kinds.includes('seq-scan'), kinds.join());
    assert.ok(kinds.includes('filesort') || kinds.includes('temporary'), kinds.join());
  });

  it('a statement past the timeout fails with a clear timeout error; the connection works afterwards', async () => {
    await assert.rejects(my.run('SELECT SLEEP(5)', { timeoutMs: 200 }), (e: Error) => {
      assert.ok(e instanceof QueryTimeoutError, e.message);
      assert.match(e.message, /longer than the 200 ms statement timeout/);
      return true;
    });
    assert.equal(await count(), 50);
  });

  it('cancel() stops a running statement with KILL QUERY from a second connection', async () => {
    const running = my.run('SELECT SLEEP(30) AS marker_cancel');
    const outcome = running.then(() => undefined, (e: unknown) => e);
    // Cancel once the server is really running it: wait for it in the process list.
    await waitFor(async () => ((await admin("SELECT id FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(30) AS marker_cancel'")) as unknown[]).length === 1, 20_000);
    await my.cancel();
    assert.ok((await outcome) instanceof QueryCancelledError);
    assert.equal(await count(), 50);
  });

  it('a URL that names only the user connects once the password the client keeps is put in', async () => {
    const url = new URL(db.url());
    const password = decodeURIComponent(url.password);
    url.password = '';
    const bare = url.toString();
    assert.equal(needsPassword(bare), true);
    const connector = new MysqlConnector({ url: withPassword(bare, password), timeoutMs: 5000 });
    try {
      assert.deepEqual((await connector.run('SELECT 1 AS one')).rows, [{ one: 1 }]);
      assert.ok(!connector.description.includes(password));
    } finally {
      await connector.close();
    }
  });

  it('connection errors name the database without its password', async () => {
    const url = new URL(TEST_MYSQL_URL!);
    url.password = 'wrong-Pa55word';
    const bad = new MysqlConnector({ url: url.toString(), timeoutMs: 1000 });
    try {
      await assert.rejects(bad.run('SELECT 1'), (e: Error) => {
        assert.match(e.message, /^Could not connect to MySQL at mysql:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/perflens: Access denied/);
        assert.ok(!e.message.includes('wrong-Pa55word'));
        return true;
      });
      assert.ok(!bad.description.includes('wrong-Pa55word'));
    } finally {
      await bad.close();
    }
  });

  it('a server that is down: a clear message naming it, no hang', async () => {
    const url = new URL(TEST_MYSQL_URL!);
    url.port = String(Number(url.port) + 1);
    const down = new MysqlConnector({ url: url.toString(), timeoutMs: 2000 });
    try {
      await assert.rejects(explainQuery(down, 'SELECT 1'), (e: Error) => {
        assert.match(e.message, /^Could not connect to MySQL at mysql:\/\/perflens:\*\*\*@127\.0\.0\.1:\d+\/perflens.*(ECONNREFUSED|connect)/);
        assert.ok(!e.message.includes(new URL(TEST_MYSQL_URL!).password));
        return true;
      });
    } finally {
      await down.close();
    }
  });
});

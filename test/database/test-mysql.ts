/**
 * The real MySQL-compatible server the MySQL tests run against: `.ci/run` starts a MariaDB and
 * exports its URL as PERFLENS_TEST_MYSQL_URL. Without it the suites that need it report one skipped
 * test saying so; in CI they always run. Each suite gets its own database, dropped after.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const TEST_MYSQL_URL = process.env.PERFLENS_TEST_MYSQL_URL;

export function describeWithMysql(title: string, body: (db: { url: () => string; database: () => string }) => void): void {
  describe(title, function () {
    if (!TEST_MYSQL_URL) {
      it('skipped: no MySQL or MariaDB (PERFLENS_TEST_MYSQL_URL is not set; .ci/run sets it)', function () {
        this.skip();
      });
      return;
    }
    const database = `perflens_test_${randomBytes(4).toString('hex')}`;
    const url = new URL(TEST_MYSQL_URL);
    url.pathname = `/${database}`;
    before(async () => admin(`CREATE DATABASE ${database}`));
    after(async () => admin(`DROP DATABASE ${database}`));
    body({ url: () => url.toString(), database: () => database });
  });
}

/** Runs a statement on the test server (outside any connector). */
export async function admin(sql: string): Promise<unknown[]> {
  const connection = await createConnection({ uri: TEST_MYSQL_URL });
  try {
    const [rows] = await connection.query(sql);
    return rows as unknown[];
  } finally {
    await connection.end();
  }
}

/**
 * The real PostgreSQL the database tests run against: `.ci/run` starts one and exports its URL as
 * PERFLENS_TEST_PG_URL. Without it the suites that need it report one skipped test saying so; in
 * CI they always run. Each suite gets its own schema (through the URL's search_path), dropped after.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_PG_URL = process.env.PERFLENS_TEST_PG_URL;

export function describeWithPostgres(title: string, body: (db: { url: () => string; schema: () => string }) => void): void {
  describe(title, function () {
    if (!TEST_PG_URL) {
      it('skipped: no PostgreSQL (PERFLENS_TEST_PG_URL is not set; .ci/run sets it)', function () {
        this.skip();
      });
      return;
    }
    const schema = `perflens_test_${randomBytes(4).toString('hex')}`;
    const url = withSearchPath(TEST_PG_URL, schema);
    before(async () => admin(`CREATE SCHEMA ${schema}`));
    after(async () => admin(`DROP SCHEMA ${schema} CASCADE`));
    body({ url: () => url, schema: () => schema });
  });
}

function withSearchPath(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * "Compare every row vs first 100": the capped statement, and the comparison on the embedded
 * database (rows and sizes of both reads). Asserts on rows and bytes, never on timings.
 */
import * as assert from 'node:assert/strict';
import { cappedStatement, compareCap } from '../../server/src/database/compare-cap';
import type { PgliteConnector } from '../../server/src/database/pglite-connector';
import { SchemaWorkspace } from './schema-workspace';

describe('database: compare every row with the first page', () => {
  it('caps the statement after its trailing semicolon and comments', () => {
    assert.equal(cappedStatement('SELECT * FROM "Post" ORDER BY "id" DESC;\n', 100), 'SELECT * FROM "Post" ORDER BY "id" DESC\nLIMIT 100');
    assert.equal(cappedStatement('SELECT * FROM posts -- every post\n', 50), 'SELECT * FROM posts\nLIMIT 50');
  });

  describe('on the embedded database', function () {
    this.timeout(120_000);
    const workspace = new SchemaWorkspace('compare-cap');
    let pglite: PgliteConnector;

    before(async () => {
      workspace.create({
        'prisma/schema.prisma': `model Post {
  id        Int     @id @default(autoincrement())
  title     String
  published Boolean @default(false)
}
`,
      });
      pglite = (await workspace.open(300)).connector;
    });
    after(() => workspace.dispose());

    it('every row against the first 100: row counts, JSON sizes, both timed', async () => {
      const total = Number((await pglite.run('SELECT count(*)::int AS n FROM "Post"')).rows[0].n);
      assert.ok(total > 100, `the data has ${total} posts`);
      const r = await compareCap(pglite, 'SELECT "id", "title" FROM "Post" ORDER BY "id"', { runs: 2, warmup: 0 });
      assert.equal(r.all.rows, total);
      assert.equal(r.capped.rows, 100);
      assert.ok(r.all.bytes > r.capped.bytes && r.capped.bytes > 0);
      assert.ok(r.all.p50 > 0 && r.capped.p50 > 0);
      assert.deepEqual(r.notes, []);
    });

    it('fewer matching rows than the cap: the same rows, and a note that says so', async () => {
      const r = await compareCap(pglite, 'SELECT "id" FROM "Post" WHERE "id" <= $1', { runs: 1, warmup: 0, cap: 100_000 });
      assert.equal(r.all.rows, r.capped.rows);
      assert.match(r.notes[0], /no more than the cap: the two reads return the same rows/);
    });

    it('stops when cancelled', async () => {
      await assert.rejects(compareCap(pglite, 'SELECT "id" FROM "Post"', { isCancelled: () => true }), /comparison stopped/);
    });
  });
});

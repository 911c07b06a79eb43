/**
 * "Compare 1+N vs batched": the statements each kind of N+1 is compared with (lookups, updates and
 * deletes by key, single-row inserts), and the comparison run on the embedded database, where the
 * writes must leave nothing behind. Asserts on statements and row counts, never on timings.
 */
import * as assert from 'node:assert/strict';
import { batchedInsert, batchedStatement, batchedUpdate, compareBatch, singleRowInsert, singleRowUpdate, writeKind } from '../../server/src/database/compare-batch';
import { ReadOnlyError } from '../../server/src/database/database-errors';
import type { PgliteConnector } from '../../server/src/database/pglite-connector';
import { SchemaWorkspace } from './schema-workspace';

describe('database: compare an N+1 with its batched form', () => {
  it('tells writes from lookups by their first keyword, past comments', () => {
    assert.equal(writeKind('SELECT * FROM t WHERE id = $1'), undefined);
    assert.equal(writeKind('  -- one row\nUPDATE t SET a = 1 WHERE id = $1'), 'update');
    assert.equal(writeKind('/* x */ delete from t where id = $1'), 'delete');
    assert.equal(writeKind('INSERT INTO t (a) VALUES ($1)'), 'insert');
  });

  it('batches an UPDATE or DELETE by one key as it batches a lookup; not one whose values differ per item', () => {
    assert.equal(batchedStatement('UPDATE "Post" SET "published" = true WHERE "Post"."id" = $1 RETURNING "id"'), 'UPDATE "Post" SET "published" = true WHERE "Post"."id" = ANY($1) RETURNING "id"');
    assert.equal(batchedStatement('DELETE FROM "Post" WHERE "Post"."id" = $1'), 'DELETE FROM "Post" WHERE "Post"."id" = ANY($1)');
    assert.equal(batchedStatement('UPDATE "Post" SET "title" = $1 WHERE "Post"."id" = $2'), undefined);
  });

  it('an UPDATE of one row by key with values of its own: one UPDATE … FROM (VALUES …) joined on the key, the first row typed', () => {
    const u = singleRowUpdate('UPDATE "Post" SET "title" = $1, "views" = "views" + 1, "rank" = $2 WHERE "Post"."id" = $3 RETURNING "id"')!;
    assert.deepEqual(u.set.map((a) => a.param), [1, 0, 2]);
    assert.deepEqual(u.key, { column: '"id"', text: '"Post"."id"', param: 3 });
    assert.equal(
      batchedUpdate(u, 2, new Map([[1, 'text'], [2, 'integer'], [3, 'integer']])),
      'UPDATE "Post" SET "title" = "v"."v1", "views" = "views" + 1, "rank" = "v"."v2" FROM (VALUES ($1::text, $2::integer, $3::integer), ($4, $5, $6)) AS "v"("v1", "v2", "key") WHERE "Post"."id" = "v"."key" RETURNING "id"',
    );
    // Sequelize's unspaced lists and bare WHERE column.
    const seq = singleRowUpdate('UPDATE "posts" SET "title"=$1,"updatedAt"=$2 WHERE "id" = $3')!;
    assert.equal(batchedUpdate(seq, 1, new Map()), 'UPDATE "posts" SET "title" = "v"."v1", "updatedAt" = "v"."v2" FROM (VALUES ($1, $2, $3)) AS "v"("v1", "v2", "key") WHERE "id" = "v"."key"');
    // TypeORM's update by id is `IN ($n)`.
    assert.equal(singleRowUpdate('UPDATE "posts" SET "title" = $1, "updated_at" = CURRENT_TIMESTAMP WHERE "posts"."id" IN ($2)')?.key.param, 2);
    for (const sql of [
      'UPDATE t SET a = $1 WHERE id = $2 AND b = $3',
      'UPDATE t SET a = $1 || $2 WHERE id = $3',
      'UPDATE t SET a = $1 WHERE id = $1',
      'UPDATE t SET a = 1 WHERE id = $1',
      'UPDATE t SET a = $1 WHERE id IN ($2, $3)',
    ]) assert.equal(singleRowUpdate(sql), undefined, sql);
  });

  it('repeats the row of a single-row INSERT with its parameters renumbered, constants and DEFAULT kept', () => {
    const insert = singleRowInsert(`INSERT INTO "Comment" ("body", "postId", "authorId", "flag") VALUES ('flagged', $2, $1, DEFAULT) RETURNING "id"`)!;
    assert.equal(insert.table, '"Comment"');
    assert.deepEqual(insert.columns, ['"body"', '"postId"', '"authorId"', '"flag"']);
    assert.deepEqual(insert.values.map((v) => v.param), [0, 2, 1, 0]);
    assert.equal(batchedInsert(insert, 3), `INSERT INTO "Comment" ("body", "postId", "authorId", "flag") VALUES ('flagged', $1, $2, DEFAULT), ('flagged', $3, $4, DEFAULT), ('flagged', $5, $6, DEFAULT) RETURNING "id"`);
    // Not one row of values, or a parameter used twice or outside the row: no batch of it.
    for (const sql of [
      'INSERT INTO t (a) VALUES ($1), ($2)',
      'INSERT INTO t (a, b) VALUES ($1, $1)',
      'INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET b = $2',
      'INSERT INTO t (a) SELECT a FROM u WHERE id = $1',
      'INSERT INTO t VALUES ($1)',
      'INSERT INTO t (a, b) VALUES ($1',
    ]) assert.equal(singleRowInsert(sql), undefined, sql);
  });

  describe('on the embedded database', function () {
    this.timeout(120_000);
    const workspace = new SchemaWorkspace('compare');
    let pglite: PgliteConnector;
    const count = async (table: string): Promise<number> => Number((await pglite.run(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

    before(async () => {
      workspace.create({
        'prisma/schema.prisma': `model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Tag {
  id   Int    @id @default(autoincrement())
  code String @unique @db.VarChar(4)
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  published Boolean  @default(false)
  author    User     @relation(fields: [authorId], references: [id])
  authorId  Int
}
`,
      });
      pglite = (await workspace.open(200)).connector;
    });
    after(() => workspace.dispose());

    it('a write is refused until the caller allows it, before anything runs', async () => {
      await assert.rejects(compareBatch(pglite, 'UPDATE "Post" SET "published" = true WHERE "Post"."id" = $1'), (e: Error) => e instanceof ReadOnlyError && /runs the updates, each in a transaction that is rolled back/.test(e.message));
      await assert.rejects(compareBatch(pglite, `INSERT INTO "Post" ("title", "authorId") VALUES ('t', $1)`), ReadOnlyError);
    });

    it('N updates or deletes by key against one, rolled back: the table is as it was', async () => {
      const published = async (): Promise<number> => count('"Post" WHERE published');
      const before = await published();
      const u = await compareBatch(pglite, 'UPDATE "Post" SET "published" = NOT "published" WHERE "Post"."id" = $1 RETURNING "id"', { sizes: [5, 20], rounds: 1, allowWrites: true });
      assert.equal(u.write, 'update');
      assert.equal(u.batchedSql, 'UPDATE "Post" SET "published" = NOT "published" WHERE "Post"."id" = ANY($1) RETURNING "id"');
      assert.deepEqual(u.sizes.map((s) => s.n), [5, 20]);
      for (const s of u.sizes) assert.ok(s.perItemMs > 0 && s.batchedMs > 0);
      assert.ok(u.notes.some((n) => /rolled back: nothing was kept/.test(n)));
      assert.equal(await published(), before);
      const d = await compareBatch(pglite, 'DELETE FROM "Post" WHERE "Post"."id" = $1', { sizes: [5], rounds: 1, allowWrites: true });
      assert.equal(d.write, 'delete');
      assert.equal(await count('"Post"'), 200);
      // Values of each item's own: N updates against one UPDATE … FROM (VALUES …), rows set to what they hold.
      const titles = async (): Promise<string> => (await pglite.run('SELECT string_agg(title, \',\' ORDER BY id) AS t FROM "Post"')).rows[0].t as string;
      const titlesBefore = await titles();
      const own = await compareBatch(pglite, 'UPDATE "Post" SET "title" = $1, "published" = $2 WHERE "Post"."id" = $3 RETURNING "id"', { sizes: [5, 20], rounds: 1, allowWrites: true });
      assert.equal(own.write, 'update');
      assert.match(own.batchedSql, /^UPDATE "Post" SET "title" = "v"\."v1", "published" = "v"\."v2" FROM \(VALUES \(\$1::text, \$2::boolean, \$3::integer\), …\) AS "v"\("v1", "v2", "key"\) WHERE "Post"\."id" = "v"\."key" RETURNING "id"$/);
      assert.deepEqual(own.sizes.map((s) => s.n), [5, 20]);
      assert.ok(own.notes[0].startsWith('Keys and values from rows of "Post"'), own.notes.join('\n'));
      assert.equal(await titles(), titlesBefore);
      await assert.rejects(compareBatch(pglite, 'UPDATE "Post" SET "title" = $1 WHERE "Post"."id" = $2 AND "Post"."published" = $3', { allowWrites: true }), /needs an UPDATE by one key/);
    });

    it('N single-row inserts against one INSERT of N rows: values of existing rows (foreign keys that exist), unique columns made new, nothing kept', async () => {
      const users0 = await count('"User"');
      assert.ok(users0 >= 20);
      const posts = await compareBatch(pglite, `INSERT INTO "Post" ("title", "authorId") VALUES ($1, $2) RETURNING "id", "title"`, { sizes: [5, 20], rounds: 2, allowWrites: true });
      assert.equal(posts.write, 'insert');
      assert.equal(posts.batchedSql, 'INSERT INTO "Post" ("title", "authorId") VALUES ($1, $2), ($3, $4), … RETURNING "id", "title"');
      assert.deepEqual(posts.sizes.map((s) => s.n), [5, 20]);
      assert.ok(posts.notes.some((n) => n === 'Values from rows of "Post": $1 = title, $2 = authorId.'), posts.notes.join('\n'));
      // A unique text column gets a suffix, a unique integer the next numbers: no row collides.
      const users = await compareBatch(pglite, `INSERT INTO "User" ("id", "email") VALUES ($1, $2)`, { sizes: [5, 20], rounds: 1, allowWrites: true });
      assert.deepEqual(users.sizes.map((s) => s.n), [5, 20]);
      assert.ok(users.notes.some((n) => /^id: values no row has \(it is in the unique index User_pkey\)/.test(n)), users.notes.join('\n'));
      assert.ok(users.notes.some((n) => /^email: values no row has \(it is in the unique index User_email_key\)/.test(n)), users.notes.join('\n'));
      // DEFAULT (the key's sequence) and NULL never collide: only email needs new values.
      const sequenced = await compareBatch(pglite, `INSERT INTO "User" ("id","email") VALUES (DEFAULT,$1) RETURNING "id","email"`, { sizes: [5], rounds: 1, allowWrites: true });
      assert.deepEqual(sequenced.sizes.map((s) => s.n), [5]);
      assert.equal(sequenced.batchedSql, 'INSERT INTO "User" ("id","email") VALUES (DEFAULT, $1), (DEFAULT, $2), … RETURNING "id","email"');
      // A varchar(4) is too short for a suffix: refused, saying why; a constant in a unique column too.
      await assert.rejects(compareBatch(pglite, `INSERT INTO "Tag" ("code") VALUES ($1)`, { sizes: [5], rounds: 1, allowWrites: true }), /unique index Tag_code_key \(code\).*code is character varying\(4\)/);
      await assert.rejects(compareBatch(pglite, `INSERT INTO "User" ("email") VALUES ('a@b.c')`, { sizes: [5], rounds: 1, allowWrites: true }), /same values into the unique index User_email_key/);
      // Not a plain row of parameters: no batch of it.
      await assert.rejects(compareBatch(pglite, `INSERT INTO "Post" ("title", "authorId") VALUES ('t' || $1, $2)`, { allowWrites: true }), /needs an INSERT of one row of values/);
      assert.equal(await count('"Post"'), 200);
      assert.equal(await count('"User"'), users0);
    });

    it('more items than rows to take values from: the larger N are skipped with a note', async () => {
      const r = await compareBatch(pglite, `INSERT INTO "Post" ("title", "authorId", "published") VALUES ($1, $2, true)`, { sizes: [10, 1000], rounds: 1, allowWrites: true });
      assert.deepEqual(r.sizes.map((s) => s.n), [10]);
      assert.ok(r.notes.some((n) => /Only 200 rows in "Post" to take values from: N = 1,000 was not measured/.test(n)), r.notes.join('\n'));
    });
  });
});

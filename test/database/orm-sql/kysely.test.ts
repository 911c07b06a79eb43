/** Kysely chains → SQL: selects and writes, the names as written, wheres ANDed. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

async function sql(code: string): Promise<{ sql: string; notes: string[]; description: string }> {
  const file = `import { Kysely, PostgresDialect } from 'kysely';
const db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });
const PAGE = 20;
export async function handler(req: any, id: number, ids: number[]) {
  return ${code};
}
`;
  return translateIn({ '/ws/src/routes/posts.ts': file }, '/ws/src/routes/posts.ts', code);
}

describe('orm-sql: Kysely', () => {
  const cases: Array<[string, string, string]> = [
    ['selectAll, where, orderBy, limit/offset', "db.selectFrom('posts').selectAll().where('author_id', '=', 3).where('published', '=', true).orderBy('created_at', 'desc').limit(PAGE).offset(40).execute()", 'SELECT * FROM "posts" WHERE "author_id" = 3 AND "published" = true ORDER BY "created_at" DESC LIMIT 20 OFFSET 40'],
    ['select list, in, is null, an alias', "db.selectFrom('posts as p').select(['p.id', 'p.title as t']).where('p.id', 'in', [1, 2]).where('p.deleted_at', 'is', null).execute()", 'SELECT "p"."id", "p"."title" AS "t" FROM "posts" AS "p" WHERE "p"."id" IN (1, 2) AND "p"."deleted_at" IS NULL'],
    ['innerJoin, selectAll of one table, orderBy "col desc"', "db.selectFrom('posts').innerJoin('users', 'users.id', 'posts.author_id').selectAll('posts').where('users.email', 'like', '%@x.org').orderBy('posts.id desc').execute()", 'SELECT "posts".* FROM "posts" INNER JOIN "users" ON "users"."id" = "posts"."author_id" WHERE "users"."email" LIKE \'%@x.org\' ORDER BY "posts"."id" DESC'],
    ['whereRef compares two columns; distinct; forUpdate', "db.selectFrom('post').innerJoin('actor', 'actor.did', 'post.creator').select(['post.uri']).distinct().whereRef('post.creator', '=', 'actor.did').where('actor.handle', '=', 'h').forUpdate().execute()", 'SELECT DISTINCT "post"."uri" FROM "post" INNER JOIN "actor" ON "actor"."did" = "post"."creator" WHERE "post"."creator" = "actor"."did" AND "actor"."handle" = \'h\' FOR UPDATE'],
    ['updateTable: set (object or column/value), where, returning', "db.updateTable('posts').set({ title: 'x', views: id }).set('published', true).where('id', '=', id).returning(['id', 'title']).executeTakeFirst()", 'UPDATE "posts" SET "title" = \'x\', "views" = $1, "published" = true WHERE "id" = $2 RETURNING "id", "title"'],
    ['deleteFrom with where', "db.deleteFrom('posts').where('author_id', 'in', ids).where('published', '=', false).execute()", 'DELETE FROM "posts" WHERE "author_id" = ANY($1) AND "published" = false'],
    ['insertInto: one row, rows, returningAll', "db.insertInto('tags').values([{ name: 'a', post_id: id }, { name: 'b', post_id: id }]).returningAll().execute()", 'INSERT INTO "tags" ("name", "post_id") VALUES (\'a\', $1), (\'b\', $2) RETURNING *'],
    ['onConflict: doNothing on a column', "db.insertInto('likes').values({ uri: 'u', subject: id }).onConflict((oc) => oc.column('uri').doNothing()).execute()", 'INSERT INTO "likes" ("uri", "subject") VALUES (\'u\', $1) ON CONFLICT ("uri") DO NOTHING'],
    ['onConflict: doUpdateSet from the excluded row', "db.insertInto('actor').values({ did: 'd', handle: 'h' }).onConflict((oc) => oc.columns(['did']).doUpdateSet({ handle: (eb) => eb.ref('excluded.handle'), indexed: true })).execute()", 'INSERT INTO "actor" ("did", "handle") VALUES (\'d\', \'h\') ON CONFLICT ("did") DO UPDATE SET "handle" = "excluded"."handle", "indexed" = true'],
    ['onConflict: doNothing on any conflict', "db.insertInto('likes').values({ uri: 'u' }).onConflict((oc) => oc.doNothing()).execute()", 'INSERT INTO "likes" ("uri") VALUES (\'u\') ON CONFLICT DO NOTHING'],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('executeTakeFirst sends no LIMIT, and says so; run-time values are $n', async () => {
    const t = await sql("db.selectFrom('posts').selectAll().where('id', '=', id).where('author_id', 'in', ids).executeTakeFirst()");
    assert.equal(t.sql, 'SELECT * FROM "posts" WHERE "id" = $1 AND "author_id" = ANY($2)');
    assert.match(t.notes[0], /^\$1 = `id`/);
    assert.ok(t.notes.some((n) => /^executeTakeFirst\(\) sends no LIMIT/.test(n)));
    assert.equal(t.description, 'db.selectFrom → SQL');
  });

  it("sql fragments selected with an alias: written out, a constant of the file, a constant imported from another module (bsky's countAll)", async () => {
    const util = "import { sql } from 'kysely';\nexport const countAll = sql<number>`count(*)`;\nexport const notConst = sql`now()`;\n";
    const route = `import { Kysely, PostgresDialect, sql } from 'kysely';
import { countAll } from '../db/util';
const db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });
const newest = sql<string>\`max(created_at)\`;
export async function stats(did: string) {
  const a = await db.selectFrom('follow').where('follow.creator', '=', did).select(countAll.as('count')).executeTakeFirst();
  const b = await db.selectFrom('post').select(['creator', newest.as('latest'), sql<number>\`count(distinct cid)\`.as('n')]).where('creator', '=', did).execute();
  return [a, b];
}
`;
    const files = { '/ws/src/db/util.ts': util, '/ws/src/routes/stats.ts': route };
    assert.equal((await translateIn(files, '/ws/src/routes/stats.ts', "db.selectFrom('follow')")).sql, 'SELECT count(*) AS "count" FROM "follow" WHERE "follow"."creator" = $1');
    assert.equal((await translateIn(files, '/ws/src/routes/stats.ts', "db.selectFrom('post')")).sql, 'SELECT "creator", max(created_at) AS "latest", count(distinct cid) AS "n" FROM "post" WHERE "creator" = $1');
    // A template with substitutions is not a constant fragment.
    await assert.rejects(sql("db.selectFrom('posts').select(sql`count(${id})`.as('n')).execute()"), /a selection known only at run time/);
  });

  const unsupported: Array<[string, RegExp]> = [
    ["db.selectFrom('posts').selectAll().where((eb) => eb('id', '=', 1)).execute()", /expression-builder callbacks are not/],
    ["db.selectFrom('posts').selectAll().where('id', 'in', []).execute()", /an empty IN list/],
    ["db.selectFrom('posts').selectAll().groupBy('author_id').execute()", /`\.groupBy\(\)` is not translated/],
    ["db.insertInto('tags').values(req.body).execute()", /known only at run time/],
    ["db.selectFrom('post_embed_image').select('post_embed_image.postUri').whereRef('post_embed_image.postUri', '=', 'feed_item.postUri').execute()", /`feed_item\.postUri` is a column of the enclosing query/],
    ["db.selectFrom('list_mute').whereRef('list_mute.listUri', '=', ref('list.uri')).selectAll()", /`list\.uri` is a column of the enclosing query/],
    ["db.updateTable('posts').set((eb) => ({ views: eb('views', '+', 1) })).execute()", /callback is not translated/],
    ["db.insertInto('tags').values([{ name: 'a' }, { name: 'b', post_id: 1 }]).execute()", /rows with different columns/],
  ];
  for (const [code, message] of unsupported) {
    it(`refuses, naming why: ${code}`, async () => {
      await assert.rejects(sql(code), (e: Error) => {
        assert.equal(e.name, 'UntranslatableCall');
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('mangled calls translate or are refused with the reason, never another error', async () => {
    for (const code of [
      "db.insertInto('likes').values({ uri: 'u', subject: id }).onConflict((oc) => oc.column('uri').doUpdateSet({ n: (eb) => eb.ref('excluded.n') })).returning(['id']).execute()",
      "db.updateTable('post').set({ a: 1 }).where('id', '=', id).execute()",
      "db.selectFrom('post').innerJoin('actor', 'actor.did', 'post.creator').select(['post.uri']).whereRef('post.creator', '=', 'actor.did').forUpdate().execute()",
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});

/** Knex builder chains → SQL: the names as written, conditions in chain order. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

async function sql(code: string): Promise<{ sql: string; notes: string[]; description: string }> {
  const file = `import knex from 'knex';
const db = knex({ client: 'pg' });
const PAGE = 20;
export async function handler(req: any, id: number, ids: number[]) {
  return ${code};
}
`;
  return translateIn({ '/ws/src/routes/posts.ts': file }, '/ws/src/routes/posts.ts', code);
}

describe('orm-sql: Knex', () => {
  const cases: Array<[string, string, string]> = [
    ['where object, orderBy, limit/offset, select', "db('posts').where({ author_id: 3, published: true }).orderBy('created_at', 'desc').limit(PAGE).offset(40).select('id', 'title')", 'SELECT "id", "title" FROM "posts" WHERE "author_id" = 3 AND "published" = true ORDER BY "created_at" DESC LIMIT 20 OFFSET 40'],
    ['where(column, value) with null is IS NULL; first() is LIMIT 1', "db('posts').where('deleted_at', null).where('id', '>', 10).first('id')", 'SELECT "id" FROM "posts" WHERE "deleted_at" IS NULL AND "id" > 10 LIMIT 1'],
    ['orWhere keeps Knex’s unbracketed order; whereIn, whereNotNull', "db('posts').where('a', 1).orWhere('b', 2).whereIn('id', [1, 2]).whereNotNull('title')", 'SELECT * FROM "posts" WHERE "a" = 1 OR "b" = 2 AND "id" IN (1, 2) AND "title" IS NOT NULL'],
    ['knex.select().from(), an alias and a qualified column', "db.select('p.id').from('posts as p').where('p.author_id', 5)", 'SELECT "p"."id" FROM "posts" AS "p" WHERE "p"."author_id" = 5'],
    ['join, count', "db('posts').join('users', 'users.id', 'posts.author_id').where('users.active', true).count('posts.id as n')", 'SELECT count("posts"."id") AS "n" FROM "posts" INNER JOIN "users" ON "users"."id" = "posts"."author_id" WHERE "users"."active" = true'],
    ['an orWhere object is one group; whereNot negates each key', "db('posts').where('id', 1).orWhere({ a: 1, b: 2 }).whereNot({ c: 3, d: 4 })", 'SELECT * FROM "posts" WHERE "id" = 1 OR ("a" = 1 AND "b" = 2) AND NOT ("c" = 3) AND NOT ("d" = 4)'],
    ['update: an object (values before conditions), returning', "db('posts').where('author_id', id).update({ title: 'x', views: id }, ['id'])", 'UPDATE "posts" SET "title" = \'x\', "views" = $1 WHERE "author_id" = $2 RETURNING "id"'],
    ['increment; del', "db('posts').where('id', id).increment('views', 2)", 'UPDATE "posts" SET "views" = "views" + 2 WHERE "id" = $1'],
    ['del with whereIn', "db('sessions').whereIn('user_id', ids).del()", 'DELETE FROM "sessions" WHERE "user_id" = ANY($1)'],
    ['insert rows, onConflict().merge(), returning', "db('tags').insert([{ name: 'a', n: 1 }, { name: 'b', n: 2 }]).onConflict('name').merge().returning('id')", 'INSERT INTO "tags" ("name", "n") VALUES (\'a\', 1), (\'b\', 2) ON CONFLICT ("name") DO UPDATE SET "name" = excluded."name", "n" = excluded."n" RETURNING "id"'],
    ['insert, onConflict().ignore()', "db('likes').insert({ post_id: id, user_id: 3 }).onConflict(['post_id', 'user_id']).ignore()", 'INSERT INTO "likes" ("post_id", "user_id") VALUES ($1, 3) ON CONFLICT ("post_id", "user_id") DO NOTHING'],
    ['an empty whereIn matches nothing; whereBetween, orderBy list', "db('posts').whereIn('id', []).whereBetween('id', [1, 9]).orderBy([{ column: 'a', order: 'desc' }, 'b'])", 'SELECT * FROM "posts" WHERE 1 = 0 AND "id" BETWEEN 1 AND 9 ORDER BY "a" DESC, "b" ASC'],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('run-time values become $n in text order, a run-time list one array parameter', async () => {
    const t = await sql("db('posts').where('author_id', id).whereIn('id', ids).orderBy('id').offset(req.query.offset).limit(PAGE)");
    assert.equal(t.sql, 'SELECT * FROM "posts" WHERE "author_id" = $1 AND "id" = ANY($2) ORDER BY "id" ASC LIMIT 20 OFFSET $3');
    assert.match(t.notes[0], /^\$1 = `id`/);
    assert.match(t.notes[2], /^\$3 = `req\.query\.offset`/);
    assert.ok(t.notes.some((n) => /^\$2 is the whole list/.test(n)));
  });

  const unsupported: Array<[string, RegExp]> = [
    ["db('posts').where((qb) => qb.where('a', 1)).select()", /with a callback \(grouped conditions\) is not translated/],
    ["db('posts').whereRaw('a = ?', [1]).select('id')", /`\.whereRaw\(\)` is not translated/],
    ["db('posts').where('id', id).update({ title: db.raw('upper(title)') })", /\(raw SQL\) is not translated/],
    ["db('posts').insert(req.body)", /known only at run time/],
    ["db('posts').join('users', 'users.id', 'posts.author_id').where('users.id', 1).del()", /joins, ordering, limits or selections in a delete/],
    ["db('posts').orderBy(req.query.sort).select('id')", /an ordering column known only at run time is not translated/],
    ["db('posts').where('id', '~', 1).select()", /the operator `~` is not translated/],
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
      "db('tags').insert([{ name: 'a', n: 1 }]).onConflict('name').merge(['name']).returning('id')",
      "db('posts').where('id', id).update({ title: 'x' }, ['id'])",
      "db('posts').where('id', id).increment('views', 2)",
      "db('posts').join('users', 'users.id', 'posts.author_id').where({ 'users.active': true }).whereIn('posts.id', [1, 2]).orWhereNull('posts.deleted_at').orderBy([{ column: 'a', order: 'desc' }, 'b']).limit(PAGE).offset(40).select('posts.id')",
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});

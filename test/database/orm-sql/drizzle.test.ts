/** Drizzle select builders, relational queries and writes → SQL, names from the pgTable definitions. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const SCHEMA = `
import { relations } from 'drizzle-orm';
import { boolean, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull(),
});

export const posts = pgTable('blog_posts', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  published: boolean('published').default(false),
  authorId: integer('author_id').notNull().references(() => users.id),
  createdAt: timestamp('created_at').defaultNow(),
  views: integer(),
});

export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));
export const postsRelations = relations(posts, ({ one }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
}));
`;

const POSTS = '"blog_posts"."id", "blog_posts"."title", "blog_posts"."published", "blog_posts"."author_id", "blog_posts"."created_at", "blog_posts"."views"';

async function sql(code: string): Promise<{ sql: string; notes: string[]; description: string }> {
  const file = `import { and, asc, desc, eq, gt, ilike, inArray, isNull, or, between } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { posts, users } from '../db/schema';
import * as schema from '../db/schema';
const db = drizzle(process.env.DATABASE_URL!, { schema });
const PAGE = 20;
export async function handler(req: any, id: number, ids: number[]) {
  return ${code};
}
`;
  return translateIn({ '/ws/src/db/schema.ts': SCHEMA, '/ws/src/routes/posts.ts': file }, '/ws/src/routes/posts.ts', code);
}

describe('orm-sql: Drizzle', () => {
  const cases: Array<[string, string, string]> = [
    ['select().from(): every column, pgTable names', 'db.select().from(posts).where(eq(posts.published, true))', `SELECT ${POSTS} FROM "blog_posts" WHERE "blog_posts"."published" = true`],
    ['where with and/or, orderBy desc, limit/offset', "db.select().from(posts).where(and(eq(posts.authorId, 3), or(ilike(posts.title, '%x%'), gt(posts.views, 10)))).orderBy(desc(posts.createdAt), posts.id).limit(PAGE).offset(40)", `SELECT ${POSTS} FROM "blog_posts" WHERE "blog_posts"."author_id" = 3 AND ("blog_posts"."title" ILIKE '%x%' OR "blog_posts"."views" > 10) ORDER BY "blog_posts"."created_at" DESC, "blog_posts"."id" LIMIT 20 OFFSET 40`],
    ['selected fields, inArray, isNull, between', 'db.select({ id: posts.id, title: posts.title }).from(posts).where(and(inArray(posts.id, [1, 2]), isNull(posts.createdAt), between(posts.views, 1, 5)))', 'SELECT "blog_posts"."id", "blog_posts"."title" FROM "blog_posts" WHERE "blog_posts"."id" IN (1, 2) AND "blog_posts"."created_at" IS NULL AND ("blog_posts"."views" BETWEEN 1 AND 5)'],
    ['update: set by property, where, returning', "db.update(posts).set({ title: 'x', views: id }).where(eq(posts.authorId, id)).returning({ id: posts.id })", 'UPDATE "blog_posts" SET "title" = \'x\', "views" = $1 WHERE "blog_posts"."author_id" = $2 RETURNING "blog_posts"."id"'],
    ['delete with where', 'db.delete(posts).where(inArray(posts.id, ids))', 'DELETE FROM "blog_posts" WHERE "blog_posts"."id" = ANY($1)'],
    ['insert rows, onConflictDoUpdate, returning()', "db.insert(users).values([{ id: 1, email: 'a' }, { id: 2, email: 'b' }]).onConflictDoUpdate({ target: users.id, set: { email: 'c' } }).returning()", 'INSERT INTO "users" ("id", "email") VALUES (1, \'a\'), (2, \'b\') ON CONFLICT ("id") DO UPDATE SET "email" = \'c\' RETURNING "users"."id", "users"."email"'],
    ['insert, onConflictDoNothing', "db.insert(users).values({ email: 'a' }).onConflictDoNothing()", 'INSERT INTO "users" ("email") VALUES (\'a\') ON CONFLICT DO NOTHING'],
    ['innerJoin selects the columns of both tables', "db.select().from(posts).innerJoin(users, eq(posts.authorId, users.id)).where(eq(users.email, 'a@b.c'))", `SELECT ${POSTS}, "users"."id", "users"."email" FROM "blog_posts" INNER JOIN "users" ON "blog_posts"."author_id" = "users"."id" WHERE "users"."email" = 'a@b.c'`],
    ['db.query findMany: where, orderBy, limit, offset', 'db.query.posts.findMany({ where: eq(posts.authorId, 7), orderBy: [desc(posts.createdAt)], limit: 10, offset: 20 })', `SELECT ${POSTS} FROM "blog_posts" WHERE "blog_posts"."author_id" = 7 ORDER BY "blog_posts"."created_at" DESC LIMIT 10 OFFSET 20`],
    ['db.query findFirst with callbacks and columns', "db.query.posts.findFirst({ columns: { id: true, title: true }, where: (p, { eq }) => eq(p.title, 'x'), orderBy: (p, { asc }) => [asc(p.id)] })", 'SELECT "blog_posts"."id", "blog_posts"."title" FROM "blog_posts" WHERE "blog_posts"."title" = \'x\' ORDER BY "blog_posts"."id" ASC LIMIT 1'],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('drizzle.config\'s casing names the columns declared without a name; nothing to note then', async () => {
    const schema = `import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';\nexport const posts = pgTable('posts', {\n  id: serial().primaryKey(),\n  authorId: integer().notNull(),\n  address2: text(),\n  apiURL: text('api_url'),\n});\n`;
    const code = 'db.select().from(posts).where(eq(posts.authorId, 3)).orderBy(posts.address2)';
    const route = `import { eq } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { posts } from '../db/schema';\nconst db = drizzle(process.env.DATABASE_URL!, { casing: 'snake_case' });\nexport const list = () => ${code};\n`;
    const files = { '/ws/src/db/schema.ts': schema, '/ws/src/routes/posts.ts': route };
    const config = "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/db/schema.ts', casing: 'snake_case' });\n";
    const snake = await translateIn({ ...files, '/ws/drizzle.config.ts': config }, '/ws/src/routes/posts.ts', code);
    assert.equal(snake.sql, 'SELECT "posts"."id", "posts"."author_id", "posts"."address2", "posts"."api_url" FROM "posts" WHERE "posts"."author_id" = 3 ORDER BY "posts"."address2"');
    assert.deepEqual(snake.notes.filter((n) => /casing/.test(n)), []);
    const plain = await translateIn(files, '/ws/src/routes/posts.ts', code);
    assert.match(plain.sql, /"posts"\."authorId" = 3/);
    assert.ok(plain.notes.some((n) => /posts\.authorId, posts\.address2: no column name in pgTable and no casing in drizzle\.config/.test(n)), plain.notes.join('\n'));
  });

  it('run-time values become $n in text order; a column without a name in pgTable is noted', async () => {
    const t = await sql('db.select().from(posts).where(and(eq(posts.authorId, id), inArray(posts.id, ids))).limit(PAGE).offset(req.query.offset)');
    assert.equal(t.sql, `SELECT ${POSTS} FROM "blog_posts" WHERE "blog_posts"."author_id" = $1 AND "blog_posts"."id" = ANY($2) LIMIT 20 OFFSET $3`);
    assert.match(t.notes[0], /^\$1 = `id`/);
    assert.match(t.notes[2], /^\$3 = `req\.query\.offset`/);
    assert.ok(t.notes.some((n) => /^posts\.views: no column name in pgTable/.test(n)));
  });

  it('with: a LATERAL subquery per relation, one and many', async () => {
    const one = await sql('db.query.posts.findMany({ with: { author: true }, limit: 5 })');
    assert.equal(one.sql, `SELECT ${POSTS}, "posts_author"."data" AS "author" FROM "blog_posts" LEFT JOIN LATERAL (SELECT json_build_array("posts_author"."id", "posts_author"."email") AS "data" FROM (SELECT * FROM "users" "posts_author" WHERE "posts_author"."id" = "blog_posts"."author_id" LIMIT 1) "posts_author") "posts_author" ON true LIMIT 5`);
    const many = await sql('db.query.users.findMany({ with: { posts: true } })');
    assert.match(many.sql, /LEFT JOIN LATERAL \(SELECT coalesce\(json_agg\(json_build_array\("users_posts"\."id", .*\)\), '\[\]'::json\) AS "data" FROM "blog_posts" "users_posts" WHERE "users_posts"\."author_id" = "users"\."id"\) "users_posts" ON true$/);
    assert.equal(many.description, 'db.query.users.findMany → SQL');
  });

  const unsupported: Array<[string, RegExp]> = [
    ['db.select().from(posts).where(sql`${posts.id} = 1`)', /the condition `sql`.*is not translated/],
    ['db.select().from(posts).groupBy(posts.authorId)', /`\.groupBy\(\)` is not translated/],
    ['db.update(posts).set({ views: sql`${posts.views} + 1` }).where(eq(posts.id, id))', /an sql template\) is not translated/],
    ['db.insert(posts).values(req.body)', /known only at run time/],
    ['db.query.posts.findMany({ with: { author: { columns: { id: true } } } })', /options inside `with\.author` are not translated/],
    ['db.query.posts.findMany({ extras: {} })', /the `extras` option is not translated/],
    ['db.select().from(posts).where(eq(posts.nope, 1))', /`nope` is not a column of posts/],
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
      "db.insert(users).values({ email: 'a' }).onConflictDoUpdate({ target: users.id, set: { email: 'c' } }).returning()",
      "db.update(posts).set({ title: 'x' }).where(eq(posts.id, id))",
      'db.delete(posts).where(inArray(posts.id, [1, 2]))',
      'db.query.posts.findMany({ where: (p, { eq }) => eq(p.authorId, id), orderBy: (p, { desc }) => [desc(p.createdAt)], limit: 10, with: { author: true } })',
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});

/** Prisma Client calls → SQL: exact text per shape, with the schema's mapped names. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const SCHEMA = `
model User {
  id        Int       @id @default(autoincrement())
  email     String    @unique
  name      String?
  posts     Post[]
  createdAt DateTime  @default(now()) @map("created_at")
  @@map("users")
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  published Boolean  @default(false)
  author    User     @relation(fields: [authorId], references: [id])
  authorId  Int      @map("author_id")
  tags      Tag[]
  createdAt DateTime @default(now())
  @@index([createdAt, id])
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}

model Session {
  id        String   @id @default(uuid())
  token     String
  updatedAt DateTime @updatedAt
}
`;

const POST = '"Post"."id", "Post"."title", "Post"."published", "Post"."author_id", "Post"."createdAt"';
const USER = '"users"."id", "users"."email", "users"."name", "users"."created_at"';

async function sql(code: string, at = 'prisma.'): Promise<{ sql: string; notes: string[] }> {
  const file = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst PAGE = 20;\nexport async function handler(req: any, id: number) {\n  return ${code};\n}\n`;
  const t = await translateIn({ '/ws/prisma/schema.prisma': SCHEMA, '/ws/src/routes.ts': file }, '/ws/src/routes.ts', at);
  assert.match(t.description, /^prisma\.\w+\.\w+ → SQL$/);
  return t;
}

describe('orm-sql: Prisma', () => {
  const cases: Array<[string, string, string]> = [
    ['findMany with no arguments selects every scalar column', 'prisma.post.findMany()', `SELECT ${POST} FROM "Post"`],
    ['@@map and @map name the table and columns', 'prisma.user.findMany({ where: { createdAt: { gt: new Date(0) } } })', `SELECT ${USER} FROM "users" WHERE "users"."created_at" > $1`],
    ['equals, a mapped foreign key, null', "prisma.post.findMany({ where: { authorId: 3, title: { equals: 'a' }, published: true } })", `SELECT ${POST} FROM "Post" WHERE "Post"."author_id" = 3 AND "Post"."title" = 'a' AND "Post"."published" = true`],
    ['null is IS NULL', 'prisma.user.findMany({ where: { name: null } })', `SELECT ${USER} FROM "users" WHERE "users"."name" IS NULL`],
    ['in, lt, gte', 'prisma.post.findMany({ where: { id: { in: [1, 2, 3] }, authorId: { lt: 10, gte: 2 } } })', `SELECT ${POST} FROM "Post" WHERE "Post"."id" IN (1, 2, 3) AND "Post"."author_id" < 10 AND "Post"."author_id" >= 2`],
    ['contains, insensitive mode', "prisma.post.findMany({ where: { title: { contains: '50%', mode: 'insensitive' } } })", `SELECT ${POST} FROM "Post" WHERE "Post"."title" ILIKE '%50\\%%'`],
    ['AND / OR / NOT', "prisma.post.findMany({ where: { OR: [{ title: { startsWith: 'a' } }, { AND: [{ published: true }, { authorId: 1 }] }], NOT: { id: 5 } } })", `SELECT ${POST} FROM "Post" WHERE ("Post"."title" LIKE 'a%' OR ("Post"."published" = true AND "Post"."author_id" = 1)) AND NOT ("Post"."id" = 5)`],
    ['orderBy array, skip/take from a const', "prisma.post.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: 40, take: PAGE })", `SELECT ${POST} FROM "Post" ORDER BY "Post"."createdAt" DESC, "Post"."id" DESC LIMIT 20 OFFSET 40`],
    ['findUnique sends LIMIT 1', 'prisma.user.findUnique({ where: { email: "a@b.c" } })', `SELECT ${USER} FROM "users" WHERE "users"."email" = 'a@b.c' LIMIT 1`],
    ['findFirst with select', "prisma.post.findFirst({ where: { published: true }, select: { id: true, title: true }, orderBy: { id: 'asc' } })", 'SELECT "Post"."id", "Post"."title" FROM "Post" WHERE "Post"."published" = true ORDER BY "Post"."id" ASC LIMIT 1'],
    ['count wraps the filtered ids', 'prisma.post.count({ where: { published: false } })', 'SELECT COUNT(*) FROM (SELECT "Post"."id" FROM "Post" WHERE "Post"."published" = false) AS "sub"'],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('values that are not literals become $n, in order, with their source', async () => {
    const t = await sql('prisma.post.findMany({ where: { authorId: id, title: { contains: req.query.q } }, skip: (Number(req.query.page) - 1) * PAGE, take: PAGE })');
    assert.equal(t.sql, `SELECT ${POST} FROM "Post" WHERE "Post"."author_id" = $1 AND "Post"."title" LIKE $2 LIMIT 20 OFFSET $3`);
    assert.match(t.notes[0], /^\$1 = `id`/);
    assert.match(t.notes[1], /^\$2 = `req\.query\.q as a contains pattern`/);
    assert.match(t.notes[2], /^\$3 = `\(Number\(req\.query\.page\) - 1\) \* PAGE`/);
  });

  it('a cursor is a comparison with the cursor row, and a unique ordering keeps LIMIT', async () => {
    const t = await sql("prisma.post.findMany({ where: { published: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], cursor: { id: id }, skip: 1, take: PAGE })");
    const sub = (c: string): string => `(SELECT "Post"."${c}" FROM "Post" WHERE "Post"."id" = $1)`;
    assert.equal(
      t.sql,
      `SELECT ${POST} FROM "Post" WHERE "Post"."published" = true AND ("Post"."createdAt" < ${sub('createdAt')} OR ("Post"."createdAt" = ${sub('createdAt')} AND "Post"."id" <= ${sub('id')})) ORDER BY "Post"."createdAt" DESC, "Post"."id" DESC LIMIT 20 OFFSET 1`,
    );
  });

  it('a cursor over a non-unique ordering has no LIMIT (Prisma applies take in memory), and says so', async () => {
    const t = await sql("prisma.post.findMany({ orderBy: { createdAt: 'asc' }, cursor: { id: 7 }, take: 10 })");
    assert.equal(t.sql, `SELECT ${POST} FROM "Post" WHERE "Post"."createdAt" >= (SELECT "Post"."createdAt" FROM "Post" WHERE "Post"."id" = 7) ORDER BY "Post"."createdAt" ASC`);
    assert.ok(t.notes.some((n) => /no LIMIT/.test(n) && /prisma\/orm#4490/.test(n)));
  });

  it('a cursor without orderBy orders by the primary key', async () => {
    const t = await sql('prisma.post.findMany({ cursor: { id: 7 }, take: 10 })');
    assert.equal(t.sql, `SELECT ${POST} FROM "Post" WHERE "Post"."id" >= (SELECT "Post"."id" FROM "Post" WHERE "Post"."id" = 7) ORDER BY "Post"."id" ASC LIMIT 10`);
  });

  it('a conditional spread takes its options, with a note', async () => {
    const t = await sql("prisma.post.findMany({ ...(id ? { cursor: { id }, skip: 1 } : {}), orderBy: { id: 'desc' }, take: PAGE })");
    assert.equal(t.sql, `SELECT ${POST} FROM "Post" WHERE "Post"."id" <= (SELECT "Post"."id" FROM "Post" WHERE "Post"."id" = $1) ORDER BY "Post"."id" DESC LIMIT 20 OFFSET 1`);
    assert.ok(t.notes.includes('assumes `id` is truthy: the spread\'s options are included'));
  });

  it('include is a note with the query Prisma runs next; the main query keeps the keys', async () => {
    const t = await sql('prisma.post.findMany({ select: { title: true, author: true }, include: undefined })'.replace(', include: undefined', ''));
    assert.equal(t.sql, 'SELECT "Post"."title", "Post"."author_id" FROM "Post"');
    assert.deepEqual(t.notes, [`include author: Prisma runs one more query, SELECT ${USER} FROM "users" WHERE "users"."id" IN (…), with the author_id values of the rows above`]);
    const many = await sql('prisma.post.findMany({ include: { tags: true } })');
    assert.equal(many.sql, `SELECT ${POST} FROM "Post"`);
    assert.match(many.notes[0], /INNER JOIN "_PostToTag" ON "_PostToTag"\."B" = "Tag"\."id" WHERE "_PostToTag"\."A" IN \(…\)/);
    const back = await sql('prisma.user.findMany({ include: { posts: true } })');
    assert.match(back.notes[0], /FROM "Post" WHERE "Post"\."author_id" IN \(…\)/);
  });

  it('writes: create (a connect is the foreign key), update and delete return the row; the *Many forms filter; atomic number operations', async () => {
    const u = await sql("prisma.post.update({ where: { id }, data: { title: 'x', published: { set: true } } })");
    assert.equal(u.sql, `UPDATE "Post" SET "title" = 'x', "published" = true WHERE "Post"."id" = $1 RETURNING "id", "title", "published", "author_id", "createdAt"`);
    assert.ok(u.notes.some((n) => /P2025/.test(n)));
    assert.equal((await sql('prisma.user.updateMany({ where: { name: null }, data: { name: req.body.name } })')).sql, 'UPDATE "users" SET "name" = $1 WHERE "users"."name" IS NULL');
    assert.equal((await sql('prisma.post.updateMany({ where: { authorId: id }, data: { authorId: { increment: 1 } } })')).sql, 'UPDATE "Post" SET "author_id" = ("Post"."author_id" + 1) WHERE "Post"."author_id" = $1');
    assert.equal((await sql('prisma.post.deleteMany({ where: { published: false, createdAt: { lt: new Date(0) } } })')).sql, 'DELETE FROM "Post" WHERE "Post"."published" = false AND "Post"."createdAt" < $1');
    assert.equal(
      (await sql("prisma.post.create({ data: { title: 'x', author: { connect: { id } } } })")).sql,
      'INSERT INTO "Post" ("title", "author_id") VALUES (\'x\', $1) RETURNING "id", "title", "published", "author_id", "createdAt"',
    );
    const session = await sql("prisma.session.create({ data: { token: 't' } })");
    assert.equal(session.sql, 'INSERT INTO "Session" ("token", "id", "updatedAt") VALUES (\'t\', $1, $2) RETURNING "id", "token", "updatedAt"');
    assert.match(session.notes[0], /^\$1 = `Prisma's uuid\(\) for id`/);
    assert.equal((await sql("prisma.tag.updateManyAndReturn({ where: { name: { startsWith: 'x' } }, data: { name: 'y' }, select: { id: true } })")).sql, `UPDATE "Tag" SET "name" = 'y' WHERE "Tag"."name" LIKE 'x%' RETURNING "id"`);
    assert.equal((await sql("prisma.tag.delete({ where: { name: 'old' }, select: { id: true } })")).sql, `DELETE FROM "Tag" WHERE "Tag"."name" = 'old' RETURNING "id"`);
  });

  it('createMany and createManyAndReturn: the rows written out in one INSERT, DEFAULT where a row leaves a column out; skipDuplicates', async () => {
    assert.equal(
      (await sql("prisma.post.createMany({ data: [{ title: 'a', authorId: id }, { title: 'b', authorId: 2, published: true }] })")).sql,
      'INSERT INTO "Post" ("title", "author_id", "published") VALUES (\'a\', $1, DEFAULT), (\'b\', 2, true)',
    );
    assert.equal(
      (await sql("prisma.tag.createMany({ data: { name: req.body.name }, skipDuplicates: true })")).sql,
      'INSERT INTO "Tag" ("name") VALUES ($1) ON CONFLICT DO NOTHING',
    );
    const back = await sql("prisma.session.createManyAndReturn({ data: [{ token: 'a' }, { token: 'b' }], select: { id: true } })");
    assert.equal(back.sql, 'INSERT INTO "Session" ("token", "id", "updatedAt") VALUES (\'a\', $1, $2), (\'b\', $3, $4) RETURNING "id"');
    assert.match(back.notes[2], /^\$3 = `Prisma's uuid\(\) for id`/);
  });

  it('upsert: the database upsert Prisma sends (ON CONFLICT on the unique field of where, the update matched by it), with a note', async () => {
    const u = await sql("prisma.user.upsert({ where: { email: req.body.email }, create: { email: req.body.email, name: 'n' }, update: { name: 'n' } })");
    assert.equal(
      u.sql,
      `INSERT INTO "users" ("email", "name") VALUES ($1, 'n') ON CONFLICT ("email") DO UPDATE SET "name" = 'n' WHERE "users"."email" = $2 RETURNING "id", "email", "name", "created_at"`,
    );
    assert.ok(u.notes.some((n) => /a database upsert/.test(n)));
    assert.equal(
      (await sql("prisma.post.upsert({ where: { id }, create: { id, title: 't', authorId: 1 }, update: { title: { set: 't' }, authorId: { increment: 1 } }, select: { id: true } })")).sql,
      `INSERT INTO "Post" ("id", "title", "author_id") VALUES ($1, 't', 1) ON CONFLICT ("id") DO UPDATE SET "title" = 't', "author_id" = ("Post"."author_id" + 1) WHERE "Post"."id" = $2 RETURNING "id"`,
    );
  });

  const unsupported: Array<[string, RegExp]> = [
    ['prisma.post.createMany({ data: rows })', /the rows of createMany are known only at run time/],
    ['prisma.post.createMany({ data: [...rows] })', /a spread in the rows of createMany/],
    ['prisma.post.createMany({ data: [{ title: "a" }], skipDuplicates: req.query.skip })', /`skipDuplicates` known only at run time/],
    ['prisma.post.aggregate({ _count: true })', /`aggregate` is not translated/],
    ['prisma.user.upsert({ where: { email: "a" }, create: { email: "b" }, update: { name: "x" } })', /Prisma runs this upsert itself.*`create` does not set `email` to the value `where` looks for/],
    ['prisma.user.upsert({ where: { email: "a" }, create: { email: "a" }, update: {} })', /upsert itself.*`update` is empty/],
    ['prisma.user.upsert({ where: { email: "a" }, create: { email: "a" }, update: { name: "x" }, include: { posts: true } })', /upsert itself.*nested read/],
    ['prisma.post.upsert({ where: { id: 1 }, create: { id: 1, title: "a", tags: { create: [{ name: "x" }] } }, update: { title: "b" } })', /upsert itself.*`tags` is a nested write/],
    ['prisma.post.upsert({ where: { title: "a" }, create: { title: "a" }, update: { title: "b" } })', /upsert itself.*`title` is not a unique field/],
    ['prisma.post.create({ data: { title: "a", tags: { create: [{ name: "x" }] } } })', /only `connect` of a to-one relation is translated/],
    ['prisma.post.update({ where: { id: 1 }, data: { author: { connect: { id: 2 } } } })', /the relation `author` in data/],
    ['prisma.post.updateMany({ where: { id: 1 }, data: { title: { push: "a" } } })', /the `push` operation in data/],
    ['prisma.post.deleteMany({ where: { id: 1 }, take: 2 })', /the `take` option of deleteMany is not translated/],
    ['prisma.post.findMany({ where: { author: { name: "x" } } })', /the relation filter `author` is not translated/],
    ['prisma.post.findMany({ distinct: ["title"] })', /the `distinct` option is not translated/],
    ['prisma.post.findMany({ orderBy: { [req.query.sort]: "asc" } })', /computed key/],
    ['prisma.post.findMany({ take: -10 })', /negative `take`/],
    ['prisma.post.findMany(req.body)', /the arguments is not an object literal/],
    ['prisma.comment.findMany()', /no model `comment` in schema\.prisma/],
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
      "prisma.post.updateMany({ where: { authorId: id, title: { contains: 'x' } }, data: { published: { set: false }, authorId: { increment: 1 } } })",
      "prisma.post.create({ data: { title: 'x', author: { connect: { id } } } })",
      "prisma.post.createMany({ data: [{ title: 'a', authorId: id }, { title: 'b', authorId: 2 }], skipDuplicates: true })",
      "prisma.user.upsert({ where: { email: req.body.email }, create: { email: req.body.email, name: 'n' }, update: { name: { set: 'n' } } })",
      "prisma.post.findMany({ where: { authorId: 3 }, orderBy: { createdAt: 'desc' }, take: 20 })",
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});

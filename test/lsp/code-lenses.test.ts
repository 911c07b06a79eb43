/** `textDocument/codeLens`: Explain · Benchmark above the queries PerfLens can run, over stdio. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type TestClient } from './client';

const SQL = `CREATE TABLE items (id serial PRIMARY KEY, label text);
CREATE INDEX items_label ON items (label);

-- newest first
SELECT * FROM items ORDER BY id DESC LIMIT 20;

WITH recent AS (SELECT id FROM items) SELECT count(*) FROM recent;
UPDATE items SET label = 'x' WHERE id = $1;
SELECT id FROM items ORDER BY id LIMIT $1 OFFSET $2;
`;

const TS = `import { sql } from 'drizzle-orm';
import { db } from './db';

export async function recent() {
  return db.execute(sql\`SELECT id, title FROM posts ORDER BY created_at DESC LIMIT 10\`);
}
`;

describe('language server: code lenses', function () {
  this.timeout(30_000);
  let root: string;
  let client: TestClient;

  async function open(settings: Record<string, unknown>, name: string, languageId: string, text: string): Promise<any[]> {
    client = startServer(settings);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: {} } },
    });
    client.connection.sendNotification('initialized', {});
    const uri = pathToFileURL(path.join(root, name)).href;
    fs.writeFileSync(path.join(root, name), text);
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as any[];
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lens-'));
  });
  afterEach(async () => {
    await client?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('.sql: a pair above each query and write, none above DDL', async () => {
    const lenses = await open({}, 'queries.sql', 'sql', SQL);
    const lines = SQL.split('\n');
    const above = lenses.map((l) => `${l.command.title}@${lines[l.range.start.line].slice(0, 6)}`);
    assert.deepEqual(above, ['Explain@SELECT', 'Benchmark@SELECT', 'Explain@WITH r', 'Benchmark@WITH r', 'Explain@UPDATE', 'Benchmark@UPDATE', 'Explain@SELECT', 'Benchmark@SELECT', 'Compare offset vs keyset@SELECT']);
    const uri = pathToFileURL(path.join(root, 'queries.sql')).href;
    assert.deepEqual(lenses[0].command, { title: 'Explain', command: 'perflens.explain', arguments: [{ uri, position: lenses[0].range.start }] });
    assert.equal(lenses[1].command.command, 'perflens.benchmark');
    assert.equal(lenses[8].command.command, 'perflens.compareFix');
  });

  it('TS: above SQL in a tagged template, at the SQL', async () => {
    const lenses = await open({}, 'recent.ts', 'typescript', TS);
    assert.equal(lenses.length, 2);
    assert.deepEqual(lenses[0].range.start, { line: 4, character: 24 });
  });

  it('TS: "Compare 1+N vs batched" above an N+1 finding of an ORM PerfLens translates; none above one it does not', async () => {
    const code = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n\nexport async function list() {\n  const posts = await prisma.post.findMany();\n  for (const post of posts) {\n    await prisma.user.findUnique({ where: { id: post.authorId } });\n  }\n}\n`;
    const lenses = await open({}, 'list.ts', 'typescript', code);
    assert.deepEqual(lenses.map((l) => [l.command.title, l.range.start.line, l.command.command]), [
      ['Explain', 4, 'perflens.explain'],
      ['Benchmark', 4, 'perflens.benchmark'],
      ['Explain', 6, 'perflens.explain'],
      ['Benchmark', 6, 'perflens.benchmark'],
      ['Compare 1+N vs batched', 6, 'perflens.compareFix'],
    ]);
    await client.close();
    const mongoose = `import mongoose from 'mongoose';\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\n\nexport async function list(ids: string[]) {\n  for (const id of ids) {\n    await User.findById(id);\n  }\n}\n`;
    assert.deepEqual(await open({}, 'mongo.ts', 'typescript', mongoose), []);
  });

  it('"Compare every row vs first 100" above an unbounded read in a handler', async () => {
    const code = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst app = express();\n\napp.get('/posts', async (req, res) => {\n  res.json(await prisma.post.findMany({ where: { published: true } }));\n});\n`;
    const lenses = await open({}, 'app.ts', 'typescript', code);
    assert.deepEqual(lenses.map((l) => [l.command.title, l.range.start.line, l.command.command]), [
      ['Explain', 6, 'perflens.explain'],
      ['Benchmark', 6, 'perflens.benchmark'],
      ['Compare every row vs first 100', 6, 'perflens.compareFix'],
    ]);
  });

  it('above ORM updates and deletes too, not above creates', async () => {
    const code = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n\nexport async function tidy(id: number) {\n  await prisma.post.updateMany({ where: { authorId: id }, data: { published: false } });\n  await prisma.post.deleteMany({ where: { authorId: id } });\n  await prisma.post.create({ data: { title: 'x', authorId: id } });\n}\n`;
    const lenses = await open({}, 'tidy.ts', 'typescript', code);
    assert.deepEqual(lenses.map((l) => [l.command.title, l.range.start.line]), [
      ['Explain', 4],
      ['Benchmark', 4],
      ['Explain', 5],
      ['Benchmark', 5],
    ]);
  });

  it('TypeORM: above repository and query builder updates; increments; none above the writes no translator reads (save, the query builder update of MikroORM)', async () => {
    const code = `import { DataSource } from 'typeorm';\nimport { Post } from './post';\nconst dataSource = new DataSource({ type: 'postgres' });\nconst repo = dataSource.getRepository(Post);\n\nexport async function tidy(id: number) {\n  await repo.update({ authorId: id }, { published: false });\n  await repo.createQueryBuilder().update(Post).set({ published: false }).where('id = :id', { id }).execute();\n  await repo.increment({ id }, 'views', 1);\n  await repo.save({ id, title: 'x' });\n}\n`;
    const lenses = await open({}, 'tidy.ts', 'typescript', code);
    assert.deepEqual([...new Set(lenses.map((l) => l.range.start.line))], [6, 7, 8]);
    await client.close();
    const mikro = `import { EntityManager } from '@mikro-orm/postgresql';\nimport { Book } from './book';\n\nexport async function tidy(em: EntityManager, id: number) {\n  await em.createQueryBuilder(Book).update({ title: 'x' }).where({ id }).execute();\n  await em.nativeUpdate(Book, { id }, { title: 'x' });\n  await em.nativeDelete(Book, { id });\n  await em.nativeInsert(Book, { title: 'y' });\n}\n`;
    // MikroORM: its native update and delete (translated); not its query builder's update, nor an insert.
    assert.deepEqual([...new Set((await open({}, 'mikro.ts', 'typescript', mikro)).map((l) => l.range.start.line))], [5, 6]);
  });

  it('Python: above SQLAlchemy update()/delete() statements and Peewee updates and deletes, not above inserts', async () => {
    const sqla = 'from sqlalchemy import delete, insert, update\nfrom .models import User\n\n\ndef tidy(session, uid):\n    session.execute(update(User).where(User.id == uid).values(active=False))\n    session.execute(delete(User).where(User.id == uid))\n    session.execute(insert(User).values(name="x"))\n';
    assert.deepEqual([...new Set((await open({}, 'repo.py', 'python', sqla)).map((l) => l.range.start.line))], [5, 6]);
    await client.close();
    const peewee = 'from peewee import fn\nfrom .models import Tweet\n\n\ndef tidy(uid):\n    Tweet.update(message="x").where(Tweet.user == uid).execute()\n    Tweet.delete().where(Tweet.user == uid).execute()\n    Tweet.create(user=uid, message="y")\n    return Tweet.select().where(Tweet.user == uid)\n';
    assert.deepEqual([...new Set((await open({}, 'tweets.py', 'python', peewee)).map((l) => l.range.start.line))], [5, 6, 8]);
  });

  it('none when perflens.codeLens is false', async () => {
    assert.deepEqual(await open({ codeLens: false }, 'queries.sql', 'sql', SQL), []);
  });
});

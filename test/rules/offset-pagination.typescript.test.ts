import * as assert from 'node:assert/strict';
import { lintText, testEngine } from '../harness/engine';
import { fixtureTests, ruleTests } from '../harness/rule-tester';

const express = (body: string) => `import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const router = express.Router();

router.get('/posts', async (req, res) => {
  const page = Number(req.query.page ?? 1);
${body}
});
`;

ruleTests('offset-pagination', {
  valid: [
    {
      name: 'Prisma cursor + skip: 1',
      file: 'routes.ts',
      code: express(`  const posts = await prisma.post.findMany({ cursor: { id: Number(req.query.after) }, skip: 1, take: 20, orderBy: { id: 'asc' } });`),
      why: 'skip: 1 steps over the cursor row: keyset pagination already',
    },
    {
      name: 'Prisma constant skip',
      file: 'routes.ts',
      code: express(`  const posts = await prisma.post.findMany({ skip: 0, take: 20 });\n  const more = await prisma.post.findMany({ skip: 40, take: 20 });`),
      why: 'a constant offset does not grow with the page',
    },
    {
      name: "an offset from the object's own setting, set when it is made (Vendure's cache eviction keeps the newest N)",
      file: 'sql-cache-strategy.ts',
      code: `import { DataSource } from 'typeorm';\nexport class SqlCacheStrategy {\n  private cacheSize = 10000;\n  constructor(private ds: DataSource, private readonly keep: number, config?: { cacheSize?: number }) {\n    if (config?.cacheSize) this.cacheSize = config.cacheSize;\n  }\n  evict() {\n    return this.ds.getRepository(CacheItem).createQueryBuilder('item').select('item.id').orderBy('item.insertedAt', 'DESC').offset(Math.max(this.cacheSize - 1, 1)).getMany();\n  }\n  prune() {\n    return this.ds.getRepository(CacheItem).find({ order: { id: 'DESC' }, skip: this.keep * 2 });\n  }\n}\n`,
      why: 'the same offset on every call: a number of rows to keep, not a page',
    },
    {
      name: 'Prisma skip that is 0 or 1',
      file: 'routes.ts',
      code: express(`  const cursor = req.query.after;\n  const posts = await prisma.post.findMany({ skip: cursor ? 1 : 0, cursor: cursor ? { id: String(cursor) } : undefined });`),
      why: 'the usual optional-cursor idiom',
    },
    {
      name: 'keyset filter already present',
      file: 'routes.ts',
      code: express(`  const posts = await prisma.post.findMany({ where: { id: { gt: Number(req.query.after) } }, orderBy: { id: 'asc' }, skip: page, take: 20 });`),
      why: 'a where on the ordering key is keyset pagination',
    },
    {
      name: 'array and stream methods named skip/offset',
      file: 'list.ts',
      code: `export function page<T>(items: T[], offset: number) {\n  const rows = items.slice(offset, offset + 10);\n  return rx.skip(offset);\n}\nexport function f(s: { offset(n: number): void }, n: number) { s.offset(n); }\n`,
      why: 'no ORM or query builder here',
    },
    {
      name: 'unknown library with a findMany',
      file: 'store.ts',
      code: `import { store } from './store';\nexport function list(n: number) { return store.items.findAll({ offset: n }); }\n`,
      why: 'no evidence of an ORM: not reported',
    },
    {
      name: 'Knex with a keyset where',
      file: 'repo.ts',
      code: `import knex from 'knex';\nconst db = knex({});\nexport function list(after: number, n: number) {\n  return db('posts').where('id', '>', after).orderBy('id').offset(n).limit(20);\n}\n`,
      why: 'already filtered on the key',
    },
  ],
  invalid: [
    {
      name: 'Prisma skip from req.query',
      file: 'routes.ts',
      code: express(`  const posts = await prisma.post.findMany({\n    orderBy: { createdAt: 'desc' },\n    skip: (page - 1) * 20,\n    take: 20,\n  });\n  res.json(posts);`),
      findings: [{ line: 11, message: /`prisma\.post\.findMany` skips `\(page - 1\) \* 20` rows.*`@@index\(\[createdAt, id\]\)` on model Post in schema.prisma/ }],
      output: express(`  const posts = await prisma.post.findMany({\n    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],\n    ...(req.query.after != null ? { cursor: { id: Number(req.query.after) }, skip: 1 } : {}),\n    take: 20,\n  });\n  res.json(posts);`),
    },
    {
      name: 'Prisma in a service method: the cursor becomes a parameter',
      file: 'posts.service.ts',
      code: `import { Injectable } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n\n@Injectable()\nexport class PostsService {\n  constructor(private prisma: PrismaService) {}\n  list(offset: number) {\n    return this.prisma.post.findMany({ skip: offset, take: 10 });\n  }\n}\n`,
      findings: [{ line: 8 }],
      output: `import { Injectable } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n\n@Injectable()\nexport class PostsService {\n  constructor(private prisma: PrismaService) {}\n  list(offset: number, after?: number) {\n    return this.prisma.post.findMany({ orderBy: { id: 'asc' }, ...(after != null ? { cursor: { id: after }, skip: 1 } : {}), take: 10 });\n  }\n}\n`,
    },
    {
      name: 'a syntax error in one function does not hide findings in the others',
      file: 'routes.ts',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nfunction broken( {\n  const x = ;\n}\nexport function more(page: number) {\n  return prisma.tag.findMany({ skip: page * 10 });\n}\n`,
      findings: [{ line: 7 }],
    },
    {
      name: 'Knex builder',
      file: 'repo.ts',
      code: `import knex from 'knex';\nconst db = knex({});\nexport async function list(req: any) {\n  const { page = 1 } = req.query;\n  return db('posts').orderBy('created_at', 'desc').offset((page - 1) * 20).limit(20);\n}\n`,
      findings: [{ line: 5, message: /index on posts \(created_at, id\)/ }],
      output: `import knex from 'knex';\nconst db = knex({});\nexport async function list(req: any) {\n  const { page = 1 } = req.query;\n  return db('posts').orderBy('created_at', 'desc').orderBy('id', 'desc').modify((query) => { if (req.query.afterCreatedAt != null && req.query.afterId != null) query.where((qb) => qb.where('created_at', '<', req.query.afterCreatedAt).orWhere((q) => q.where('created_at', req.query.afterCreatedAt).andWhere('id', '<', req.query.afterId))); }).limit(20);\n}\n`,
    },
    {
      name: 'Kysely builder',
      file: 'repo.ts',
      code: `import { Kysely } from 'kysely';\nexport function list(db: Kysely<DB>, offset: number) {\n  return db.selectFrom('posts').selectAll().orderBy('id', 'asc').limit(20).offset(offset).execute();\n}\n`,
      findings: [{ line: 3 }],
      output: `import { Kysely } from 'kysely';\nexport function list(db: Kysely<DB>, offset: number, after?: number) {\n  return db.selectFrom('posts').selectAll().orderBy('id', 'asc').limit(20).where((eb) => (after != null ? eb('id', '>', after) : eb.and([]))).execute();\n}\n`,
    },
    {
      name: 'Sequelize findAll with offset, models from a local folder',
      file: 'posts.js',
      code: `const { Post } = require('../models');\nasync function list(req, res) {\n  const offset = parseInt(req.query.offset, 10) || 0;\n  res.json(await Post.findAll({ order: [['createdAt', 'DESC']], offset, limit: 20 }));\n}\n`,
      findings: [{ line: 4, message: /It needs an index on \(createdAt, id\): `indexes: \[\{ fields: \['createdAt', 'id'\] \}\]` in the options of model Post/ }],
      output: `const { Post } = require('../models');\nconst { Op } = require('sequelize');\nasync function list(req, res) {\n  const offset = parseInt(req.query.offset, 10) || 0;\n  res.json(await Post.findAll({ order: [['createdAt', 'DESC'], ['id', 'DESC']], ...(req.query.afterCreatedAt != null && req.query.afterId != null ? { where: { [Op.or]: [{ createdAt: { [Op.lt]: req.query.afterCreatedAt } }, { createdAt: req.query.afterCreatedAt, id: { [Op.lt]: req.query.afterId } }] } } : {}), limit: 20 }));\n}\n`,
    },
    {
      name: 'TypeORM repository find with skip',
      file: 'posts.service.ts',
      code: `import { Repository } from 'typeorm';\nexport class PostsService {\n  constructor(private readonly posts: Repository<Post>) {}\n  list(page: number) {\n    return this.posts.find({ where: { published: true }, order: { id: 'DESC' }, skip: (page - 1) * 20, take: 20 });\n  }\n}\n`,
      findings: [{ line: 5 }],
      output: `import { Repository, LessThan } from 'typeorm';\nexport class PostsService {\n  constructor(private readonly posts: Repository<Post>) {}\n  list(page: number, after?: number) {\n    return this.posts.find({ where: { ...(after != null ? { id: LessThan(after) } : {}), published: true }, order: { id: 'DESC' }, take: 20 });\n  }\n}\n`,
    },
    {
      name: 'TypeORM find whose where is a shorthand property: the key stays, and the comment after skip stays',
      file: 'posts.service.ts',
      code: `import { Repository } from 'typeorm';\nexport class PostsService {\n  constructor(private readonly posts: Repository<Post>) {}\n  list(page: number) {\n    const where = { published: true };\n    return this.posts.find({\n      where,\n      order: { id: 'DESC' },\n      skip: (page - 1) * 20,\n      // Ordered: pages do not repeat rows.\n      take: 20,\n    });\n  }\n}\n`,
      findings: [{ line: 9 }],
      output: `import { Repository, LessThan } from 'typeorm';\nexport class PostsService {\n  constructor(private readonly posts: Repository<Post>) {}\n  list(page: number, after?: number) {\n    const where = { published: true };\n    return this.posts.find({\n      where: { ...where, ...(after != null ? { id: LessThan(after) } : {}) },\n      order: { id: 'DESC' },\n      // Ordered: pages do not repeat rows.\n      take: 20,\n    });\n  }\n}\n`,
    },
    {
      name: 'TypeORM find whose local where already filters the key (Vendure\'s `where.id = In(ids)`): no rewrite that would replace it',
      file: 'variants.service.js',
      code: `const { In } = require('typeorm');\nclass Indexer {\n  async batch(repo, ids, skip, take) {\n    const where = { deletedAt: null };\n    if (ids.length) where.id = In(ids);\n    return repo.findAndCount({ where, take, skip, order: { id: 'ASC' } });\n  }\n}\nmodule.exports = { Indexer };\n`,
      findings: [{ line: 6 }],
      noFix: true,
    },
    {
      name: 'Prisma findMany whose orderBy is a shorthand property: the tie-breaker keeps the key',
      file: 'posts.ts',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(skip: number) {\n  const orderBy = { createdAt: 'desc' as const };\n  return prisma.post.findMany({ orderBy, skip, take: 20 });\n}\n`,
      findings: [{ line: 5 }],
      output: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(skip: number, after?: number) {\n  const orderBy = { createdAt: 'desc' as const };\n  return prisma.post.findMany({ orderBy: [orderBy, { id: 'asc' }], ...(after != null ? { cursor: { id: after }, skip: 1 } : {}), take: 20 });\n}\n`,
    },
    {
      name: 'an offset in a field that a method moves on (a stateful pager), and one set outside the constructor',
      file: 'pager.ts',
      code: `import { DataSource } from 'typeorm';\nexport class Pager {\n  private offset = 0;\n  private start = 0;\n  constructor(private ds: DataSource) {}\n  configure(start: number) {\n    this.start = start;\n  }\n  next() {\n    this.offset += 50;\n    return this.ds.getRepository(Post).find({ order: { id: 'ASC' }, skip: this.offset, take: 50 });\n  }\n  first() {\n    return this.ds.getRepository(Post).find({ order: { id: 'ASC' }, skip: this.start, take: 50 });\n  }\n}\n`,
      findings: [{ line: 11 }, { line: 14 }],
    },
    {
      name: 'TypeORM QueryBuilder with skip',
      file: 'posts.repo.ts',
      code: `import { DataSource } from 'typeorm';\nexport function list(ds: DataSource, skip: number) {\n  return ds.getRepository(Post).createQueryBuilder('post').orderBy('post.createdAt', 'DESC').skip(skip).take(20).getMany();\n}\n`,
      findings: [{ line: 3 }],
      output: `import { DataSource } from 'typeorm';\nexport function list(ds: DataSource, skip: number, afterCreatedAt?: Date, afterId?: number) {\n  return ds.getRepository(Post).createQueryBuilder('post').orderBy('post.createdAt', 'DESC').addOrderBy('post.id', 'DESC').andWhere(afterCreatedAt != null && afterId != null ? '(post.createdAt < :afterCreatedAt OR (post.createdAt = :afterCreatedAt AND post.id < :afterId))' : '1 = 1', { afterCreatedAt: afterCreatedAt, afterId: afterId }).take(20).getMany();\n}\n`,
    },
    {
      name: 'TypeORM QueryBuilder ordered by columns named from the alias (a template, and its ES5 concat)',
      file: 'category.repo.js',
      code: `const { DataSource } = require('typeorm');\nfunction list(ds, alias, skip) {\n  return ds.getRepository('Category').createQueryBuilder(alias).skip(skip).take(20).addOrderBy(\`\${alias}.rank\`, 'ASC').addOrderBy("".concat(alias, ".handle"), "ASC").getMany();\n}\nmodule.exports = { list };\n`,
      findings: [{ line: 3, message: /filter on \(rank, handle, id\) after the last row/ }],
    },
    {
      name: 'Mongoose find().sort().skip()',
      file: 'posts.ts',
      code: `import mongoose from 'mongoose';\nexport function list(Post: mongoose.Model<any>, page: number) {\n  return Post.find({ published: true }).sort({ createdAt: -1 }).skip(page * 20).limit(20);\n}\n`,
      findings: [{ line: 3 }],
      output: `import mongoose from 'mongoose';\nexport function list(Post: mongoose.Model<any>, page: number, afterCreatedAt?: Date, afterId?: string) {\n  return Post.find({ published: true }).sort({ createdAt: -1, _id: -1 }).where(afterCreatedAt != null && afterId != null ? { $or: [{ createdAt: { $lt: afterCreatedAt } }, { createdAt: afterCreatedAt, _id: { $lt: afterId } }] } : {}).limit(20);\n}\n`,
    },
    {
      name: 'Drizzle select with offset',
      file: 'posts.ts',
      code: `import { desc } from 'drizzle-orm';\nimport { db } from './db';\nimport { posts } from './schema';\nexport function list(offset: number) {\n  return db.select().from(posts).orderBy(desc(posts.createdAt)).limit(20).offset(offset);\n}\n`,
      findings: [{ line: 5, message: /It needs an index on \(createdAt, id\): `index\('posts_created_at_id_idx'\)\.on\(table\.createdAt\.desc\(\), table\.id\.desc\(\)\)` in the extra config of the posts table/ }],
      output: `import { desc, lt, or, and, eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { posts } from './schema';\nexport function list(offset: number, afterCreatedAt?: Date, afterId?: number) {\n  return db.select().from(posts).orderBy(desc(posts.createdAt), desc(posts.id)).limit(20).where(afterCreatedAt != null && afterId != null ? or(lt(posts.createdAt, afterCreatedAt), and(eq(posts.createdAt, afterCreatedAt), lt(posts.id, afterId))) : undefined);\n}\n`,
    },
    {
      name: 'MikroORM em.find with offset',
      file: 'posts.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport function list(em: EntityManager, offset: number) {\n  return em.find(Post, { published: true }, { orderBy: { id: 'desc' }, offset, limit: 20 });\n}\n`,
      findings: [{ line: 3 }],
      output: `import { EntityManager } from '@mikro-orm/core';\nexport function list(em: EntityManager, offset: number, after?: number) {\n  return em.find(Post, { ...(after != null ? { id: { $lt: after } } : {}), published: true }, { orderBy: { id: 'desc' }, limit: 20 });\n}\n`,
    },
    {
      name: 'MikroORM: the index advice in its own decorator, on the entity the EntityManager call names',
      file: 'books.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport function list(em: EntityManager, page: number) {\n  return em.find(Book, {}, { orderBy: { createdAt: 'desc' }, limit: 20, offset: page * 20 });\n}\n`,
      findings: [{ line: 3, message: /It needs an index on \(createdAt, id\): `@Index\(\{ properties: \['createdAt', 'id'\] \}\)` on the Book entity/ }],
    },
    {
      name: 'SQL in a tagged template',
      file: 'raw.ts',
      code: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(offset: number) {\n  return prisma.$queryRaw`SELECT * FROM posts ORDER BY id LIMIT 20 OFFSET ${offset}`;\n}\n",
      findings: [{ line: 4, message: /primary key index serves this order/ }],
      output: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(offset: number, after?: number) {\n  return prisma.$queryRaw`SELECT * FROM posts WHERE id > ${after} ORDER BY id LIMIT 20`;\n}\n",
    },
    {
      name: 'SQL in a tagged template, offset from the request: the cursor comes from the same query string',
      file: 'routes.ts',
      code: express("  const offset = Number(req.query.offset ?? 0);\n  const rows = await prisma.$queryRaw`SELECT id, title FROM \"Post\" ORDER BY \"createdAt\" DESC LIMIT 20 OFFSET ${offset}`;\n  res.json(rows);"),
      findings: [{ line: 10 }],
      output: express("  const offset = Number(req.query.offset ?? 0);\n  const rows = await prisma.$queryRaw`SELECT id, title FROM \"Post\" WHERE (\"createdAt\", id) < (${req.query.afterCreatedAt}, ${req.query.afterId}) ORDER BY \"createdAt\" DESC, id DESC LIMIT 20`;\n  res.json(rows);"),
    },
    {
      name: 'SQL in a string whose $n values the call binds: the array gets the cursor in the offset\'s place',
      file: 'raw.ts',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(req: any) {\n  const offset = Number(req.query.offset);\n  return pool.query('SELECT id FROM items ORDER BY created_at DESC LIMIT 20 OFFSET $1', [offset]);\n}\n",
      findings: [{ line: 5 }],
      output: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(req: any) {\n  const offset = Number(req.query.offset);\n  return pool.query('SELECT id FROM items WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20', [req.query.afterCreatedAt, req.query.afterId]);\n}\n",
    },
    {
      name: 'SQL in a string with $n values: the other values keep their numbers',
      file: 'raw.ts',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(owner: string, offset: number) {\n  return pool.query('SELECT id FROM items WHERE owner = $1 ORDER BY id LIMIT 20 OFFSET $2', [owner, offset]);\n}\n",
      findings: [{ line: 4 }],
      output: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(owner: string, offset: number, after?: number) {\n  return pool.query('SELECT id FROM items WHERE owner = $1 AND id > $2 ORDER BY id LIMIT 20', [owner, after]);\n}\n",
    },
    {
      name: 'SQL in a string with ? values and mixed directions: the values in the order of the new placeholders',
      file: 'raw.ts',
      code: "import mysql from 'mysql2/promise';\nconst db = mysql.createPool({});\nexport async function list(owner: string, offset: number) {\n  return db.query('SELECT id FROM items WHERE owner = ? ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?', [owner, 20, offset]);\n}\n",
      findings: [{ line: 4 }],
      output: "import mysql from 'mysql2/promise';\nconst db = mysql.createPool({});\nexport async function list(owner: string, offset: number, afterCreatedAt?: Date, afterId?: number) {\n  return db.query('SELECT id FROM items WHERE owner = ? AND (created_at < ? OR (created_at = ? AND id > ?)) ORDER BY created_at DESC, id ASC LIMIT ?', [owner, afterCreatedAt, afterCreatedAt, afterId, 20]);\n}\n",
    },
    {
      name: 'SQL in a string with MySQL LIMIT offset, count',
      file: 'raw.ts',
      code: "import mysql from 'mysql2/promise';\nconst db = mysql.createPool({});\nexport async function list(offset: number) {\n  return db.query('SELECT id FROM items ORDER BY id LIMIT ?, 20', [offset]);\n}\n",
      findings: [{ line: 4 }],
      output: "import mysql from 'mysql2/promise';\nconst db = mysql.createPool({});\nexport async function list(offset: number, after?: number) {\n  return db.query('SELECT id FROM items WHERE id > ? ORDER BY id LIMIT 20', [after]);\n}\n",
    },
    {
      name: 'SQL in a tagged template of a JS file: an untyped new parameter',
      file: 'raw.js',
      code: "import postgres from 'postgres';\nconst sql = postgres();\nexport async function list(offset) {\n  return sql`SELECT * FROM posts ORDER BY created_at LIMIT 20 OFFSET ${offset}`;\n}\n",
      findings: [{ line: 4 }],
      output: "import postgres from 'postgres';\nconst sql = postgres();\nexport async function list(offset, afterCreatedAt, afterId) {\n  return sql`SELECT * FROM posts WHERE (created_at, id) > (${afterCreatedAt}, ${afterId}) ORDER BY created_at, id LIMIT 20`;\n}\n",
    },
  ],
});

fixtureTests('offset-pagination', 'test/rules/offset-pagination/fixtures', (f) => /\.(ts|js)$/.test(f));

ruleTests('offset-pagination', {
  valid: [
    {
      name: 'positional lookup with take: 1',
      file: 'activity.repository.ts',
      code: `import { Repository } from '@n8n/typeorm';\nexport class Activity extends Repository<Event> {\n  async oldestKept(keep: number) {\n    const [row] = await this.find({ order: { id: 'DESC' }, skip: keep - 1, take: 1 });\n    return row;\n  }\n}\n`,
      why: 'one row at a position (pruning), not a page',
    },
  ],
  invalid: [
    {
      name: 'a repository subclass of a scoped TypeORM fork',
      file: 'user.repository.ts',
      code: `import { Repository } from '@n8n/typeorm';\nexport class UserRepository extends Repository<User> {\n  findMany(options: { offset?: number; limit?: number }) {\n    return this.find({ skip: options?.offset, take: options?.limit, order: { id: 'ASC' } });\n  }\n}\n`,
      findings: [{ line: 4, message: /`this\.find` skips `options\?\.offset` rows/ }],
    },
    {
      name: 'an untyped builder passed to a helper',
      file: 'helpers.js',
      code: `export function applyOffset(rootQuery, offset) {\n  rootQuery.offset(offset);\n}\n`,
      findings: [{ line: 2 }],
    },
  ],
});

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: 'Prisma: the model already has @@index([createdAt, id])',
      file: 'posts.ts',
      workspace: { '../prisma/schema.prisma': 'model Post {\n  id        Int      @id @default(autoincrement())\n  createdAt DateTime @default(now())\n\n  @@index([createdAt(sort: Desc), id])\n}\n' },
      code: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function list(page: number) {\n  return prisma.post.findMany({ orderBy: { createdAt: 'desc' }, skip: (page - 1) * 20, take: 20 });\n}\n",
      findings: [{ line: 4, message: /The index on \(createdAt, id\) already exists/ }],
    },
  ],
});

const POST_SCHEMA = (idType: string) => ({ '../prisma/schema.prisma': `model Post {\n  id        ${idType}      @id\n  createdAt DateTime @default(now())\n}\n` });

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: 'Prisma in a Next.js route handler: get() gives null without a cursor, the Int id is parsed from the text',
      file: 'app/api/posts/route.ts',
      workspace: POST_SCHEMA('Int'),
      code: `import { NextRequest, NextResponse } from 'next/server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function GET(req: NextRequest) {\n  const page = Number(req.nextUrl.searchParams.get('page') ?? '1');\n  return NextResponse.json(await prisma.post.findMany({ orderBy: { createdAt: 'desc' }, skip: (page - 1) * 20, take: 20 }));\n}\n`,
      findings: [{ line: 6 }],
      output: `import { NextRequest, NextResponse } from 'next/server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function GET(req: NextRequest) {\n  const page = Number(req.nextUrl.searchParams.get('page') ?? '1');\n  return NextResponse.json(await prisma.post.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...(req.nextUrl.searchParams.get('after') != null ? { cursor: { id: Number(req.nextUrl.searchParams.get('after')) }, skip: 1 } : {}), take: 20 }));\n}\n`,
    },
    {
      name: 'Prisma with a String id: the cursor is the text, made a string (Express types req.query.after as string | string[] | ParsedQs…)',
      file: 'routes.ts',
      workspace: POST_SCHEMA('String'),
      code: express(`  res.json(await prisma.post.findMany({ orderBy: { id: 'asc' }, skip: (page - 1) * 20, take: 20 }));`),
      findings: [{ line: 9 }],
      output: express(`  res.json(await prisma.post.findMany({ orderBy: { id: 'asc' }, ...(req.query.after != null ? { cursor: { id: String(req.query.after) }, skip: 1 } : {}), take: 20 }));`),
    },
    {
      name: 'Prisma with a BigInt id: BigInt() of the text',
      file: 'routes.ts',
      workspace: POST_SCHEMA('BigInt'),
      code: express(`  res.json(await prisma.post.findMany({ orderBy: { id: 'asc' }, skip: (page - 1) * 20, take: 20 }));`),
      findings: [{ line: 9 }],
      output: express(`  res.json(await prisma.post.findMany({ orderBy: { id: 'asc' }, ...(req.query.after != null ? { cursor: { id: BigInt(String(req.query.after)) }, skip: 1 } : {}), take: 20 }));`),
    },
    {
      name: 'Prisma with a String id in a service method: the new parameter is a string',
      file: 'posts.service.ts',
      workspace: POST_SCHEMA('String'),
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(offset: number) {\n  return prisma.post.findMany({ orderBy: { id: 'asc' }, skip: offset, take: 10 });\n}\n`,
      findings: [{ line: 4 }],
      output: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function list(offset: number, after?: string) {\n  return prisma.post.findMany({ orderBy: { id: 'asc' }, ...(after != null ? { cursor: { id: after }, skip: 1 } : {}), take: 10 });\n}\n`,
    },
    {
      name: 'Prisma in a NestJS controller: a @Query parameter Nest fills, parsed to the Int id',
      file: 'posts.controller.ts',
      workspace: POST_SCHEMA('Int'),
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly prisma: PrismaService) {}\n  @Get()\n  list(@Query('page') page = '1') {\n    return this.prisma.post.findMany({ orderBy: { createdAt: 'desc' }, skip: (Number(page) - 1) * 20, take: 20 });\n  }\n}\n`,
      findings: [{ line: 8 }],
      output: `import { Controller, Get, Query } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly prisma: PrismaService) {}\n  @Get()\n  list(@Query('page') page = '1', @Query('after') after?: string) {\n    return this.prisma.post.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...(after != null ? { cursor: { id: Number(after) }, skip: 1 } : {}), take: 20 });\n  }\n}\n`,
    },
    {
      name: 'MikroORM em.find in a NestJS controller: one @Query parameter per key, parsed; the filter goes into the where argument',
      file: 'books.controller.ts',
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { EntityManager } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\n@Controller('books')\nexport class BooksController {\n  constructor(private readonly em: EntityManager) {}\n  @Get()\n  list(@Query('page') page = '1') {\n    return this.em.find(Book, {}, { orderBy: { createdAt: 'desc' }, limit: 20, offset: (Number(page) - 1) * 20 });\n  }\n}\n`,
      findings: [{ line: 9 }],
      output: `import { Controller, Get, Query } from '@nestjs/common';\nimport { EntityManager } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\n@Controller('books')\nexport class BooksController {\n  constructor(private readonly em: EntityManager) {}\n  @Get()\n  list(@Query('page') page = '1', @Query('afterCreatedAt') afterCreatedAt?: string, @Query('afterId') afterId?: string) {\n    return this.em.find(Book, { ...(afterCreatedAt != null && afterId != null ? { $or: [{ createdAt: { $lt: new Date(afterCreatedAt) } }, { createdAt: new Date(afterCreatedAt), id: { $lt: Number(afterId) } }] } : {}) }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 });\n  }\n}\n`,
    },
    {
      name: 'TypeORM in a NestJS controller that reads the page with @Param: Query is imported',
      file: 'posts.controller.ts',
      code: `import { Controller, Get, Param } from '@nestjs/common';\nimport { Repository } from 'typeorm';\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly posts: Repository<Post>) {}\n  @Get('page/:n')\n  list(@Param('n') n: string) {\n    return this.posts.find({ order: { id: 'DESC' }, skip: Number(n) * 20, take: 20 });\n  }\n}\n`,
      findings: [{ line: 8 }],
      output: `import { Controller, Get, Param, Query } from '@nestjs/common';\nimport { Repository, LessThan } from 'typeorm';\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly posts: Repository<Post>) {}\n  @Get('page/:n')\n  list(@Param('n') n: string, @Query('after') after?: string) {\n    return this.posts.find({ order: { id: 'DESC' }, ...(after != null ? { where: { id: LessThan(Number(after)) } } : {}), take: 20 });\n  }\n}\n`,
    },
    {
      name: 'a NestJS route whose parameters end with a trailing comma: the new one goes after the last',
      file: 'posts.controller.ts',
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { Repository } from 'typeorm';\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly posts: Repository<Post>) {}\n  @Get()\n  list(\n    @Query('offset') offset: string,\n  ) {\n    return this.posts.find({ order: { id: 'ASC' }, skip: Number(offset), take: 20 });\n  }\n}\n`,
      findings: [{ line: 10 }],
      output: `import { Controller, Get, Query } from '@nestjs/common';\nimport { Repository, MoreThan } from 'typeorm';\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly posts: Repository<Post>) {}\n  @Get()\n  list(\n    @Query('offset') offset: string, @Query('after') after?: string,\n  ) {\n    return this.posts.find({ order: { id: 'ASC' }, ...(after != null ? { where: { id: MoreThan(Number(after)) } } : {}), take: 20 });\n  }\n}\n`,
    },
    {
      name: 'MikroORM repository find: the filter goes into its first argument, not the options',
      file: 'books.service.ts',
      code: `import { EntityRepository } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nexport class BooksService {\n  constructor(private readonly books: EntityRepository<Book>) {}\n  page(page: number) {\n    return this.books.find({}, { orderBy: { createdAt: 'desc' }, limit: 20, offset: (page - 1) * 20 });\n  }\n}\n`,
      findings: [{ line: 6 }],
      output: `import { EntityRepository } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nexport class BooksService {\n  constructor(private readonly books: EntityRepository<Book>) {}\n  page(page: number, afterCreatedAt?: Date, afterId?: number) {\n    return this.books.find({ ...(afterCreatedAt != null && afterId != null ? { $or: [{ createdAt: { $lt: afterCreatedAt } }, { createdAt: afterCreatedAt, id: { $lt: afterId } }] } : {}) }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 });\n  }\n}\n`,
    },
    {
      name: 'MikroORM repository find whose filter has an $or already: both hold, under $and',
      file: 'books.service.ts',
      code: `import { EntityRepository } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nexport class BooksService {\n  constructor(private readonly books: EntityRepository<Book>) {}\n  page(page: number) {\n    return this.books.find({ $or: [{ draft: false }, { mine: true }] }, { orderBy: { createdAt: 'desc' }, limit: 20, offset: (page - 1) * 20 });\n  }\n}\n`,
      findings: [{ line: 6 }],
      output: `import { EntityRepository } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nexport class BooksService {\n  constructor(private readonly books: EntityRepository<Book>) {}\n  page(page: number, afterCreatedAt?: Date, afterId?: number) {\n    return this.books.find(afterCreatedAt != null && afterId != null ? { $and: [{ $or: [{ draft: false }, { mine: true }] }, { $or: [{ createdAt: { $lt: afterCreatedAt } }, { createdAt: afterCreatedAt, id: { $lt: afterId } }] }] } : { $or: [{ draft: false }, { mine: true }] }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 });\n  }\n}\n`,
    },
    {
      name: 'MikroORM repository find with other conditions: the keyset key joins them',
      file: 'books.service.ts',
      code: `import { EntityRepository } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nexport class BooksService {\n  constructor(private readonly books: EntityRepository<Book>) {}\n  page(offset: number) {\n    return this.books.find({ published: true }, { orderBy: { id: 'asc' }, limit: 20, offset });\n  }\n}\n`,
      findings: [{ line: 6 }],
      output: `import { EntityRepository } from '@mikro-orm/postgresql';\nimport { Book } from './book.entity';\nexport class BooksService {\n  constructor(private readonly books: EntityRepository<Book>) {}\n  page(offset: number, after?: number) {\n    return this.books.find({ ...(after != null ? { id: { $gt: after } } : {}), published: true }, { orderBy: { id: 'asc' }, limit: 20 });\n  }\n}\n`,
    },
    {
      name: 'MikroORM em.findAll(Entity, options): the entity is no filter, the options get a where',
      file: 'books.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport function list(em: EntityManager, offset: number) {\n  return em.findAll(Book, { orderBy: { id: 'asc' }, limit: 20, offset });\n}\n`,
      findings: [{ line: 3 }],
      output: `import { EntityManager } from '@mikro-orm/core';\nexport function list(em: EntityManager, offset: number, after?: number) {\n  return em.findAll(Book, { orderBy: { id: 'asc' }, limit: 20, ...(after != null ? { where: { id: { $gt: after } } } : {}) });\n}\n`,
    },
    {
      name: 'MikroORM QueryBuilder: a filter object added only with a cursor, and the tie-breaker in its orderBy object',
      file: 'books.ts',
      code: `import { EntityManager } from '@mikro-orm/postgresql';\nexport function list(em: EntityManager, offset: number) {\n  return em.createQueryBuilder(Book, 'b').select('*').orderBy({ createdAt: 'desc' }).limit(20).offset(offset).getResultList();\n}\n`,
      findings: [{ line: 3 }],
      output: `import { EntityManager } from '@mikro-orm/postgresql';\nexport function list(em: EntityManager, offset: number, afterCreatedAt?: Date, afterId?: number) {\n  return em.createQueryBuilder(Book, 'b').select('*').orderBy({ createdAt: 'desc', id: 'desc' }).limit(20).andWhere(afterCreatedAt != null && afterId != null ? { $or: [{ createdAt: { $lt: afterCreatedAt } }, { createdAt: afterCreatedAt, id: { $lt: afterId } }] } : {}).getResultList();\n}\n`,
    },
  ],
});

describe('offset-pagination: SQL whose values cannot be rewritten gets the advice without an edit', () => {
  // A rewrite of the string alone would leave the call binding the offset as the cursor, or too
  // few values for the new placeholders.
  for (const [name, code] of [
    ['values in a variable', "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(params: unknown[]) {\n  return pool.query('SELECT id FROM items ORDER BY id LIMIT 20 OFFSET $1', params);\n}\n"],
    ['values spread into the array', "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function list(rest: unknown[]) {\n  return pool.query('SELECT id FROM items WHERE owner = $1 ORDER BY id LIMIT 20 OFFSET $2', [...rest]);\n}\n"],
    ['named values spread into the object', "import knex from 'knex';\nconst db = knex({});\nexport function list(params: object) {\n  return db.raw('SELECT id FROM items ORDER BY id LIMIT 20 OFFSET :offset', { ...params });\n}\n"],
    ['named values in a variable', "import Database from 'better-sqlite3';\nconst db = new Database('x.db');\nexport function list(params: object) {\n  return db.prepare('SELECT id FROM items ORDER BY id LIMIT 20 OFFSET :offset').all(params);\n}\n"],
  ]) {
    it(name, async () => {
      const found = lintText(await testEngine(), code, 'raw.ts').findings.filter((f) => f.ruleId === 'offset-pagination');
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].fixes, []);
    });
  }
});

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: 'better-sqlite3 named values: the offset\'s entry goes, the cursor\'s comes',
      file: 'raw.ts',
      code: "import Database from 'better-sqlite3';\nconst db = new Database('x.db');\nexport function list(offset: number) {\n  return db.prepare('SELECT id FROM items ORDER BY id LIMIT 20 OFFSET :offset').all({ offset });\n}\n",
      findings: [{ line: 4 }],
      output: "import Database from 'better-sqlite3';\nconst db = new Database('x.db');\nexport function list(offset: number, after?: number) {\n  return db.prepare('SELECT id FROM items WHERE id > :after_id ORDER BY id LIMIT 20').all({ after_id: after });\n}\n",
    },
    {
      name: 'knex.raw named bindings in an Express handler: the cursor from the request, other values kept',
      file: 'routes.js',
      code: "import knex from 'knex';\nconst db = knex({});\nexport async function list(req, res) {\n  const offset = Number(req.query.offset);\n  res.json(await db.raw('SELECT id FROM items WHERE owner = :owner ORDER BY created_at DESC LIMIT 20 OFFSET :offset', { owner: req.user.id, offset }));\n}\n",
      findings: [{ line: 5 }],
      output: "import knex from 'knex';\nconst db = knex({});\nexport async function list(req, res) {\n  const offset = Number(req.query.offset);\n  res.json(await db.raw('SELECT id FROM items WHERE owner = :owner AND (created_at, id) < (:after_created_at, :after_id) ORDER BY created_at DESC, id DESC LIMIT 20', { owner: req.user.id, after_created_at: req.query.afterCreatedAt, after_id: req.query.afterId }));\n}\n",
    },
    {
      name: 'a named value the statement also casts (:owner::int) is kept',
      file: 'raw.ts',
      code: "import knex from 'knex';\nconst db = knex({});\nexport function list(owner: string, offset: number) {\n  return db.raw('SELECT id FROM items WHERE owner_id = :owner::int ORDER BY id LIMIT 20 OFFSET :offset', { owner, offset });\n}\n",
      findings: [{ line: 4 }],
      output: "import knex from 'knex';\nconst db = knex({});\nexport function list(owner: string, offset: number, after?: number) {\n  return db.raw('SELECT id FROM items WHERE owner_id = :owner::int AND id > :after_id ORDER BY id LIMIT 20', { owner, after_id: after });\n}\n",
    },
    {
      name: 'Sequelize replacements, the object over several lines',
      file: 'posts.ts',
      code: "import { Sequelize, QueryTypes } from 'sequelize';\nconst sequelize = new Sequelize('x');\nexport async function list(page: number) {\n  return sequelize.query('SELECT * FROM posts ORDER BY created_at LIMIT 20 OFFSET :offset', {\n    replacements: {\n      offset: (page - 1) * 20,\n    },\n    type: QueryTypes.SELECT,\n  });\n}\n",
      findings: [{ line: 4 }],
      output: "import { Sequelize, QueryTypes } from 'sequelize';\nconst sequelize = new Sequelize('x');\nexport async function list(page: number, afterCreatedAt?: Date, afterId?: number) {\n  return sequelize.query('SELECT * FROM posts WHERE (created_at, id) > (:after_created_at, :after_id) ORDER BY created_at, id LIMIT 20', {\n    replacements: {\n      after_created_at: afterCreatedAt,\n      after_id: afterId,\n    },\n    type: QueryTypes.SELECT,\n  });\n}\n",
    },
  ],
});

const POST_ENTITY = {
  'post.entity.ts': `import { Entity, PrimaryGeneratedColumn, CreateDateColumn, Column } from 'typeorm';\n\n@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn('uuid')\n  id: string;\n\n  @CreateDateColumn()\n  createdAt: Date;\n\n  @Column()\n  views: number;\n}\n`,
};
/** An Express route of `body`, after `head` (imports and setup). */
const route = (head: string, body: string) => `import express from 'express';
${head}
const router = express.Router();

router.get('/posts', async (req, res) => {
${body}
});
`;
const typeormRoute = (body: string) =>
  route(`import { DataSource${body.includes('LessThan') ? ', LessThan' : ''} } from 'typeorm';\nimport { Post } from './post.entity';\n\nconst ds = new DataSource({ type: 'postgres' });`, body);

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: "TypeORM in TS: the request's text becomes each key's column type where the entity says it (a Date, a uuid id)",
      file: 'routes.ts',
      workspace: POST_ENTITY,
      code: typeormRoute(`  const offset = Number(req.query.offset ?? 0);\n  res.json(await ds.getRepository(Post).find({ order: { createdAt: 'DESC' }, skip: offset, take: 20 }));`),
      findings: [{ line: 10, message: /`@Index\(\['createdAt', 'id'\]\)` on the Post entity/ }],
      output: typeormRoute(
        `  const offset = Number(req.query.offset ?? 0);\n  res.json(await ds.getRepository(Post).find({ order: { createdAt: 'DESC', id: 'DESC' }, ...(req.query.afterCreatedAt != null && req.query.afterId != null ? { where: [{ createdAt: LessThan(new Date(String(req.query.afterCreatedAt))) }, { createdAt: new Date(String(req.query.afterCreatedAt)), id: LessThan(String(req.query.afterId)) }] } : {}), take: 20 }));`,
      ),
    },
    {
      name: 'TypeORM in TS: a number column',
      file: 'routes.ts',
      workspace: POST_ENTITY,
      code: typeormRoute(`  res.json(await ds.getRepository(Post).find({ order: { views: 'DESC' }, skip: Number(req.query.offset), take: 20 }));`),
      findings: [{ line: 9 }],
      output: typeormRoute(`  res.json(await ds.getRepository(Post).find({ order: { views: 'DESC', id: 'DESC' }, ...(req.query.afterViews != null && req.query.afterId != null ? { where: [{ views: LessThan(Number(req.query.afterViews)) }, { views: Number(req.query.afterViews), id: LessThan(String(req.query.afterId)) }] } : {}), take: 20 }));`),
    },
    {
      name: "TypeORM in JS: a number column's value is parsed, a string's stays as read (no type to satisfy)",
      file: 'routes.js',
      workspace: POST_ENTITY,
      code: typeormRoute(`  res.json(await ds.getRepository(Post).find({ order: { views: 'DESC' }, skip: Number(req.query.offset), take: 20 }));`),
      findings: [{ line: 9 }],
      output: typeormRoute(`  res.json(await ds.getRepository(Post).find({ order: { views: 'DESC', id: 'DESC' }, ...(req.query.afterViews != null && req.query.afterId != null ? { where: [{ views: LessThan(Number(req.query.afterViews)) }, { views: Number(req.query.afterViews), id: LessThan(req.query.afterId) }] } : {}), take: 20 }));`),
    },
  ],
});

const DRIZZLE_SCHEMA = {
  'schema.ts': `import { pgTable, uuid, timestamp, integer, text } from 'drizzle-orm/pg-core';\n\nexport const posts = pgTable('posts', {\n  id: uuid('id').primaryKey().defaultRandom(),\n  createdAt: timestamp('created_at').defaultNow().notNull(),\n  views: integer('views').notNull(),\n  title: text('title'),\n});\n`,
};
const drizzleRoute = (imports: string, body: string) => route(`import { ${imports} } from 'drizzle-orm';\nimport { db } from './db';\nimport { posts } from './schema';\n`, body);

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: "Drizzle in TS: the request's text becomes each key's column type where the table says it (integer, uuid)",
      file: 'routes.ts',
      workspace: DRIZZLE_SCHEMA,
      code: drizzleRoute('desc', `  res.json(await db.select().from(posts).orderBy(desc(posts.views)).limit(20).offset(Number(req.query.offset)));`),
      findings: [{ line: 9 }],
      output: drizzleRoute(
        'desc, lt, or, and, eq',
        `  res.json(await db.select().from(posts).orderBy(desc(posts.views), desc(posts.id)).limit(20).where(req.query.afterViews != null && req.query.afterId != null ? or(lt(posts.views, Number(req.query.afterViews)), and(eq(posts.views, Number(req.query.afterViews)), lt(posts.id, String(req.query.afterId)))) : undefined));`,
      ),
    },
    {
      name: "Drizzle in TS: a new parameter takes the table's types (a uuid id is a string, not a number)",
      file: 'list.ts',
      workspace: DRIZZLE_SCHEMA,
      code: `import { desc } from 'drizzle-orm';\nimport { db } from './db';\nimport { posts } from './schema';\nexport function list(offset: number) {\n  return db.select().from(posts).orderBy(desc(posts.createdAt)).limit(20).offset(offset);\n}\n`,
      findings: [{ line: 5 }],
      output: `import { desc, lt, or, and, eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { posts } from './schema';\nexport function list(offset: number, afterCreatedAt?: Date, afterId?: string) {\n  return db.select().from(posts).orderBy(desc(posts.createdAt), desc(posts.id)).limit(20).where(afterCreatedAt != null && afterId != null ? or(lt(posts.createdAt, afterCreatedAt), and(eq(posts.createdAt, afterCreatedAt), lt(posts.id, afterId))) : undefined);\n}\n`,
    },
  ],
});

const KYSELY_DATABASE = {
  'db.ts': `import type { ColumnType, Generated } from 'kysely';\n\nexport interface Database {\n  posts: PostTable;\n}\n\nexport interface PostTable {\n  id: Generated<string>;\n  created_at: ColumnType<Date, string | undefined, never>;\n  views: number;\n}\n`,
};

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: "Kysely in TS: a new parameter takes the database interface's column types (a uuid id is a string)",
      file: 'list.ts',
      workspace: KYSELY_DATABASE,
      code: `import { Kysely } from 'kysely';\nimport type { Database } from './db';\nexport function list(db: Kysely<Database>, offset: number) {\n  return db.selectFrom('posts').selectAll().orderBy('created_at', 'desc').limit(20).offset(offset).execute();\n}\n`,
      findings: [{ line: 4 }],
      output: `import { Kysely } from 'kysely';\nimport type { Database } from './db';\nexport function list(db: Kysely<Database>, offset: number, afterCreatedAt?: Date, afterId?: string) {\n  return db.selectFrom('posts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(20).where((eb) => (afterCreatedAt != null && afterId != null ? eb.or([eb('created_at', '<', afterCreatedAt), eb.and([eb('created_at', '=', afterCreatedAt), eb('id', '<', afterId)])]) : eb.and([]))).execute();\n}\n`,
    },
    {
      name: "Kysely in TS: the request's text becomes each key's column type (number, Date)",
      file: 'routes.ts',
      workspace: KYSELY_DATABASE,
      code: route(`import { Kysely } from 'kysely';\nimport type { Database } from './db';\ndeclare const db: Kysely<Database>;`, `  res.json(await db.selectFrom('posts').selectAll().orderBy('views', 'desc').limit(20).offset(Number(req.query.offset)).execute());`),
      findings: [{ line: 8 }],
      output: route(
        `import { Kysely } from 'kysely';\nimport type { Database } from './db';\ndeclare const db: Kysely<Database>;`,
        `  res.json(await db.selectFrom('posts').selectAll().orderBy('views', 'desc').orderBy('id', 'desc').limit(20).where((eb) => (req.query.afterViews != null && req.query.afterId != null ? eb.or([eb('views', '<', Number(req.query.afterViews)), eb.and([eb('views', '=', Number(req.query.afterViews)), eb('id', '<', String(req.query.afterId))])]) : eb.and([]))).execute());`,
      ),
    },
  ],
});

const BOOK_ENTITY = {
  'book.entity.ts': `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';\nimport { v4 } from 'uuid';\n\n@Entity()\nexport class Book {\n  @PrimaryKey({ type: 'uuid' })\n  id: string = v4();\n\n  @Property()\n  createdAt = new Date();\n\n  @Property()\n  views!: number;\n}\n`,
};

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: "MikroORM in TS: a new parameter takes the entity's property types (a uuid id is a string, createdAt = new Date() a Date)",
      file: 'list.ts',
      workspace: BOOK_ENTITY,
      code: `import { EntityManager } from '@mikro-orm/core';\nimport { Book } from './book.entity';\nexport function list(em: EntityManager, offset: number) {\n  return em.find(Book, {}, { orderBy: { createdAt: 'desc' }, limit: 20, offset });\n}\n`,
      findings: [{ line: 4 }],
      output: `import { EntityManager } from '@mikro-orm/core';\nimport { Book } from './book.entity';\nexport function list(em: EntityManager, offset: number, afterCreatedAt?: Date, afterId?: string) {\n  return em.find(Book, { ...(afterCreatedAt != null && afterId != null ? { $or: [{ createdAt: { $lt: afterCreatedAt } }, { createdAt: afterCreatedAt, id: { $lt: afterId } }] } : {}) }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 });\n}\n`,
    },
    {
      name: "MikroORM in TS: the request's text becomes each key's property type",
      file: 'routes.ts',
      workspace: BOOK_ENTITY,
      code: route(`import { EntityManager } from '@mikro-orm/core';\nimport { Book } from './book.entity';\ndeclare const em: EntityManager;`, `  res.json(await em.find(Book, {}, { orderBy: { views: 'desc' }, limit: 20, offset: Number(req.query.offset) }));`),
      findings: [{ line: 8 }],
      output: route(
        `import { EntityManager } from '@mikro-orm/core';\nimport { Book } from './book.entity';\ndeclare const em: EntityManager;`,
        `  res.json(await em.find(Book, { ...(req.query.afterViews != null && req.query.afterId != null ? { $or: [{ views: { $lt: Number(req.query.afterViews) } }, { views: Number(req.query.afterViews), id: { $lt: String(req.query.afterId) } }] } : {}) }, { orderBy: { views: 'desc', id: 'desc' }, limit: 20 }));`,
      ),
    },
  ],
});

const SEQUELIZE_MODELS = {
  'models.ts': `import { DataTypes, Model, Sequelize, type CreationOptional, type InferAttributes, type InferCreationAttributes } from 'sequelize';\n\nexport const sequelize = new Sequelize('sqlite::memory:');\n\nexport class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {\n  declare id: CreationOptional<string>;\n  declare title: string;\n  declare views: number;\n  declare createdAt: CreationOptional<Date>;\n}\n\nPost.init({ id: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true }, title: DataTypes.STRING, views: DataTypes.INTEGER, createdAt: DataTypes.DATE }, { sequelize, tableName: 'posts' });\n`,
  'legacy.js': `module.exports = (sequelize, DataTypes) => {\n  const Comment = sequelize.define('comment', { body: DataTypes.TEXT, score: DataTypes.INTEGER });\n  return Comment;\n};\n`,
};

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: "Sequelize in TS: new parameters take the model's attribute types (a uuid id is a string, not a number)",
      file: 'list.ts',
      workspace: SEQUELIZE_MODELS,
      code: `import { Post } from './models';\n\nexport async function listPosts(page: number) {\n  return Post.findAll({ order: [['createdAt', 'DESC']], offset: (page - 1) * 20, limit: 20 });\n}\n`,
      findings: [{ line: 4 }],
      output: `import { Post } from './models';\nimport { Op } from 'sequelize';\n\nexport async function listPosts(page: number, afterCreatedAt?: Date, afterId?: string) {\n  return Post.findAll({ order: [['createdAt', 'DESC'], ['id', 'DESC']], ...(afterCreatedAt != null && afterId != null ? { where: { [Op.or]: [{ createdAt: { [Op.lt]: afterCreatedAt } }, { createdAt: afterCreatedAt, id: { [Op.lt]: afterId } }] } } : {}), limit: 20 });\n}\n`,
    },
    {
      name: "Sequelize in TS: the request's text becomes each key's attribute type (a number, a uuid)",
      file: 'routes.ts',
      workspace: SEQUELIZE_MODELS,
      code: route(`import { Post } from './models';`, `  res.json(await Post.findAll({ order: [['views', 'DESC']], offset: Number(req.query.offset), limit: 20 }));`),
      findings: [{ line: 6 }],
      output: route(`import { Post } from './models';\nimport { Op } from 'sequelize';`, `  res.json(await Post.findAll({ order: [['views', 'DESC'], ['id', 'DESC']], ...(req.query.afterViews != null && req.query.afterId != null ? { where: { [Op.or]: [{ views: { [Op.lt]: Number(req.query.afterViews) } }, { views: Number(req.query.afterViews), id: { [Op.lt]: String(req.query.afterId) } }] } } : {}), limit: 20 }));`),
    },
    {
      name: "Sequelize in JS, a model of define: the key Sequelize adds is an integer, parsed from the request's text",
      file: 'routes.js',
      workspace: SEQUELIZE_MODELS,
      code: route(`const { Comment } = require('./models');`, `  res.json(await Comment.findAll({ order: [['score', 'DESC']], offset: Number(req.query.offset), limit: 20 }));`),
      findings: [{ line: 6 }],
      output: route(`import { Op } from 'sequelize';\nconst { Comment } = require('./models');`, `  res.json(await Comment.findAll({ order: [['score', 'DESC'], ['id', 'DESC']], ...(req.query.afterScore != null && req.query.afterId != null ? { where: { [Op.or]: [{ score: { [Op.lt]: Number(req.query.afterScore) } }, { score: Number(req.query.afterScore), id: { [Op.lt]: Number(req.query.afterId) } }] } } : {}), limit: 20 }));`),
    },
  ],
});

// Tables typed by their migrations alone (a Kysely<any> database, a Knex project).
const KYSELY_MIGRATION = {
  'migrations/001_posts.ts': `import { Kysely, sql } from 'kysely';\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema\n    .createTable('posts')\n    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql\`gen_random_uuid()\`))\n    .addColumn('title', 'text')\n    .addColumn('created_at', 'timestamptz', (col) => col.notNull())\n    .execute();\n}\n`,
};
const KNEX_MIGRATION = {
  'migrations/20240101_posts.js': `exports.up = (knex) =>\n  knex.schema.createTable('posts', (t) => {\n    t.uuid('id').primary();\n    t.integer('score');\n    t.timestamps();\n  });\n`,
};

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: "Kysely without a database interface: a new parameter takes the migration's column types (a uuid id is a string)",
      file: 'list.ts',
      workspace: KYSELY_MIGRATION,
      code: `import { Kysely } from 'kysely';\nexport function list(db: Kysely<any>, offset: number) {\n  return db.selectFrom('posts').selectAll().orderBy('created_at', 'desc').limit(20).offset(offset).execute();\n}\n`,
      findings: [{ line: 3 }],
      output: `import { Kysely } from 'kysely';\nexport function list(db: Kysely<any>, offset: number, afterCreatedAt?: Date, afterId?: string) {\n  return db.selectFrom('posts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(20).where((eb) => (afterCreatedAt != null && afterId != null ? eb.or([eb('created_at', '<', afterCreatedAt), eb.and([eb('created_at', '=', afterCreatedAt), eb('id', '<', afterId)])]) : eb.and([]))).execute();\n}\n`,
    },
    {
      name: "Knex: the request's text becomes each key's column type where its migration says it (an integer; a uuid stays text)",
      file: 'routes.js',
      workspace: KNEX_MIGRATION,
      code: route(`const knex = require('knex')({ client: 'pg' });`, `  res.json(await knex('posts').orderBy('score', 'desc').limit(20).offset(Number(req.query.offset)));`),
      findings: [{ line: 6 }],
      output: route(`const knex = require('knex')({ client: 'pg' });`, `  res.json(await knex('posts').orderBy('score', 'desc').orderBy('id', 'desc').limit(20).modify((query) => { if (req.query.afterScore != null && req.query.afterId != null) query.where((qb) => qb.where('score', '<', Number(req.query.afterScore)).orWhere((q) => q.where('score', Number(req.query.afterScore)).andWhere('id', '<', req.query.afterId))); }));`),
    },
  ],
});

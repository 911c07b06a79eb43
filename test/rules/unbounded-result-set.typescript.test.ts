import * as assert from 'node:assert/strict';
import { isSmallTable } from '../../server/src/rules/unbounded-result-set/detect';
import { lintText, testEngine } from '../harness/engine';
import { ruleTests } from '../harness/rule-tester';

const PRISMA = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst app = express();\n`;
const TYPEORM = `import express from 'express';\nimport { AppDataSource } from './data-source';\nimport { Post } from './entity/Post';\nimport { Repository } from 'typeorm';\nconst app = express();\nconst postRepository = AppDataSource.getRepository(Post);\n`;
const SEQUELIZE = `import express from 'express';\nimport { Op } from 'sequelize';\nimport { Post } from './models';\nconst app = express();\n`;
const MONGOOSE = `import express from 'express';\nimport mongoose from 'mongoose';\nimport { Post } from './models/post';\nconst app = express();\n`;
const DRIZZLE = `import { Hono } from 'hono';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq, count } from 'drizzle-orm';\nimport { posts } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\nconst app = new Hono();\n`;
const KYSELY = `import Fastify from 'fastify';\nimport { Kysely } from 'kysely';\nimport { db } from './db';\nconst app = Fastify();\n`;
const KNEX = `import Koa from 'koa';\nimport Router from '@koa/router';\nimport knex from 'knex';\nconst db = knex({ client: 'pg' });\nconst router = new Router();\n`;
const MIKRO = `import express from 'express';\nimport { MikroORM } from '@mikro-orm/postgresql';\nimport { Book } from './entities';\nconst app = express();\n`;

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'Prisma findMany with take',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/posts', async (req, res) => {\n  res.json(await prisma.post.findMany({ where: { published: true }, take: 20 }));\n});\n`,
      why: 'capped at 20 rows',
    },
    {
      name: 'Prisma cursor + skip: 1 (keyset), with take',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/posts', async (req, res) => {\n  const after = Number(req.query.after);\n  res.json(await prisma.post.findMany({ take: 20, ...(after ? { cursor: { id: after }, skip: 1 } : {}), orderBy: { id: 'asc' } }));\n});\n`,
      why: 'a page of a keyset pagination',
    },
    {
      name: 'Prisma findMany filtered by a value of the request',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/users/:id/posts', async (req, res) => {\n  const authorId = Number(req.params.id);\n  res.json(await prisma.post.findMany({ where: { authorId } }));\n});\n`,
      why: "one author's posts: the rows asked for, not the table",
    },
    {
      name: 'Prisma findMany by the ids the request sends',
      file: 'src/app.ts',
      code: `${PRISMA}app.post('/posts/batch', async (req, res) => {\n  res.json(await prisma.post.findMany({ where: { id: { in: req.body.ids } } }));\n});\n`,
      why: 'bounded by the ids sent',
    },
    {
      name: 'a filter by a value destructured from an array, or a catch variable',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/first-author', async (req, res) => {\n  const [authorId] = String(req.query.ids).split(',').map(Number);\n  res.json(await prisma.post.findMany({ where: { authorId } }));\n});\n`,
      why: 'the value comes from the request',
    },
    {
      name: 'options passed through a variable',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/posts', async (req, res) => {\n  const args = buildArgs(req.query);\n  res.json(await prisma.post.findMany(args));\n});\n`,
      why: 'the options may hold a take',
    },
    {
      name: 'Prisma findMany in a CLI script',
      file: 'scripts/export.ts',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nasync function main() {\n  const posts = await prisma.post.findMany();\n  console.log(JSON.stringify(posts));\n}\nmain();\n`,
      why: 'a script is not a request handler',
    },
    {
      name: 'count and aggregate',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/stats', async (req, res) => {\n  res.json({ n: await prisma.post.count(), avg: await prisma.post.aggregate({ _avg: { views: true } }) });\n});\n`,
      why: 'one row each',
    },
    {
      name: 'findUnique and findFirst',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/top', async (req, res) => {\n  res.json([await prisma.post.findFirst({ orderBy: { views: 'desc' } }), await prisma.setting.findUnique({ where: { key: 'site' } })]);\n});\n`,
      why: 'one row',
    },
    {
      name: 'an array with a .find',
      file: 'src/app.ts',
      code: `${PRISMA}const POSTS = [{ id: 1 }];\napp.get('/p/:id', (req, res) => {\n  res.json(POSTS.find((p) => p.id === Number(req.params.id)));\n});\n`,
      why: 'an array in memory, not a query',
    },
    {
      name: 'TypeORM find with take, and a query builder with take',
      file: 'src/app.ts',
      code: `${TYPEORM}app.get('/posts', async (req, res) => {\n  const a = await postRepository.find({ order: { id: 'DESC' }, take: 50 });\n  const b = await postRepository.createQueryBuilder('post').where('post.published = true').take(50).getMany();\n  res.json([a, b]);\n});\n`,
      why: 'both capped',
    },
    {
      name: 'TypeORM findBy a parameter',
      file: 'src/app.ts',
      code: `${TYPEORM}app.get('/users/:id/posts', async (req, res) => {\n  res.json(await postRepository.findBy({ authorId: Number(req.params.id) }));\n});\n`,
      why: "a user's posts",
    },
    {
      name: 'Kysely executeTakeFirst, and a limit',
      file: 'src/app.ts',
      code: `${KYSELY}app.get('/posts', async () => {\n  const first = await db.selectFrom('post').selectAll().executeTakeFirst();\n  const page = await db.selectFrom('post').selectAll().orderBy('id').limit(20).execute();\n  return { first, page };\n});\n`,
      why: 'one row, then a page',
    },
    {
      name: 'Drizzle count, and a builder limited later',
      file: 'src/app.ts',
      code: `${DRIZZLE}app.get('/posts', async (c) => {\n  const [{ n }] = await db.select({ n: count() }).from(posts);\n  const query = db.select().from(posts);\n  return c.json({ n, rows: await query.limit(10) });\n});\n`,
      why: 'an aggregate; a builder composed further before it runs',
    },
    {
      name: 'Knex first, and a filter by a route parameter',
      file: 'src/app.ts',
      code: `${KNEX}router.get('/posts/:id', async (ctx) => {\n  ctx.body = { post: await db('posts').where({ id: ctx.params.id }).first(), comments: await db('comments').where('post_id', ctx.params.id) };\n});\n`,
      why: 'one row; the comments of one post',
    },
    {
      name: 'Mongoose find with limit, and a filter from the request',
      file: 'src/app.ts',
      code: `${MONGOOSE}app.get('/posts', async (req, res) => {\n  const a = await Post.find({ published: true }).sort({ _id: -1 }).limit(20).lean();\n  const b = await Post.find({ author: req.query.author });\n  res.json([a, b]);\n});\n`,
      why: 'capped; filtered by the request',
    },
    {
      name: 'a query in a loop (the N+1 rule reports it)',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/feed', async (req, res) => {\n  const out = [];\n  for (const tag of ['a', 'b']) out.push(await prisma.post.findMany({ where: { tag } }));\n  res.json(out);\n});\n`,
      why: 'per-item queries are n-plus-one findings',
    },
    {
      name: 'a service method no handler calls',
      file: 'src/posts.service.ts',
      code: `import { Injectable } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Injectable()\nexport class PostsService {\n  constructor(private prisma: PrismaService) {}\n  rebuildIndex() {\n    return this.prisma.post.findMany();\n  }\n}\n`,
      why: 'not on a request path of this file',
    },
  ],
  invalid: [
    {
      name: 'Prisma findMany with no options in an Express handler',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/posts', async (req, res) => {\n  const posts = await prisma.post.findMany();\n  res.json(posts);\n});\n`,
      findings: [{ line: 6, message: /`prisma\.post\.findMany` returns every row of `post` in the express handler `GET \/posts`: nothing in the request bounds it.*`take` with a `cursor`/ }],
      output: `${PRISMA}app.get('/posts', async (req, res) => {\n  const posts = await prisma.post.findMany({ orderBy: { id: 'asc' }, take: 100, ...(req.query.after ? { cursor: { id: Number(req.query.after) }, skip: 1 } : {}) });\n  res.json(posts);\n});\n`,
    },
    {
      name: 'Prisma findMany filtered by constants, ordered by the request',
      file: 'src/app.ts',
      code: `${PRISMA}app.get('/posts', async (req, res) => {\n  const sort = String(req.query.sort ?? 'createdAt');\n  res.json(await prisma.post.findMany({\n    where: { published: true, deletedAt: null },\n    orderBy: { [sort]: 'desc' },\n    include: { author: true },\n  }));\n});\n`,
      findings: [{ line: 7, message: /every row of `post` that its constant filter matches/ }],
      output: `${PRISMA}app.get('/posts', async (req, res) => {\n  const sort = String(req.query.sort ?? 'createdAt');\n  res.json(await prisma.post.findMany({\n    where: { published: true, deletedAt: null },\n    orderBy: { [sort]: 'desc' },\n    include: { author: true },\n    take: 100, ...(req.query.after ? { cursor: { id: Number(req.query.after) }, skip: 1 } : {}),\n  }));\n});\n`,
    },
    {
      name: 'Prisma in a helper the handler calls',
      file: 'src/app.ts',
      code: `${PRISMA}async function allTags() {\n  return prisma.tag.findMany({ orderBy: { name: 'asc' } });\n}\napp.get('/tags', async (req, res) => res.json(await allTags()));\n`,
      findings: [{ line: 6, message: /in `allTags`, which the express handler `GET \/tags` calls/ }],
      output: `${PRISMA}async function allTags() {\n  return prisma.tag.findMany({ orderBy: { name: 'asc' }, take: 100 });\n}\napp.get('/tags', async (req, res) => res.json(await allTags()));\n`,
    },
    {
      name: 'Next.js route handler',
      file: 'app/api/posts/route.ts',
      code: `import { prisma } from '@/lib/prisma';\nexport async function GET() {\n  return Response.json(await prisma.post.findMany({ where: { published: true } }));\n}\n`,
      findings: [{ line: 3, message: /nextjs handler `GET`/ }],
      output: `import { prisma } from '@/lib/prisma';\nexport async function GET() {\n  return Response.json(await prisma.post.findMany({ where: { published: true }, take: 100 }));\n}\n`,
    },
    {
      name: 'TypeORM find with relations in a NestJS controller',
      file: 'src/posts.controller.ts',
      code: `import { Controller, Get } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Post } from './post.entity';\n@Controller('posts')\nexport class PostsController {\n  constructor(@InjectRepository(Post) private posts: Repository<Post>) {}\n  @Get()\n  list() {\n    return this.posts.find({ relations: { author: true } });\n  }\n}\n`,
      findings: [{ line: 10, message: /nestjs handler `list`/ }],
      output: `import { Controller, Get } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Post } from './post.entity';\n@Controller('posts')\nexport class PostsController {\n  constructor(@InjectRepository(Post) private posts: Repository<Post>) {}\n  @Get()\n  list() {\n    return this.posts.find({ relations: { author: true }, take: 100 });\n  }\n}\n`,
    },
    {
      name: 'TypeORM findBy a constant becomes find with where and take',
      file: 'src/app.ts',
      code: `${TYPEORM}app.get('/posts', async (req, res) => {\n  res.json(await postRepository.findBy({ published: true }));\n});\n`,
      findings: [{ line: 8, message: /every row of `Post` that its constant filter matches/ }],
      output: `${TYPEORM}app.get('/posts', async (req, res) => {\n  res.json(await postRepository.find({ where: { published: true }, take: 100 }));\n});\n`,
    },
    {
      name: 'TypeORM query builder getMany',
      file: 'src/app.ts',
      code: `${TYPEORM}app.get('/posts', async (req, res) => {\n  res.json(await postRepository.createQueryBuilder('post').leftJoinAndSelect('post.author', 'author').where('post.published = :p', { p: true }).getMany());\n});\n`,
      findings: [{ line: 8 }],
      output: `${TYPEORM}app.get('/posts', async (req, res) => {\n  res.json(await postRepository.createQueryBuilder('post').leftJoinAndSelect('post.author', 'author').where('post.published = :p', { p: true }).take(100).getMany());\n});\n`,
    },
    {
      name: 'Sequelize findAll',
      file: 'src/app.ts',
      code: `${SEQUELIZE}app.get('/posts', async (req, res) => {\n  res.json(await Post.findAll({ where: { status: 'published' }, order: [['id', 'DESC']] }));\n});\n`,
      findings: [{ line: 6, message: /`limit` and a keyset `where`/ }],
      output: `${SEQUELIZE}app.get('/posts', async (req, res) => {\n  res.json(await Post.findAll({ where: { status: 'published' }, order: [['id', 'DESC']], limit: 100 }));\n});\n`,
    },
    {
      name: 'MikroORM em.find with an empty filter',
      file: 'src/app.ts',
      code: `${MIKRO}app.get('/books', async (req, res) => {\n  const em = req.em;\n  res.json(await em.find(Book, {}));\n});\n`,
      findings: [{ line: 7, message: /every row of `Book` in/ }],
      output: `${MIKRO}app.get('/books', async (req, res) => {\n  const em = req.em;\n  res.json(await em.find(Book, {}, { limit: 100 }));\n});\n`,
    },
    {
      name: 'Mongoose find and a find chain',
      file: 'src/app.ts',
      code: `${MONGOOSE}app.get('/posts', async (req, res) => {\n  const all = await Post.find();\n  const recent = await Post.find({ published: true }).sort({ createdAt: -1 }).lean();\n  res.json({ all, recent });\n});\n`,
      findings: [{ line: 6 }, { line: 7, message: /`\.limit\(\)` and a keyset filter on `_id`/ }],
      output: `${MONGOOSE}app.get('/posts', async (req, res) => {\n  const all = await Post.find().limit(100);\n  const recent = await Post.find({ published: true }).sort({ createdAt: -1 }).lean();\n  res.json({ all, recent });\n});\n`,
    },
    {
      name: 'Mongoose chain: the limit goes before lean()',
      file: 'src/app.ts',
      code: `${MONGOOSE}app.get('/posts', async (req, res) => {\n  res.json(await Post.find({ published: true }).sort({ createdAt: -1 }).lean());\n});\n`,
      findings: [{ line: 6 }],
      output: `${MONGOOSE}app.get('/posts', async (req, res) => {\n  res.json(await Post.find({ published: true }).sort({ createdAt: -1 }).limit(100).lean());\n});\n`,
    },
    {
      name: 'Drizzle select from a table, and the relational findMany',
      file: 'src/app.ts',
      code: `${DRIZZLE}app.get('/posts', async (c) => {\n  const rows = await db.select().from(posts).where(eq(posts.published, true));\n  const withAuthors = await db.query.posts.findMany({ with: { author: true } });\n  return c.json({ rows, withAuthors });\n});\n`,
      findings: [{ line: 8, message: /every row of `posts` that its constant filter matches in the hono handler `GET \/posts`/ }, { line: 9 }],
      output: `${DRIZZLE}app.get('/posts', async (c) => {\n  const rows = await db.select().from(posts).where(eq(posts.published, true)).limit(100);\n  const withAuthors = await db.query.posts.findMany({ with: { author: true } });\n  return c.json({ rows, withAuthors });\n});\n`,
    },
    {
      name: 'Drizzle relational where callback reads its own parameters only',
      file: 'src/app.ts',
      code: `${DRIZZLE}app.get('/posts', async (c) => {\n  const posts = await db.query.posts.findMany({ where: (p, { eq }) => eq(p.published, true) });\n  return c.json(posts);\n});\n`,
      findings: [{ line: 8 }],
      output: `${DRIZZLE}app.get('/posts', async (c) => {\n  const posts = await db.query.posts.findMany({ where: (p, { eq }) => eq(p.published, true), limit: 100 });\n  return c.json(posts);\n});\n`,
    },
    {
      name: 'Kysely execute',
      file: 'src/app.ts',
      code: `${KYSELY}app.get('/posts', async () => {\n  return db.selectFrom('post').selectAll().where('published', '=', true).orderBy('id', 'desc').execute();\n});\n`,
      findings: [{ line: 6, message: /fastify handler/ }],
      output: `${KYSELY}app.get('/posts', async () => {\n  return db.selectFrom('post').selectAll().where('published', '=', true).orderBy('id', 'desc').limit(100).execute();\n});\n`,
    },
    {
      name: 'Knex select awaited in a Koa route',
      file: 'src/app.ts',
      code: `${KNEX}router.get('/posts', async (ctx) => {\n  ctx.body = await db('posts').select('id', 'title').orderBy('id', 'desc');\n});\n`,
      findings: [{ line: 7, message: /koa handler `GET \/posts`/ }],
      output: `${KNEX}router.get('/posts', async (ctx) => {\n  ctx.body = await db('posts').select('id', 'title').orderBy('id', 'desc').limit(100);\n});\n`,
    },
  ],
});

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'a service method that pages, called from a controller',
      file: 'src/posts/posts.controller.ts',
      workspace: { 'src/posts/posts.service.ts': `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Post } from './post.entity';\n\n@Injectable()\nexport class PostsService {\n  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}\n\n  page(after: number) {\n    return this.posts.find({ where: { published: true }, order: { id: 'ASC' }, take: 20 });\n  }\n}\n` },
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { PostsService } from './posts.service';\n\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly postsService: PostsService) {}\n\n  @Get()\n  list(@Query('after') after: number) {\n    return this.postsService.page(after);\n  }\n}\n`,
      why: 'the service caps its read',
    },
  ],
  invalid: [
    {
      name: 'a NestJS controller calling a service that reads every row',
      file: 'src/posts/posts.controller.ts',
      workspace: { 'src/posts/posts.service.ts': `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Post } from './post.entity';\n\n@Injectable()\nexport class PostsService {\n  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}\n\n  findAll() {\n    return this.posts.find({ relations: { author: true } });\n  }\n}\n` },
      code: `import { Controller, Get } from '@nestjs/common';\nimport { PostsService } from './posts.service';\n\n@Controller('posts')\nexport class PostsController {\n  constructor(private readonly postsService: PostsService) {}\n\n  @Get()\n  list() {\n    return this.postsService.findAll();\n  }\n}\n`,
      findings: [{ line: 10, message: /`this\.posts\.find` returns every row of `Post` in `this\.postsService\.findAll`, which the nestjs handler `list` calls/ }],
      noFix: true,
    },
  ],
});

const PG = `import express from 'express';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst app = express();\n`;

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'raw SQL with a LIMIT, a parameter, a count, or an interpolated value',
      file: 'src/app.ts',
      code: `${PG}app.get('/posts', async (req, res) => {\n  const a = await pool.query('SELECT id, title FROM posts ORDER BY id DESC LIMIT 20');\n  const b = await pool.query('SELECT * FROM posts WHERE author_id = $1', [req.query.author]);\n  const c = await pool.query('SELECT count(*) AS n FROM posts');\n  const d = await pool.query(\`SELECT * FROM posts WHERE author_id = \${Number(req.query.author)}\`);\n  res.json({ a: a.rows, b: b.rows, c: c.rows, d: d.rows });\n});\n`,
      why: 'capped; filtered by the request; one row; filtered by a value of the request',
    },
    {
      name: 'raw SQL grouped',
      file: 'src/app.ts',
      code: `${PG}app.get('/stats', async (req, res) => {\n  res.json((await pool.query('SELECT author_id, count(*) FROM posts GROUP BY author_id')).rows);\n});\n`,
      why: 'one row per group (not the rule\'s case)',
    },
  ],
  invalid: [
    {
      name: 'node-postgres: every row of a table',
      file: 'src/app.ts',
      code: `${PG}app.get('/posts', async (req, res) => {\n  const { rows } = await pool.query('SELECT id, title FROM posts WHERE published ORDER BY id DESC');\n  res.json(rows);\n});\n`,
      findings: [{ line: 6, message: /`pool\.query` returns every row of `posts` that its constant filter matches in the express handler `GET \/posts`.*`LIMIT` and a keyset `WHERE`/ }],
      output: `${PG}app.get('/posts', async (req, res) => {\n  const { rows } = await pool.query('SELECT id, title FROM posts WHERE published ORDER BY id DESC LIMIT 100');\n  res.json(rows);\n});\n`,
    },
    {
      name: 'a tagged template (postgres.js) in a Next.js route',
      file: 'app/api/tags/route.ts',
      code: `import postgres from 'postgres';\nconst sql = postgres();\nexport async function GET() {\n  return Response.json(await sql\`\n    SELECT name FROM tags ORDER BY name\n  \`);\n}\n`,
      findings: [{ line: 4, message: /every row of `tags` in the nextjs handler `GET`/ }],
      output: `import postgres from 'postgres';\nconst sql = postgres();\nexport async function GET() {\n  return Response.json(await sql\`\n    SELECT name FROM tags ORDER BY name LIMIT 100\n  \`);\n}\n`,
    },
  ],
});

describe('unbounded-result-set: the Prisma paging fix', () => {
  it('pages with a cursor first, caps second; a NestJS route gets its cursor as a @Query parameter; the id is parsed as the schema types it', async () => {
    const engine = await testEngine();
    const code = `${PRISMA}app.get('/posts', async (req, res) => {\n  res.json(await prisma.post.findMany());\n});\n`;
    const [finding] = lintText(engine, code, 'src/app.ts').findings.filter((f) => f.ruleId === 'unbounded-result-set');
    assert.deepEqual(finding.fixes.map((f) => f.title), ["Page it: 100 rows at a time, after the id the request names (`?after=`, Prisma's cursor)", 'Cap the rows returned (`take: 100`)']);
    const nest = `import { Controller, Get } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Controller('posts')\nexport class PostsController {\n  constructor(private prisma: PrismaService) {}\n  @Get()\n  list() {\n    return this.prisma.post.findMany();\n  }\n}\n`;
    const [n] = lintText(engine, nest, 'src/posts.controller.ts').findings.filter((f) => f.ruleId === 'unbounded-result-set');
    const edits = n.fixes[0].edits.map((e) => e.newText);
    assert.ok(edits.includes("@Query('after') after?: string"), edits.join(' | '));
    assert.ok(edits.some((t) => t.includes('...(after ? { cursor: { id: Number(after) }, skip: 1 } : {})')), edits.join(' | '));
    assert.ok(edits.some((t) => /import \{ Controller, Get, Query \}|, Query/.test(t)), edits.join(' | '));
  });

  it('a read in a helper, or a Next.js handler without a request parameter, gets the cap only', async () => {
    const engine = await testEngine();
    const helper = `${PRISMA}async function all() {\n  return prisma.post.findMany();\n}\napp.get('/posts', async (req, res) => res.json(await all()));\n`;
    const next = `import { prisma } from '@/lib/prisma';\nexport async function GET() {\n  return Response.json(await prisma.post.findMany());\n}\n`;
    for (const [code, file] of [[helper, 'src/app.ts'], [next, 'app/api/posts/route.ts']]) {
      const [f] = lintText(engine, code, file).findings.filter((x) => x.ruleId === 'unbounded-result-set');
      assert.deepEqual(f.fixes.map((x) => x.title), ['Cap the rows returned (`take: 100`)']);
    }
  });
});

describe('unbounded-result-set: perflens.smallTables', () => {
  it('matches a listed model in any case or number, and as the end of a table name', () => {
    assert.ok(isSmallTable('Country', ['country']));
    assert.ok(isSmallTable('countries', ['Country']));
    assert.ok(isSmallTable('geo_country', ['Country']));
    assert.ok(isSmallTable('BlogCategory', ['category']));
    assert.ok(isSmallTable('blog_categories', ['BlogCategory']));
    assert.ok(!isSmallTable('Post', ['Country']));
    assert.ok(!isSmallTable('country_post', ['Country']));
    assert.ok(!isSmallTable('Address', ['dress']));
  });

  it('leaves reads of the listed tables alone, and reports the others', async () => {
    const engine = await testEngine();
    const code = `${PRISMA}app.get('/form', async (req, res) => {\n  res.json({ countries: await prisma.country.findMany(), posts: await prisma.post.findMany() });\n});\n`;
    const found = (settings: object) => lintText(engine, code, 'src/app.ts', settings).findings.filter((f) => f.ruleId === 'unbounded-result-set').map((f) => f.message.split(' ')[0]);
    assert.deepEqual(found({}), ['`prisma.country.findMany`', '`prisma.post.findMany`']);
    assert.deepEqual(found({ smallTables: ['Country'] }), ['`prisma.post.findMany`']);
  });
});

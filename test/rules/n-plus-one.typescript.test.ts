import { ruleTests } from '../harness/rule-tester';

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Map#set, Set#delete and hash update chains in a loop',
      file: 'a.ts',
      code: `import { createHash } from 'node:crypto';\nimport knex from 'knex';\nexport function f(ids: number[], seen: Set<number>, m: Map<number, number>, files: { body: string }[]) {\n  for (const id of ids) {\n    m.set(id, 1).set(id + 1, 2);\n    seen.delete(id);\n    Object.values({ id }).values();\n  }\n  return files.map((f) => createHash('md5').update(f.body).digest('hex'));\n}\n`,
      why: 'collections share write methods with query builders; only a known builder chain is a query',
    },
    {
      name: 'a class from the app with find({ where }) options (Sequelize-style, not a Mongoose filter), and a package class with a filter',
      file: 'a.js',
      code: `const { Post } = require('./models');\nconst { Cache } = require('some-cache');\nasync function f(ids) {\n  for (const id of ids) await Cache.find({ key: id });\n  const posts = await Post.find({ where: { id: ids } });\n  return posts;\n}\n`,
      why: 'only a model of the app\'s own modules with a filter is taken for Mongoose; the package\'s class is not known to query',
    },
    {
      name: 'create(values) per item on a class of the app, when nothing in the file says which library its models are; a package class\'s create',
      file: 'a.js',
      code: `const { Invoice } = require('./billing');\nconst { Logger } = require('winston-wrapper');\nasync function f(rows) {\n  for (const row of rows) {\n    await Invoice.create({ total: row.total });\n    Logger.create({ level: row.level });\n  }\n}\n`,
      why: 'Sequelize and Mongoose models both have create(values), and so do other classes: without a call only one library has, no library is guessed',
    },
    {
      name: 'create(…) factories of domain classes per item (Ghost\'s events and entities), in files that use Bookshelf\'s findAll and query({ where })',
      file: 'services/members.js',
      code: `const DomainEvents = require('@tryghost/domain-events');\nconst { OfferRedemptionEvent } = require('../shared/events');\nconst Offer = require('./domain/models/offer');\nexports.redeem = async (subscriptions, models, OfferModel) => {\n  for (const s of subscriptions) {\n    DomainEvents.dispatch(OfferRedemptionEvent.create({ offerId: s.offer }));\n  }\n  for (const m of models) {\n    await Offer.create({ id: m.id, name: m.name });\n  }\n  const rows = await OfferModel.findAll({ withRelated: ['product'] });\n  return OfferModel.query({ where: { id: rows[0].id } }).fetchOne();\n};\n`,
      why: 'a static create is a factory on many classes; only a module of models with calls only Sequelize or Mongoose has (findByPk, Op.…, findById, populate…) says whose create it is',
    },
    {
      name: 'a create per item of a class from the app\'s models module that the workspace does not define as a Sequelize model',
      file: 'routes/posts.js',
      workspace: { 'models/post.js': `class Post {\n  static create(values) {\n    return new Post(values);\n  }\n}\nmodule.exports = { Post };\n` },
      code: `const { Post } = require('../models');\nexports.publish = async (titles) => {\n  for (const title of titles) {\n    await Post.create({ title });\n  }\n};\n`,
      why: 'without a call only one library has, the workspace\'s models say whose create it is; a plain class with a static create is none',
    },
    {
      name: 'update and destroy per item without a `where` option (not Sequelize\'s shape) on a class of the app',
      file: 'a.js',
      code: `const { Post } = require('./models');\nasync function f(ids) {\n  for (const id of ids) {\n    await Post.update(id, { views: 0 });\n    await Post.destroy(id);\n  }\n}\n`,
      why: 'Sequelize\'s update and destroy take `{ where }`; these are other classes\' methods',
    },
    {
      name: 'Array.prototype.find in a loop',
      file: 'a.ts',
      code: `import { Repository } from 'typeorm';\nexport function f(users: User[], posts: Post[]) {\n  for (const post of posts) {\n    const author = users.find((u) => u.id === post.authorId);\n  }\n}\n`,
      why: 'in-memory lookup with a callback: not a query',
    },
    {
      name: 'Map.get in a loop',
      file: 'a.ts',
      code: `${PRISMA}export async function f(posts: Post[], byId: Map<number, User>) {\n  for (const post of posts) console.log(byId.get(post.authorId));\n}\n`,
      why: 'a map lookup is not a query',
    },
    {
      name: 'Prisma findUnique in Promise.all(xs.map(...))',
      file: 'a.ts',
      code: `${PRISMA}export async function f(posts: Post[]) {\n  return Promise.all(posts.map((post) => prisma.user.findUnique({ where: { id: post.authorId } })));\n}\n`,
      why: "Prisma's dataloader batches findUnique calls issued in the same tick into one query",
    },
    {
      name: 'a retry loop',
      file: 'a.ts',
      code: `${PRISMA}export async function f(id: number) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await prisma.user.findUniqueOrThrow({ where: { id } });\n    } catch {}\n  }\n}\n`,
      why: 'the query does not depend on the loop item',
    },
    {
      name: 'a paging loop fetching a batch per iteration',
      file: 'a.ts',
      code: `${PRISMA}export async function f() {\n  for (let batch = 0; ; batch++) {\n    const rows = await prisma.post.findMany({ orderBy: { id: 'asc' }, skip: batch * 500, take: 500 });\n    if (rows.length === 0) break;\n  }\n}\n`,
      why: 'one query per batch of rows, not per row (its offset is offset-pagination territory)',
    },
    {
      name: 'a query in a helper defined inside the loop body',
      file: 'a.ts',
      code: `${PRISMA}export function f(posts: Post[]) {\n  for (const post of posts) {\n    const load = () => prisma.user.findMany();\n    register(post, load);\n  }\n}\n`,
      why: "the helper's query is not run per item here, and does not use the item",
    },
    {
      name: 'eager loading with include instead of a loop',
      file: 'a.ts',
      code: `${PRISMA}export async function f() {\n  const posts = await prisma.post.findMany({ include: { author: true } });\n  for (const post of posts) console.log(post.author.name);\n}\n`,
      why: 'the relation is loaded by the query that produced the items',
    },
  ],
  invalid: [
    {
      name: 'Prisma findUnique per item of a for…of',
      file: 'a.ts',
      code: `${PRISMA}export async function f(posts: Post[]) {\n  for (const post of posts) {\n    const author = await prisma.user.findUnique({ where: { id: post.authorId } });\n    console.log(author?.name);\n  }\n}\n`,
      findings: [{ line: 5, message: /`prisma\.user\.findUnique` runs once per item of `posts` \(N\+1\).*findMany\(\{ where: \{ id: \{ in: ids \} \} \}\)/ }],
      output: `${PRISMA}export async function f(posts: Post[]) {\n  const userById = new Map(\n    (await prisma.user.findMany({ where: { id: { in: posts.map((post) => post.authorId) } } })).map((row) => [row.id, row]),\n  );\n  for (const post of posts) {\n    const author = (userById.get(post.authorId) ?? null);\n    console.log(author?.name);\n  }\n}\n`,
    },
    {
      name: 'Prisma findFirst in a map callback with sequential awaits',
      file: 'a.ts',
      code: `${PRISMA}export async function f(orders: Order[]) {\n  const out = [];\n  for (const order of orders) out.push(await prisma.customer.findFirst({ where: { email: order.email } }));\n  return out;\n}\n`,
      findings: [{ line: 5 }],
    },
    {
      name: 'Prisma findFirst in Promise.all(xs.map(...)) is not batched',
      file: 'a.ts',
      code: `${PRISMA}export async function f(orders: Order[]) {\n  return Promise.all(orders.map(async (order) => prisma.customer.findFirst({ where: { email: order.email } })));\n}\n`,
      findings: [{ line: 4 }],
      output: `${PRISMA}export async function f(orders: Order[]) {\n  const customerByEmail = new Map(\n    (await prisma.customer.findMany({ where: { email: { in: orders.map((order) => order.email) } } })).map((row) => [row.email, row]),\n  );\n  return Promise.all(orders.map(async (order) => (customerByEmail.get(order.email) ?? null)));\n}\n`,
    },
    {
      name: 'through a local derived from the item',
      file: 'a.ts',
      code: `${PRISMA}export async function f(posts: Post[]) {\n  for (const post of posts) {\n    const authorId = post.authorId;\n    await prisma.user.findUnique({ where: { id: authorId } });\n  }\n}\n`,
      findings: [{ line: 6 }],
    },
    {
      name: 'writes per item',
      file: 'a.ts',
      code: `${PRISMA}export async function f(rows: Row[]) {\n  for (const row of rows) {\n    await prisma.event.create({ data: { name: row.name } });\n  }\n}\n`,
      findings: [{ line: 5, message: /N\+1 writes.*createMany/ }],
    },
    {
      name: 'TypeORM repository in forEach',
      file: 'a.ts',
      code: `import { Repository } from 'typeorm';\nexport function f(repo: Repository<User>, ids: number[]) {\n  ids.forEach(async (id) => {\n    await repo.findOneBy({ id });\n  });\n}\n`,
      findings: [{ line: 4, message: /In\(ids\)/ }],
    },
    {
      name: 'Sequelize findByPk per item, models from a local folder',
      file: 'a.js',
      code: `const { User } = require('../models');\nasync function f(posts) {\n  for (const post of posts) {\n    post.author = await User.findByPk(post.userId, { attributes: ['id', 'name'] });\n  }\n}\n`,
      findings: [{ line: 4 }],
    },
    {
      name: 'sequelize-cli models required from the app (no sequelize import in the file): create, update and destroy with `where` per item',
      file: 'routes/posts.js',
      code: `const { Post } = require('../models');\nexports.publish = async (titles, ids) => {\n  for (const title of titles) {\n    await Post.create({ title });\n  }\n  for (const id of ids) {\n    await Post.update({ views: 0 }, { where: { id } });\n    await Post.destroy({ where: { id } });\n  }\n  return Post.findByPk(ids[0]);\n};\n`,
      findings: [
        { line: 4, message: /`Post\.create` writes once per item of `titles`.*one `bulkCreate\(\[\.\.\.\]\)`/ },
        { line: 7, message: /`Post\.update` writes once per item of `ids`/ },
        { line: 8, message: /`Post\.destroy` writes once per item of `ids`/ },
      ],
    },
    {
      name: 'sequelize-cli: a create per item of a model the workspace defines with Model.init (the file itself shows no library)',
      file: 'routes/posts.js',
      workspace: {
        'models/post.js': `'use strict';\nconst { Model } = require('sequelize');\nmodule.exports = (sequelize, DataTypes) => {\n  class Post extends Model {}\n  Post.init({ title: DataTypes.STRING }, { sequelize, modelName: 'Post' });\n  return Post;\n};\n`,
      },
      code: `const { Post } = require('../models');\nexports.publish = async (titles) => {\n  for (const title of titles) {\n    await Post.create({ title });\n  }\n  return Post.findAll();\n};\n`,
      findings: [{ line: 4, message: /`Post\.create` writes once per item of `titles`.*one `bulkCreate\(\[\.\.\.\]\)`/ }],
    },
    {
      name: 'Mongoose models required from the app: create per item, the file\'s findById saying which library',
      file: 'routes/posts.js',
      code: `const { Post } = require('../models');\nexports.copy = async (id, titles) => {\n  const post = await Post.findById(id);\n  for (const title of titles) {\n    await Post.create({ title, body: post.body });\n  }\n};\n`,
      findings: [{ line: 5, message: /`Post\.create` writes once per item of `titles`.*insertMany/ }],
    },
    {
      name: 'Mongoose models required from the app (no mongoose import in the file): find, findOne and updateOne with filters per item',
      file: 'routes/posts.js',
      code: `const { Post } = require('../models');\nexports.byAuthors = async (ids) => {\n  for (const id of ids) await Post.find({ author: id });\n  for (const id of ids) await Post.findOne({ _id: id });\n  ids.forEach(async (id) => {\n    await Post.updateOne({ _id: id }, { seen: true });\n  });\n};\n`,
      findings: [{ line: 3, message: /`Post\.find` runs once per item of `ids`/ }, { line: 4, message: /`Post\.findOne`/ }, { line: 6, message: /`Post\.updateOne` writes once per item/ }],
    },
    {
      name: 'one insert per item: Kysely insertInto (in a transaction too), Drizzle insert, Knex insert',
      file: 'a.ts',
      code: `import { Kysely } from 'kysely';\nimport { db as drizzleDb } from './drizzle';\nimport { tags } from './schema';\nimport 'drizzle-orm';\nimport knex from 'knex';\ndeclare const db: Kysely<any>;\nconst k = knex({});\nexport async function f(orderId: number, lines: Line[], labels: string[]) {\n  await db.transaction().execute(async (trx) => {\n    for (const line of lines) await trx.insertInto('order_item').values({ order_id: orderId, product_id: line.productId }).execute();\n  });\n  for (const label of labels) await drizzleDb.insert(tags).values({ label });\n  for (const label of labels) await k('tags').insert({ label });\n}\n`,
      findings: [{ line: 10, message: /`trx\.insertInto` writes once per item of `lines`/ }, { line: 12, message: /`drizzleDb\.insert` writes once per item of `labels`/ }, { line: 13, message: /writes once per item of `labels`/ }],
    },
    {
      name: 'Mongoose findById per item',
      file: 'a.ts',
      code: `import mongoose from 'mongoose';\nexport async function f(User: mongoose.Model<any>, comments: Comment[]) {\n  for (const c of comments) {\n    c.author = await User.findById(c.authorId).lean();\n  }\n}\n`,
      findings: [{ line: 4 }],
    },
    {
      name: 'Knex per item in a classic for loop',
      file: 'a.ts',
      code: `import knex from 'knex';\nconst db = knex({});\nexport async function f(ids: number[]) {\n  for (let i = 0; i < ids.length; i++) {\n    await db('users').where('id', ids[i]).first();\n  }\n}\n`,
      findings: [{ line: 5, message: /whereIn/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a loop over chunks of ids',
      file: 'a.ts',
      code: `import { Repository, In } from 'typeorm';\nexport async function f(repo: Repository<User>, ids: number[]) {\n  for (const chunk of chunkIds(ids)) await repo.find({ where: { id: In(chunk) } });\n}\n`,
      why: 'one query per batch of ids: batched access already',
    },
    {
      name: "TypeORM's create builds an entity in memory",
      file: 'a.ts',
      code: `import { Repository } from 'typeorm';\nexport function f(repo: Repository<Tag>, names: string[]) {\n  return names.map((name) => repo.create({ name }));\n}\n`,
      why: 'Repository.create does not touch the database',
    },
    {
      name: "a loop over an object's fields",
      file: 'a.ts',
      code: `import knex from 'knex';\nconst db = knex({});\nexport async function f(attributes: Record<string, string>) {\n  for (const name of Object.keys(attributes)) await db('meta').where('name', name).first();\n}\n`,
      why: 'bounded by the schema, not by the data',
    },
    {
      name: 'array sort and find chains',
      file: 'a.ts',
      code: `import { Repository } from 'typeorm';\nexport function f(rows: Row[], values: string[]) {\n  for (const v of values) {\n    const parts = v.split(',').sort();\n    rows.filter((r) => r.id === v).map((r) => r.name);\n  }\n}\n`,
      why: 'string and array methods that share names with query methods',
    },
  ],
  invalid: [],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a query helper called once, outside any loop',
      file: 'a.ts',
      code: `${PRISMA}async function loadAuthor(id: number) {\n  return prisma.user.findUnique({ where: { id } });\n}\nexport async function f(post: Post) {\n  return loadAuthor(post.authorId);\n}\n`,
      why: 'one call, one query',
    },
  ],
  invalid: [
    {
      name: 'a count per item: the advice is one grouped count',
      file: 'counts.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport function counts(em: EntityManager, authors: { id: number }[]) {\n  return Promise.all(authors.map((a) => em.count(Book, { author: a.id })));\n}\n`,
      findings: [{ line: 3, message: /`em\.count` counts once per item of `authors` \(N\+1\): N queries where one would do\. Count them all in one grouped query with `createQueryBuilder\(Entity\)\.select\(\[key, 'count\(\*\)'\]\)/ }],
    },
    {
      name: 'a helper in the same file, called per item',
      file: 'a.ts',
      code: `${PRISMA}async function loadAuthor(id: number) {\n  return prisma.user.findUnique({ where: { id } });\n}\nexport async function f(posts: Post[]) {\n  for (const post of posts) {\n    await loadAuthor(post.authorId);\n  }\n}\n`,
      findings: [{ line: 8, message: /`loadAuthor` → `prisma\.user\.findUnique` runs a query once per item of `posts` \(N\+1\)/ }],
    },
    {
      name: 'a service method through another method, on this',
      file: 'users.service.ts',
      code: `import { Repository } from 'typeorm';\nexport class UserService {\n  constructor(private readonly usersRepo: Repository<User>) {}\n  get(id: number) {\n    return this.usersRepo.findOne({ where: { id } });\n  }\n  profile(id: number) {\n    return this.get(id);\n  }\n  async many(ids: number[]) {\n    return Promise.all(ids.map((id) => this.profile(id)));\n  }\n}\n`,
      findings: [{ line: 11, message: /`profile` → `get` → `this\.usersRepo\.findOne`/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'an imported function that issues no query',
      file: 'routes.ts',
      workspace: { 'format.ts': `export function formatName(u: { name: string }) {\n  return u.name.trim();\n}\n` },
      code: `import { formatName } from './format';\nexport function f(users: { name: string }[]) {\n  return users.map((u) => formatName(u));\n}\n`,
      why: 'no query behind it',
    },
    {
      name: 'CommonJS: a required helper that issues no query, and a package required whole',
      file: 'routes.js',
      workspace: { 'format.js': `exports.formatName = (u) => u.name.trim();\n` },
      code: `const { formatName } = require('./format');\nconst _ = require('lodash');\nfunction f(users) {\n  return users.map((u) => _.capitalize(formatName(u)));\n}\n`,
      why: 'no query behind either',
    },
    {
      name: 'an imported SQL constant run once, an imported string that is no SQL run per item, and SQLite\'s',
      file: 'routes.ts',
      workspace: { 'queries.ts': `export const FIND_USERS = 'SELECT id, name FROM users WHERE id = ANY($1)';\nexport const GREETING = 'hello';\nexport const TABLES = 'SELECT name FROM sqlite_master WHERE type = $1';\n` },
      code: `import { Pool } from 'pg';\nimport { FIND_USERS, GREETING, TABLES } from './queries';\nconst pool = new Pool();\nexport async function f(ids: number[], kinds: string[]) {\n  const { rows } = await pool.query(FIND_USERS, [ids]);\n  for (const id of ids) console.log(GREETING, id);\n  for (const kind of kinds) await pool.query(TABLES, [kind]);\n  return rows;\n}\n`,
      why: 'one query for all the users; the string is no query; SQLite answers small queries in-process',
    },
  ],
  invalid: [
    {
      name: 'SQL constants another file exports, run per item (ES import, namespace, CommonJS)',
      file: 'routes.js',
      workspace: {
        'queries.ts': `export const FIND_USER = 'SELECT id, name FROM users WHERE id = $1';\nconst TOUCH = \`UPDATE users SET seen_at = now() WHERE id = $1\`;\nexport { TOUCH };\n`,
        'sql.js': `exports.COUNT_POSTS = 'SELECT count(*) FROM posts WHERE author_id = $1';\n`,
      },
      code: `const { Pool } = require('pg');\nconst q = require('./queries');\nconst { COUNT_POSTS } = require('./sql');\nconst pool = new Pool();\nasync function f(ids) {\n  for (const id of ids) {\n    await pool.query(q.FIND_USER, [id]);\n    await pool.query(q.TOUCH, [id]);\n    await pool.query(COUNT_POSTS, [id]);\n  }\n}\nmodule.exports = { f };\n`,
      findings: [
        { line: 7, message: /^`pool\.query` runs once per item of `ids` \(N\+1\)/ },
        { line: 8, message: /^`pool\.query` writes once per item of `ids`/ },
        { line: 9, message: /^`pool\.query` counts once per item of `ids`/ },
      ],
    },
    {
      name: 'NestJS: a method of an injected service that queries, called per item',
      file: 'src/reports.controller.ts',
      workspace: { 'src/reports.service.ts': `import { Injectable } from '@nestjs/common';\nimport { EntityManager } from '@mikro-orm/postgresql';\nimport * as nodemailer from 'nodemailer';\n\n@Injectable()\nexport class ReportsService {\n  private readonly transport = nodemailer.createTransport({});\n  constructor(private readonly em: EntityManager) {}\n\n  async countFor(userId: number) {\n    return this.em.count('Order', { user: userId });\n  }\n\n  async mail(to: string) {\n    await this.transport.sendMail({ to, subject: 'hi' });\n  }\n}\n` },
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { ReportsService } from './reports.service';\n\n@Controller('reports')\nexport class ReportsController {\n  constructor(private readonly reports: ReportsService) {}\n\n  @Get()\n  async counts(@Query('ids') ids: string) {\n    const out = [];\n    for (const id of ids.split(',').map(Number)) out.push(await this.reports.countFor(id));\n    await this.reports.mail('ops@example.com');\n    return out;\n  }\n}\n`,
      findings: [{ line: 11, message: /`ReportsService\.countFor` → `this\.em\.count` runs a query once per item/ }],
    },
    {
      name: 'NestJS: a service method that calls the class\'s own query method, called per item',
      file: 'src/reports.controller.ts',
      workspace: { 'src/reports.service.ts': `import { Injectable } from '@nestjs/common';\nimport { EntityManager } from '@mikro-orm/postgresql';\n\n@Injectable()\nexport class ReportsService {\n  constructor(private readonly em: EntityManager) {}\n\n  countFor(userId: number) {\n    return this.em.count('Order', { user: userId });\n  }\n\n  async summary(userId: number) {\n    return { orders: await this.countFor(userId) };\n  }\n}\n` },
      code: `import { Controller, Get, Query } from '@nestjs/common';\nimport { ReportsService } from './reports.service';\n\n@Controller('reports')\nexport class ReportsController {\n  constructor(private readonly reports: ReportsService) {}\n\n  @Get()\n  async summaries(@Query('ids') ids: string) {\n    return Promise.all(ids.split(',').map((id) => this.reports.summary(Number(id))));\n  }\n}\n`,
      findings: [{ line: 10, message: /`ReportsService\.summary` → `countFor` → `this\.em\.count` runs a query once per item/ }],
    },
    {
      name: 'a query helper imported from another file, called per item',
      file: 'routes.ts',
      workspace: {
        'users.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function loadUser(id: number) {\n  return prisma.user.findUnique({ where: { id } });\n}\n`,
      },
      code: `import { loadUser } from './users.js';\nexport async function f(posts: { authorId: number }[]) {\n  for (const post of posts) {\n    await loadUser(post.authorId);\n  }\n}\n`,
      findings: [{ line: 4, message: /`loadUser` → `prisma\.user\.findUnique` runs a query once per item of `posts`/ }],
    },
    {
      name: 'CommonJS: a helper taken from require() by destructuring, exported with exports.name',
      file: 'routes.js',
      workspace: {
        'users.js': `const { User } = require('./models');\nexports.loadUser = async (id) => User.findByPk(id);\n`,
      },
      code: `const { loadUser } = require('./users');\nasync function f(posts) {\n  for (const post of posts) {\n    post.author = await loadUser(post.userId);\n  }\n}\nmodule.exports = { f };\n`,
      findings: [{ line: 4, message: /`loadUser` → `User\.findByPk` runs a query once per item of `posts`/ }],
    },
    {
      name: 'CommonJS: a module required whole, its helper exported in module.exports = { … }',
      file: 'routes.js',
      workspace: {
        'services/posts.js': `const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();\nasync function postsOf(authorId) {\n  return prisma.post.findMany({ where: { authorId } });\n}\nmodule.exports = { postsOf };\n`,
      },
      code: `const posts = require('./services/posts');\nasync function f(users) {\n  return Promise.all(users.map((user) => posts.postsOf(user.id)));\n}\nmodule.exports = { f };\n`,
      findings: [{ line: 3, message: /`postsOf` → `prisma\.post\.findMany` runs a query once per item of `users`/ }],
    },
    {
      name: 'CommonJS: one property of a required module (`require(…).loadUser`)',
      file: 'routes.js',
      workspace: {
        'users.js': `const { User } = require('./models');\nmodule.exports.loadUser = function (id) {\n  return User.findByPk(id);\n};\n`,
      },
      code: `const loadUser = require('./users').loadUser;\nasync function f(ids) {\n  for (const id of ids) await loadUser(id);\n}\n`,
      findings: [{ line: 3, message: /`loadUser` → `User\.findByPk`/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Sequelize findByPk per item: one findAll and a map',
      file: 'a.js',
      code: `const { User } = require('../models');\nasync function f(posts) {\n  for (const post of posts) {\n    post.author = await User.findByPk(post.userId);\n  }\n}\n`,
      findings: [{ line: 4 }],
      output: `const { User } = require('../models');\nasync function f(posts) {\n  const userById = new Map(\n    (await User.findAll({ where: { id: posts.map((post) => post.userId) } })).map((row) => [row.id, row]),\n  );\n  for (const post of posts) {\n    post.author = (userById.get(post.userId) ?? null);\n  }\n}\n`,
    },
    {
      name: 'TypeORM findOneBy per item: one findBy with In, imported',
      file: 'a.ts',
      code: `import { Repository } from 'typeorm';\nexport async function f(repo: Repository<User>, orders: Order[]) {\n  for (const order of orders) {\n    const user = await repo.findOneBy({ email: order.email });\n  }\n}\n`,
      findings: [{ line: 4 }],
      output: `import { Repository, In } from 'typeorm';\nexport async function f(repo: Repository<User>, orders: Order[]) {\n  const rowByEmail = new Map(\n    (await repo.findBy({ email: In(orders.map((order) => order.email)) })).map((row) => [row.email, row]),\n  );\n  for (const order of orders) {\n    const user = (rowByEmail.get(order.email) ?? null);\n  }\n}\n`,
    },
    {
      name: 'Mongoose findById().lean() per item: one find with $in, keyed by string ids',
      file: 'a.ts',
      code: `import mongoose from 'mongoose';\nexport async function f(User: mongoose.Model<any>, comments: Comment[]) {\n  for (const c of comments) {\n    c.author = await User.findById(c.authorId).lean();\n  }\n}\n`,
      findings: [{ line: 4 }],
      output: `import mongoose from 'mongoose';\nexport async function f(User: mongoose.Model<any>, comments: Comment[]) {\n  const userById = new Map(\n    (await User.find({ _id: { $in: comments.map((c) => c.authorId) } })).map((row) => [String(row._id), row]),\n  );\n  for (const c of comments) {\n    c.author = (userById.get(String(c.authorId)) ?? null);\n  }\n}\n`,
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a Query resolver is called once per request',
      file: 'resolvers.ts',
      code: `${PRISMA}export const resolvers = {\n  Query: {\n    post: (_: unknown, args: { id: number }) => prisma.post.findFirst({ where: { id: args.id } }),\n  },\n};\n`,
      why: 'root fields run once per operation',
    },
    {
      name: 'Prisma findUnique in a field resolver is batched by Prisma',
      file: 'resolvers.ts',
      code: `${PRISMA}export const resolvers = {\n  Post: {\n    author: (parent: { authorId: number }) => prisma.user.findUnique({ where: { id: parent.authorId } }),\n  },\n};\n`,
      why: "sibling resolvers run in the same tick; Prisma's dataloader batches findUnique",
    },
  ],
  invalid: [
    {
      name: 'a resolver map field resolver querying per parent',
      file: 'resolvers.ts',
      code: `${PRISMA}export const resolvers = {\n  Post: {\n    comments: (parent: { id: number }) => prisma.comment.findMany({ where: { postId: parent.id } }),\n  },\n};\n`,
      findings: [{ line: 5, message: /runs once per `Post` the query returns \(a GraphQL field resolver: N\+1\).*DataLoader/ }],
      output: `import { PrismaClient } from '@prisma/client';\nimport DataLoader from 'dataloader';\nconst prisma = new PrismaClient();\nconst commentsByPostIdLoader = new DataLoader(\n  async (keys: readonly any[]) => {\n    const rows = await prisma.comment.findMany({ where: { postId: { in: [...keys] } } });\n    const byKey = new Map<unknown, any[]>();\n    for (const row of rows) byKey.set(row.postId, [...(byKey.get(row.postId) ?? []), row]);\n    return keys.map((key) => byKey.get(key) ?? []);\n  },\n  { cache: false },\n);\n\nexport const resolvers = {\n  Post: {\n    comments: (parent: { id: number }) => commentsByPostIdLoader.load(parent.id),\n  },\n};\n`,
    },
    {
      name: 'a Sequelize field resolver looking up one row per parent (CommonJS) → DataLoader',
      file: 'resolvers.js',
      code: `const { User } = require('./models');\nconst resolvers = {\n  Post: {\n    author: (post) => User.findByPk(post.userId),\n  },\n};\nmodule.exports = { resolvers };\n`,
      findings: [{ line: 4 }],
      output: `const { User } = require('./models');\nconst DataLoader = require('dataloader');\nconst userLoader = new DataLoader(\n  async (keys) => {\n    const rows = await User.findAll({ where: { id: [...keys] } });\n    const byKey = new Map(rows.map((row) => [row.id, row]));\n    return keys.map((key) => byKey.get(key) ?? null);\n  },\n  { cache: false },\n);\n\nconst resolvers = {\n  Post: {\n    author: (post) => userLoader.load(post.userId),\n  },\n};\nmodule.exports = { resolvers };\n`,
    },
    {
      name: 'a NestJS @ResolveField with @Parent()',
      file: 'post.resolver.ts',
      code: `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';\nimport { Repository } from 'typeorm';\n@Resolver('Post')\nexport class PostResolver {\n  constructor(private readonly users: Repository<User>) {}\n  @ResolveField()\n  author(@Parent() post: Post) {\n    return this.users.findOneBy({ id: post.authorId });\n  }\n}\n`,
      findings: [{ line: 8, message: /once per `PostResolver`/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'the message counts the queries when the items come from a query with a limit',
      file: 'a.ts',
      code: `${PRISMA}export async function f() {\n  const orders = await prisma.order.findMany({ take: 50 });\n  for (const order of orders) {\n    await prisma.customer.findUnique({ where: { id: order.customerId } });\n  }\n}\n`,
      findings: [{ line: 6, message: /`prisma\.customer\.findUnique` runs once per item of `orders` \(N\+1\), up to 50 from `take: 50`: 51 queries where 2 would do\./ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'writes collected into prisma.$transaction([...])',
      file: 'a.ts',
      code: `${PRISMA}export async function f(posts: Post[]) {\n  await prisma.$transaction(posts.map((p) => prisma.post.update({ where: { id: p.id }, data: { slug: p.title } })));\n}\n`,
      why: 'the updates are sent as one batch in one round trip',
    },
  ],
  invalid: [],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Knex where().first() per item → whereIn and a map',
      file: 'a.js',
      code: `const knex = require('knex');\nconst db = knex({ client: 'pg' });\nasync function authors(posts) {\n  for (const post of posts) {\n    post.author = await db('users').where({ id: post.authorId }).first();\n  }\n}\n`,
      findings: [{ line: 5 }],
      output: `const knex = require('knex');\nconst db = knex({ client: 'pg' });\nasync function authors(posts) {\n  const usersIds = posts.map((post) => post.authorId);\n  const usersById = new Map((await db('users').whereIn('id', usersIds)).map((row) => [row.id, row]));\n  for (const post of posts) {\n    post.author = usersById.get(post.authorId);\n  }\n}\n`,
    },
    {
      name: "Kysely where('id', '=', k).executeTakeFirst() per item → 'in', guarded for no keys",
      file: 'a.ts',
      code: `import { Kysely } from 'kysely';\nexport async function authors(db: Kysely<DB>, posts: Post[]) {\n  for (const post of posts) {\n    const user = await db.selectFrom('users').selectAll().where('id', '=', post.authorId).executeTakeFirst();\n    console.log(user);\n  }\n}\n`,
      findings: [{ line: 4 }],
      output: `import { Kysely } from 'kysely';\nexport async function authors(db: Kysely<DB>, posts: Post[]) {\n  const usersIds = posts.map((post) => post.authorId);\n  const usersById = new Map((usersIds.length ? await db.selectFrom('users').selectAll().where('id', 'in', usersIds).execute() : []).map((row: any) => [row.id, row]));\n  for (const post of posts) {\n    const user = usersById.get(post.authorId);\n    console.log(user);\n  }\n}\n`,
    },
    {
      name: 'Drizzle select().from().where(eq()) per item → inArray, rows grouped per key',
      file: 'a.ts',
      code: `import { eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { users } from './schema';\nexport async function authors(posts: Post[]) {\n  for (const post of posts) {\n    const [user] = await db.select().from(users).where(eq(users.id, post.authorId));\n    console.log(user);\n  }\n}\n`,
      findings: [{ line: 6 }],
      output: `import { eq, inArray } from 'drizzle-orm';\nimport { db } from './db';\nimport { users } from './schema';\nexport async function authors(posts: Post[]) {\n  const usersIds = posts.map((post) => post.authorId);\n  const usersById = new Map<unknown, any[]>();\n  for (const row of (usersIds.length ? await db.select().from(users).where(inArray(users.id, usersIds)) : [])) usersById.set(row.id, [...(usersById.get(row.id) ?? []), row]);\n  for (const post of posts) {\n    const [user] = (usersById.get(post.authorId) ?? []);\n    console.log(user);\n  }\n}\n`,
    },
    {
      name: 'Drizzle relational query findFirst per item → findMany with inArray',
      file: 'a.ts',
      code: `import { eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { users } from './schema';\nexport async function authors(posts: Post[]) {\n  return Promise.all(posts.map(async (post) => ({ post, user: await db.query.users.findFirst({ where: eq(users.id, post.authorId) }) })));\n}\n`,
      findings: [{ line: 5 }],
    },
    {
      name: 'MikroORM em.findOne(User, id) per item → em.find with $in',
      file: 'a.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport async function authors(em: EntityManager, posts: Post[]) {\n  for (const post of posts) {\n    post.author = await em.findOne(User, post.authorId);\n  }\n}\n`,
      findings: [{ line: 4 }],
      output: `import { EntityManager } from '@mikro-orm/core';\nexport async function authors(em: EntityManager, posts: Post[]) {\n  const userIds = posts.map((post) => post.authorId);\n  const userById = new Map((await em.find(User, { id: { $in: userIds } })).map((row: any) => [row.id, row]));\n  for (const post of posts) {\n    post.author = (userById.get(post.authorId) ?? null);\n  }\n}\n`,
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Kysely updateTable per item: one UPDATE over the ids, not a multi-row insert',
      file: 'orders.ts',
      code: `import { Kysely } from 'kysely';\ndeclare const db: Kysely<any>;\nexport async function setStatus(ids: number[], status: string) {\n  for (const id of ids) {\n    await db.updateTable('order').set({ status }).where('id', '=', id).execute();\n  }\n}\n`,
      findings: [{ line: 5, message: /^(?!.*insertInto).*N\+1 writes.*Update them all with one `updateTable\(table\)\.set\(changes\)\.where\('id', 'in', ids\)` when every row gets the same change, else one `UPDATE … SET col = CASE id WHEN … END`\.$/ }],
    },
    {
      name: 'Kysely deleteFrom per item: one DELETE over the ids',
      file: 'items.ts',
      code: `import { Kysely } from 'kysely';\ndeclare const db: Kysely<any>;\nexport async function removeItems(ids: number[]) {\n  for (const id of ids) {\n    await db.deleteFrom('order_item').where('id', '=', id).execute();\n  }\n}\n`,
      findings: [{ line: 5, message: /^(?!.*insertInto).*Delete them all with one `deleteFrom\(table\)\.where\('id', 'in', ids\)`\.$/ }],
    },
    {
      name: 'Drizzle update per item: update().set().where(inArray(…))',
      file: 'posts.ts',
      code: `import { eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { posts } from './schema';\nexport async function publish(ids: number[]) {\n  for (const id of ids) {\n    await db.update(posts).set({ published: true }).where(eq(posts.id, id));\n  }\n}\n`,
      findings: [{ line: 6, message: /^(?!.*values\(\[).*Update them all with one `update\(table\)\.set\(changes\)\.where\(inArray\(table\.id, ids\)\)`/ }],
    },
    {
      name: 'Prisma delete per item: deleteMany, not createMany/updateMany',
      file: 'comments.ts',
      code: `${PRISMA}export async function purge(ids: number[]) {\n  for (const id of ids) {\n    await prisma.comment.delete({ where: { id } });\n  }\n}\n`,
      findings: [{ line: 5, message: /^(?!.*createMany)(?!.*updateMany).*Delete them all with one `deleteMany\(\{ where: \{ id: \{ in: ids \} \} \}\)`\.$/ }],
    },
    {
      name: 'Prisma update per item: updateMany for one change, else one transaction',
      file: 'comments.ts',
      code: `${PRISMA}export async function hide(ids: number[]) {\n  for (const id of ids) {\n    await prisma.comment.update({ where: { id }, data: { hidden: true } });\n  }\n}\n`,
      findings: [{ line: 5, message: /Update them all with one `updateMany\(\{ where: \{ id: \{ in: ids \} \}, data \}\)` when every row gets the same change, else send the updates together in one `\$transaction\(\[\.\.\.\]\)`\.$/ }],
    },
    {
      name: 'Mongoose insertMany per item: one insertMany of every item\'s documents',
      file: 'events.ts',
      code: `import mongoose from 'mongoose';\nconst Event = mongoose.model('Event', new mongoose.Schema({ name: String }));\nexport async function record(groups: Array<{ events: object[] }>) {\n  for (const g of groups) {\n    await Event.insertMany(g.events);\n  }\n}\n`,
      findings: [{ line: 5, message: /^(?!.*bulkWrite).*Insert them all with one `insertMany\(\[\.\.\.\]\)` of every item's documents\.$/ }],
    },
    {
      name: 'a helper that deletes, called per item: the advice is a delete too',
      file: 'jobs.ts',
      workspace: { 'repo.ts': `${PRISMA}export async function removeComment(id: number) {\n  return prisma.comment.delete({ where: { id } });\n}\n` },
      code: `import { removeComment } from './repo';\nexport async function purge(ids: number[]) {\n  for (const id of ids) {\n    await removeComment(id);\n  }\n}\n`,
      findings: [{ line: 4, message: /^`removeComment` → `prisma\.comment\.delete` writes once per item of `ids` \(N\+1\)\. Make the helper take all the items and write them together\. Delete them all with one `deleteMany\(\{ where: \{ id: \{ in: ids \} \} \}\)`\.$/ }],
    },
    {
      name: "a repository's createMany that calls its own create per record, whose array branch calls createMany (NocoBase)",
      file: 'repository.js',
      code: `const { Model } = require('sequelize');\nclass Repository {\n  constructor(model) {\n    this.model = model;\n  }\n  async create(options) {\n    if (Array.isArray(options.values)) return this.createMany({ ...options, records: options.values });\n    return this.model.create(options.values, { transaction: options.transaction });\n  }\n  async createMany(options) {\n    const instances = [];\n    for (const values of options.records) instances.push(await this.create({ ...options, values }));\n    return instances;\n  }\n}\nmodule.exports = { Repository };\n`,
      // Once, as the write it is: not again as a helper call through the array branch back to createMany.
      findings: [{ line: 12, message: /^`this\.create` writes once per item of `options\.records` \(N\+1 writes\)/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Prisma: a chunk variable sliced from the ids, in a loop that steps by the chunk size',
      file: 'a.ts',
      code: `${PRISMA}export async function load(ids: number[]) {\n  const out = [];\n  for (let i = 0; i < ids.length; i += 500) {\n    const slice = ids.slice(i, i + 500);\n    out.push(...(await prisma.post.findMany({ where: { id: { in: slice } } })));\n  }\n  return out;\n}\n`,
      why: 'one query per 500 ids: batched already',
    },
    {
      name: 'TypeORM: In() over a slice, the index stepped with i = i + size',
      file: 'a.ts',
      code: `import { DataSource, In } from 'typeorm';\nexport async function load(ds: DataSource, ids: number[], size: number) {\n  const out = [];\n  for (let start = 0; start < ids.length; start = start + size) {\n    out.push(...(await ds.getRepository(Post).findBy({ id: In(ids.slice(start, start + size)) })));\n  }\n  return out;\n}\n`,
      why: 'one query per chunk of `size` ids',
    },
    {
      name: 'Knex whereIn, Kysely where(…, "in", …), Drizzle inArray over slices indexed by the page number',
      file: 'a.ts',
      code: `import knex from 'knex';\nimport { Kysely } from 'kysely';\nimport { inArray } from 'drizzle-orm';\nconst k = knex({});\nexport async function load(db: Kysely<DB>, d: any, ids: number[], pages: number) {\n  for (let p = 0; p < pages; p++) {\n    const part = ids.slice(p * 100, (p + 1) * 100);\n    await k('posts').whereIn('id', part);\n    await db.selectFrom('posts').selectAll().where('id', 'in', part).execute();\n    await d.select().from(posts).where(inArray(posts.id, part));\n  }\n}\n`,
      why: 'each page is a chunk of 100 ids',
    },
    {
      name: 'multi-row inserts of chunks: Drizzle values(batch), Knex insert(part), Sequelize bulkCreate (payload\'s SQLite insert)',
      file: 'a.js',
      code: `import knex from 'knex';\nconst k = knex({});\nexport async function insert(db, table, values, Post, max) {\n  const results = [];\n  for (let i = 0; i < values.length; i += max) {\n    const batch = values.slice(i, i + max);\n    results.push(...(await db.insert(table).values(batch).returning()));\n    await k('posts').insert(values.slice(i, i + max));\n    await Post.bulkCreate(batch);\n  }\n  return results;\n}\n`,
      why: 'one statement per chunk of rows: batched already',
    },
    {
      name: 'Drizzle builders composed into one query: a UNION of one select per table, subqueries by .as() and in sql templates (payload)',
      file: 'a.ts',
      code: `import { sql, count } from 'drizzle-orm';\nexport function union(db: any, tables: Array<{ name: string; table: any }>, where?: any) {\n  let unionQuery: any = null;\n  for (const { name, table } of tables) {\n    let q = db.select({ id: table.id, kind: sql\`\${name}\`.as('kind') }).from(table).$dynamic();\n    if (where) q = q.where(where);\n    unionQuery = unionQuery === null ? q : unionQuery.unionAll(q);\n  }\n  return unionQuery;\n}\nexport function extras(db: any, fields: any[], out: Record<string, unknown>) {\n  for (const field of fields) {\n    let query = db.select().from(field.table).where(field.where).$dynamic();\n    field.joins.forEach((j: any) => {\n      query = query[j.type ?? 'leftJoin'](j.table, j.on);\n    });\n    const sub = query.as(field.name);\n    out[field.name] = sql\`\${db.select({ n: count() }).from(sub)}\`;\n    out[field.name + '_ids'] = db.select({ id: field.table.id }).from(field.table).where(field.where).as('ids');\n  }\n}\n`,
      why: 'each builder is a part of one query, run once by the caller',
    },
    {
      name: 'Knex: a subquery per item, passed to whereIn of a query run once after the loop',
      file: 'a.js',
      code: `const knex = require('knex')({});\nasync function load(users) {\n  let q = knex('posts');\n  for (const u of users) {\n    const sub = knex('follows').select('post_id').where('user_id', u.id);\n    q = q.orWhereIn('id', sub);\n  }\n  return await q;\n}\nmodule.exports = { load };\n`,
      why: 'the subqueries are parts of the one query awaited after the loop',
    },
    {
      name: 'TypeScript\'s CommonJS output: (0, typeorm_1.In)(ids) over a chunk, and per model (Vendure\'s custom field relations)',
      file: 'a.js',
      code: `const typeorm_1 = require('typeorm');\nclass S {\n  async update(ctx, fields, input, ids) {\n    for (const field of fields) {\n      const idOrIds = input.customFields[field.name];\n      await this.connection.getRepository(ctx, field.entity).findBy({ id: (0, typeorm_1.In)(idOrIds) });\n    }\n    for (let i = 0; i < ids.length; i += 100) await this.repo.findBy({ id: (0, typeorm_1.In)(ids.slice(i, i + 100)) });\n  }\n}\nmodule.exports = { S };\n`,
      why: 'the In of the compiled call is TypeORM\'s In all the same',
    },
    {
      name: 'Sequelize [Op.in] and Mongoose $in over chunks',
      file: 'a.js',
      code: `const { Op } = require('sequelize');\nconst mongoose = require('mongoose');\nconst { Post } = require('./models');\nconst User = mongoose.model('User');\nasync function load(ids) {\n  for (let i = 0; i < ids.length; i += 200) {\n    await Post.findAll({ where: { id: { [Op.in]: ids.slice(i, i + 200) } } });\n    await User.find({ _id: { $in: ids.slice(i, i + 200) } });\n  }\n}\nmodule.exports = { load };\n`,
      why: 'one query per 200 ids',
    },
    {
      name: 'groups of ids by model: each group read with its own repository or model, all of its ids at once',
      file: 'a.ts',
      code: `import { DataSource, In } from 'typeorm';\nexport async function load(ds: DataSource, byTarget: Map<Function, number[]>, groups: Array<{ target: Function; ids: number[] }>) {\n  await Promise.all(groups.map(async (g) => ds.manager.getRepository(g.target).createQueryBuilder().whereInIds(g.ids).getMany()));\n  for (const [target, ids] of byTarget) await ds.getRepository(target).findBy({ id: In(ids) });\n}\nexport async function seq(byModel: Array<[any, number[]]>) {\n  for (const [Model, ids] of byModel) await Model.findAll({ where: { id: { [Op.in]: ids } } });\n}\n`,
      why: 'one query per model, each of another table: the fewest there can be (TypeORM PlainObjectToDatabaseEntityTransformer)',
    },
    {
      name: 'a loop over entities or models, each queried with nothing of the item but the model',
      file: 'a.ts',
      code: `import { DataSource } from 'typeorm';\nexport async function wipe(ds: DataSource, owner: number) {\n  for (const entity of ds.entityMetadatas) await ds.getRepository(entity.target).delete({ ownerId: owner });\n}\nexport async function counts(models: any[]) {\n  return Promise.all(models.map((Model) => Model.count({ where: { deleted: false } })));\n}\n`,
      why: 'one query per table: the fewest there can be',
    },
    {
      name: 'raw SQL: a query that does not use the item, one over all the keys, and SQLite\'s in-process queries',
      file: 'a.ts',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(ids: number[]) {\n  const { rows } = await pool.query('SELECT id, name FROM users WHERE id = ANY($1)', [ids]);\n  for (const id of ids) await pool.query('SELECT pg_sleep(0.1) FROM settings');\n  return rows;\n}\n`,
      workspace: { 'b.ts': `import Database from 'better-sqlite3';\nimport { Pool } from 'pg';\nconst db: any = new Database('x.db');\nexport function g(ids: number[]) {\n  return ids.map((id) => db.query('SELECT * FROM users WHERE id = ?', [id]));\n}\n` },
      why: 'no per-item query; SQLite answers many small queries as fast as one (sqlite.org/np1queryprob.html)',
    },
    {
      name: "raw SQL in a migration of SQLite's folder, with no driver imported (n8n's migrations/sqlite/)",
      file: 'src/migrations/sqlite/1681134145996-AddUserActivatedProperty.ts',
      code: `export class AddUserActivatedProperty {\n  async up(queryRunner: any) {\n    const users = await queryRunner.query('SELECT id FROM user');\n    for (const user of users) await queryRunner.query('UPDATE user SET settings = ? WHERE id = ?', [JSON.stringify({ activated: true }), user.id]);\n  }\n}\n`,
      why: 'SQLite answers many small queries as fast as one',
    },
    {
      name: "raw SQL: a table of the item's per item (NocoBase's sequences, a tenant's schema, a table listed)",
      file: 'a.ts',
      code: `import { Pool } from 'pg';\nimport postgres from 'postgres';\nconst pool = new Pool();\nconst sql = postgres();\nexport async function f(parents: any[], tenants: any[], tables: string[]) {\n  for (const parent of parents) {\n    const sequenceName = parent.sequence;\n    const { rows } = await pool.query(\`select last_value from \${sequenceName}\`);\n  }\n  for (const tenant of tenants) await sql\`SELECT count(*) FROM \${sql(tenant.schema)}.orders\`;\n  for (const t of tables) {\n    const text = \`SELECT count(*) FROM "\${t}"\`;\n    await pool.query(text);\n  }\n}\n`,
      why: "each item's query reads another table: no one query over the items' keys can read them all",
    },
  ],
  invalid: [
    {
      name: "the same migration in PostgreSQL's folder",
      file: 'src/migrations/postgresdb/1681134145996-AddUserActivatedProperty.ts',
      code: `export class AddUserActivatedProperty {\n  async up(queryRunner: any) {\n    const users = await queryRunner.query('SELECT id FROM "user"');\n    for (const user of users) await queryRunner.query('UPDATE "user" SET settings = $1 WHERE id = $2', [JSON.stringify({ activated: true }), user.id]);\n  }\n}\n`,
      findings: [{ line: 4, message: /writes once per item of `users` \(N\+1 writes\)/ }],
    },
    {
      name: 'raw SQL: a table named by a constant, filtered by the item per item',
      file: 'a.ts',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nconst USERS = 'users';\nexport async function f(ids: number[]) {\n  for (const id of ids) await pool.query(\`SELECT * FROM \${USERS} WHERE id = $1\`, [id]);\n}\n`,
      findings: [{ line: 5, message: /^`pool\.query` runs once per item of `ids` \(N\+1\)/ }],
    },
    {
      name: 'pg-promise: one, none and any per item, with positional, named and filtered placeholders',
      file: 'a.js',
      code: `const pgp = require('pg-promise')();\nconst db = pgp(process.env.DATABASE_URL);\nasync function load(ids) {\n  for (const id of ids) {\n    const user = await db.one('SELECT * FROM users WHERE id = $1', [id]);\n    await db.none('UPDATE users SET seen_at = now() WHERE id = $<id>', { id });\n    await db.any('SELECT * FROM $<table:name> WHERE owner_id = \${owner} AND kind IN ($<kinds:csv>)', { table: 'posts', owner: user.id, kinds: ['a'] });\n  }\n  return db.manyOrNone('SELECT * FROM users WHERE id IN ($1:csv)', [ids]);\n}\nmodule.exports = { load };\n`,
      findings: [
        { line: 5, message: /^`db\.one` runs once per item of `ids`/ },
        { line: 6, message: /^`db\.none` writes once per item of `ids`/ },
        { line: 7, message: /^`db\.any` runs once per item of `ids`/ },
      ],
    },
    {
      name: 'raw SQL run per item: node-postgres, knex.raw, and a knex builder with a raw fragment (one query)',
      file: 'a.ts',
      code: `import { Pool } from 'pg';\nimport knexFactory from 'knex';\nconst pool = new Pool();\nconst knex = knexFactory({ client: 'pg' });\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    const { rows } = await pool.query('SELECT name FROM users WHERE id = $1', [id]);\n    await knex.raw('SELECT count(*) FROM comments WHERE post_id = ?', [id]);\n    await knex('tags').where(knex.raw('lower(name) = ?', [String(id)]));\n    console.log(rows);\n  }\n}\n`,
      findings: [
        { line: 7, message: /^`pool\.query` runs once per item of `ids` \(N\+1\): N queries where one would do\. Load them all before the loop with one `SELECT … WHERE id = ANY\(…\)` given the keys as one array parameter/ },
        { line: 8, message: /^`knex\.raw` counts once per item of `ids`.*GROUP BY key/ },
        { line: 9, message: /^`knex\('tags'\)` runs once per item of `ids`/ },
      ],
    },
    {
      name: 'raw SQL run per item: a mysql2 write',
      file: 'm.ts',
      code: `import mysql from 'mysql2/promise';\nexport async function f(ids: number[], conn: mysql.Connection) {\n  for (const id of ids) await conn.execute('UPDATE posts SET views = views + 1 WHERE id = ?', [id]);\n}\n`,
      findings: [{ line: 3, message: /^`conn\.execute` writes once per item of `ids` \(N\+1 writes\): one round trip per row\. Update them all with one `UPDATE … WHERE id = ANY\(…\)`/ }],
    },
    {
      name: 'raw SQL as tagged templates per item: postgres.js, Prisma $queryRaw, Drizzle db.execute(sql), Kysely sql.execute(db); not a fragment',
      file: 't.ts',
      code: `import postgres from 'postgres';\nimport { PrismaClient } from '@prisma/client';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { Kysely } from 'kysely';\nconst sql = postgres();\nconst prisma = new PrismaClient();\nconst db = drizzle('postgres://localhost/app');\nexport async function f(ids: number[], kdb: Kysely<any>) {\n  for (const id of ids) {\n    const [u] = await sql\`SELECT * FROM users WHERE id = \${id}\`;\n    const p = await prisma.$queryRaw\`SELECT * FROM posts WHERE author_id = \${id}\`;\n    await db.execute(sql\`UPDATE posts SET views = views + 1 WHERE id = \${id}\`);\n    await sql\`SELECT * FROM tags WHERE id = \${id}\`.execute(kdb);\n    const where = sql\`id = \${id}\`;\n    console.log(u, p, where);\n  }\n  return sql\`SELECT * FROM users WHERE id = ANY(\${ids})\`;\n}\n`,
      findings: [
        { line: 10, message: /^`sql` runs once per item of `ids` \(N\+1\)/ },
        { line: 11, message: /^`prisma\.\$queryRaw` runs once per item of `ids` \(N\+1\)/ },
        { line: 12, message: /^`db\.execute` writes once per item of `ids` \(N\+1 writes\)/ },
        { line: 13, message: /^`sql`…`\.execute` runs once per item of `ids` \(N\+1\)/ },
      ],
    },
    {
      name: 'raw SQL held in a constant, run per item',
      file: 'c.ts',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nconst FIND_USER = 'SELECT id, name FROM users WHERE id = $1';\nexport async function f(ids: number[]) {\n  for (const id of ids) await pool.query(FIND_USER, [id]);\n}\n`,
      findings: [{ line: 5, message: /^`pool\.query` runs once per item of `ids` \(N\+1\)/ }],
    },
    {
      name: 'raw SQL held in a variable that the loop appends to, run per item',
      file: 'c.ts',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(ids: number[], active: boolean) {\n  for (const id of ids) {\n    let sql = 'SELECT id, name FROM users WHERE team_id = $1';\n    if (active) sql += ' AND active';\n    await pool.query(sql, [id]);\n  }\n}\n`,
      findings: [{ line: 7, message: /^`pool\.query` runs once per item of `ids` \(N\+1\)/ }],
    },
    {
      name: 'raw SQL run per item, its promises collected for Promise.all',
      file: 'p.ts',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(ids: number[]) {\n  const pending = [];\n  for (const id of ids) pending.push(pool.query('SELECT * FROM users WHERE id = $1', [id]));\n  return Promise.all(pending);\n}\n`,
      findings: [{ line: 5, message: /^`pool\.query` runs once per item of `ids` \(N\+1\)/ }],
    },
    {
      name: 'one model queried with each item\'s own list, and a group\'s model with a list of one key',
      file: 'a.ts',
      code: `import { DataSource, In } from 'typeorm';\nexport async function load(ds: DataSource, users: User[], groups: Array<{ target: Function; id: number }>) {\n  for (const user of users) await ds.getRepository(Post).findBy({ authorId: In(user.friendIds) });\n  for (const g of groups) await ds.getRepository(g.target).findBy({ id: In([g.id]) });\n}\n`,
      findings: [{ line: 3 }, { line: 4 }],
    },
    {
      name: 'a chunk of one id per item is still one query per item',
      file: 'a.ts',
      code: `${PRISMA}export async function load(ids: number[]) {\n  for (let i = 0; i < ids.length; i++) {\n    await prisma.post.findMany({ where: { id: { in: ids.slice(i, i + 1) } } });\n  }\n}\n`,
      findings: [{ line: 5 }],
    },
    {
      name: 'a stepped loop whose query looks up one id of the chunk',
      file: 'a.ts',
      code: `${PRISMA}export async function load(ids: number[]) {\n  for (let i = 0; i < ids.length; i += 2) {\n    const pair = ids.slice(i, i + 2);\n    await prisma.post.findUnique({ where: { id: pair[0] } });\n  }\n}\n`,
      findings: [{ line: 6 }],
    },
    {
      name: 'a multi-row insert of one row per item is still one insert per item',
      file: 'a.js',
      code: `export async function insert(db, table, values) {\n  for (let i = 0; i < values.length; i++) {\n    await db.insert(table).values(values.slice(i, i + 1));\n  }\n}\n`,
      findings: [{ line: 3 }],
    },
    {
      name: 'Drizzle and Knex builders refined, then run per item: awaited, pushed for Promise.all, or their subquery\'s query awaited',
      file: 'a.ts',
      code: `import { eq } from 'drizzle-orm';\nimport knex from 'knex';\nconst k = knex({});\nexport async function load(db: any, users: any[], posts: any, limit?: number) {\n  const pending = [];\n  for (const u of users) {\n    let q = db.select().from(posts).where(eq(posts.authorId, u.id)).$dynamic();\n    if (limit) q = q.limit(limit);\n    const rows = await q;\n    const p = db.select().from(posts).where(eq(posts.editorId, u.id));\n    pending.push(p);\n    const sub = k('follows').select('post_id').where('user_id', u.id);\n    await k('posts').whereIn('id', sub);\n  }\n  return Promise.all(pending);\n}\n`,
      findings: [{ line: 7 }, { line: 10 }, { line: 13 }],
    },
    {
      name: 'a slice of a list the loop does not step through is not a chunk',
      file: 'a.ts',
      code: `${PRISMA}export async function load(ids: number[], users: { postIds: number[] }[]) {\n  for (let i = 0; i < users.length; i++) {\n    await prisma.post.findMany({ where: { id: { in: users[i].postIds.slice(0, 5) } } });\n  }\n}\n`,
      findings: [{ line: 5 }],
    },
  ],
});

// MikroORM's native writes (straight to the database, past the unit of work).
ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a loop over an array written out',
      file: 'src/seed.ts',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function seed() {\n  for (const name of ['admin', 'editor']) {\n    await prisma.role.upsert({ where: { name }, create: { name }, update: {} });\n  }\n}\n`,
      why: 'two roles, as written: the data does not make the loop longer',
    },
    {
      name: 'MikroORM: one nativeUpdate and one nativeDelete over all the ids',
      file: 'src/users.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport async function retire(em: EntityManager, ids: number[]) {\n  await em.nativeUpdate(User, { id: { $in: ids } }, { active: false });\n  await em.nativeDelete(Session, { user: { $in: ids } });\n  for (const id of ids) console.log(id);\n}\n`,
      why: 'each write runs once, outside the loop',
    },
  ],
  invalid: [
    {
      name: 'MikroORM: nativeUpdate, nativeDelete and nativeInsert per item',
      file: 'src/users.ts',
      code: `import { EntityManager } from '@mikro-orm/core';\nexport async function retire(em: EntityManager, ids: number[]) {\n  for (const id of ids) {\n    await em.nativeUpdate(User, { id }, { active: false });\n    await em.nativeDelete(Session, { user: id });\n    await em.nativeInsert(AuditLog, { user: id, action: 'retire' });\n  }\n}\n`,
      findings: [
        { line: 4, message: /^`em\.nativeUpdate` writes once per item of `ids` \(N\+1 writes\).*Update them all with one `nativeUpdate\(\{ id: \{ \$in: ids \} \}, data\)`/ },
        { line: 5, message: /^`em\.nativeDelete` writes once per item of `ids` \(N\+1 writes\).*Delete them all with one `nativeDelete/ },
        { line: 6, message: /^`em\.nativeInsert` writes once per item of `ids` \(N\+1 writes\).*Insert them all with/ },
      ],
    },
  ],
});

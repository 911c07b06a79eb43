/**
 * n-plus-one, JS/TS lazy loading per item: TypeORM lazy relations, Sequelize association getters,
 * Prisma's fluent API, Mongoose `doc.populate()`. Models come from other files of the workspace
 * (or the linted file itself); each fix eager-loads the relation in the query that loaded the items.
 */
import * as assert from 'node:assert/strict';
import { lintText, testEngine, workspaceFrom } from '../harness/engine';
import { fixtureTests, ruleTests } from '../harness/rule-tester';

const TYPEORM_ENTITIES = `import { Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn, Column } from 'typeorm';
@Entity()
export class User {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
  @OneToMany(() => Post, (post) => post.author) posts!: Promise<Post[]>;
}
@Entity()
export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @Column() authorId!: number;
  @ManyToOne(() => User, (user) => user.posts) author!: Promise<User>;
  @ManyToOne(() => Category, { eager: true }) category!: Category;
  @ManyToOne(() => User) editor!: User;
  @OneToMany(() => Comment, (c) => c.post, { lazy: true }) comments!: Comment[];
}
`;
const TYPEORM = { 'entities.ts': TYPEORM_ENTITIES };
const SERVICE_HEAD = `import { Repository } from 'typeorm';\nimport { Post } from './entities';\n`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'TypeORM: a lazy relation loaded by relations on the find',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find({ relations: { author: true } });\n  for (const post of posts) console.log((await post.author).name);\n}\n`,
      why: 'the find loaded the relation; awaiting it resolves without a query',
    },
    {
      name: "TypeORM: relations: ['author'] array form",
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find({ relations: ['author', 'author.profile'] });\n  return Promise.all(posts.map(async (post) => (await post.author).name));\n}\n`,
      why: 'the find loaded the relation',
    },
    {
      name: 'TypeORM: a query builder with leftJoinAndSelect',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.createQueryBuilder('post').leftJoinAndSelect('post.author', 'author').getMany();\n  for (const post of posts) console.log(await post.author);\n}\n`,
      why: 'the join selected the relation',
    },
    {
      name: 'TypeORM: an eager (non-Promise) relation read in a loop',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find();\n  for (const post of posts) console.log(post.category.name, post.editor?.name);\n}\n`,
      why: 'eager: true relations come with the find; a plain relation that was not loaded is undefined, not a query',
    },
    {
      name: 'TypeORM: awaiting a non-lazy relation',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find();\n  for (const post of posts) console.log(await post.editor);\n}\n`,
      why: 'editor is typed User, not Promise<User>: awaiting it issues no query',
    },
    {
      name: 'TypeORM: the foreign key id',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find();\n  return posts.map((post) => post.authorId);\n}\n`,
      why: 'the FK column is on the row itself',
    },
    {
      name: 'TypeORM: a lazy relation awaited once, outside any loop',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function one(repo: Repository<Post>, id: number) {\n  const post = await repo.findOneByOrFail({ id });\n  return (await post.author).name;\n}\n`,
      why: 'one read, one query',
    },
    {
      name: 'TypeORM: a lazy relation of another ORM\'s model of the same name',
      file: 'posts.ts',
      workspace: { '../prisma/schema.prisma': 'model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  author User @relation(fields: [authorId], references: [id])\n  authorId Int\n}\n' },
      code: `import { Post } from './entities';\nexport async function names(posts: Post[]) {\n  for (const post of posts) console.log(await post.author);\n}\n`,
      why: 'only TypeORM lazy relations load on await; a Prisma relation of the same name is plain data',
    },
    {
      name: 'TypeORM: awaiting a property of something that is not a model',
      file: 'jobs.ts',
      workspace: TYPEORM,
      code: `export async function run(jobs: Array<{ done: Promise<void> }>) {\n  for (const job of jobs) await job.done;\n}\n`,
      why: 'no entity has a lazy relation named done',
    },
  ],
  invalid: [
    {
      name: 'TypeORM: a lazy relation awaited per item: relations added to the find',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find({ where: { published: true } });\n  for (const post of posts) {\n    const author = await post.author;\n    console.log(author.name);\n  }\n}\n`,
      findings: [{ line: 6, message: /`post\.author` loads the lazy relation `Post\.author` \(User\) once per item of `posts`: N\+1 queries\. .*relations: \{ author: true \}/ }],
      output: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  const posts = await repo.find({ where: { published: true }, relations: { author: true } });\n  for (const post of posts) {\n    const author = await post.author;\n    console.log(author.name);\n  }\n}\n`,
    },
    {
      name: 'TypeORM: an injected repository in a NestJS service, relations array style kept',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Post } from './entities';\n@Injectable()\nexport class PostsService {\n  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}\n  async titles() {\n    const rows = await this.posts.find({\n      relations: ['category'],\n      take: 20,\n    });\n    return Promise.all(rows.map(async (p) => \`\${p.id} \${(await p.comments).length}\`));\n  }\n}\n`,
      findings: [{ line: 13, message: /`p\.comments` loads the lazy relation `Post\.comments` \(Comment\) once per item of `rows`/ }],
      output: `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nimport { Post } from './entities';\n@Injectable()\nexport class PostsService {\n  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}\n  async titles() {\n    const rows = await this.posts.find({\n      relations: ['category', 'comments'],\n      take: 20,\n    });\n    return Promise.all(rows.map(async (p) => \`\${p.id} \${(await p.comments).length}\`));\n  }\n}\n`,
    },
    {
      name: 'TypeORM: find() without options gets an options object',
      file: 'posts.service.ts',
      workspace: TYPEORM,
      code: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  for (const post of await repo.find()) console.log(await post.author);\n}\n`,
      findings: [{ line: 4 }],
      output: `${SERVICE_HEAD}export async function list(repo: Repository<Post>) {\n  for (const post of await repo.find({ relations: { author: true } })) console.log(await post.author);\n}\n`,
    },
    {
      name: 'TypeORM: EntityManager.find(Post) gets its options after the entity',
      file: 'posts.ts',
      workspace: TYPEORM,
      code: `import { EntityManager } from 'typeorm';\nimport { Post } from './entities';\nexport async function list(em: EntityManager) {\n  const posts = await em.find(Post);\n  return Promise.all(posts.map(async (post) => (await post.author).name));\n}\n`,
      findings: [{ line: 5 }],
      output: `import { EntityManager } from 'typeorm';\nimport { Post } from './entities';\nexport async function list(em: EntityManager) {\n  const posts = await em.find(Post, { relations: { author: true } });\n  return Promise.all(posts.map(async (post) => (await post.author).name));\n}\n`,
    },
    {
      name: 'TypeORM: an Active Record find in a file that imports only the entity',
      file: 'posts.ts',
      workspace: TYPEORM,
      code: `import { Post } from './entities';\nexport async function list() {\n  const posts = await Post.find({ where: { id: 1 } });\n  for (const post of posts) console.log(await post.comments);\n}\n`,
      findings: [{ line: 4, message: /lazy relation `Post\.comments` \(Comment\)/ }],
      output: `import { Post } from './entities';\nexport async function list() {\n  const posts = await Post.find({ where: { id: 1 }, relations: { comments: true } });\n  for (const post of posts) console.log(await post.comments);\n}\n`,
    },
    {
      name: 'TypeORM: items from a parameter typed Post[]: reported, no query to fix',
      file: 'posts.ts',
      workspace: TYPEORM,
      code: `import { Post } from './entities';\nexport async function names(posts: Post[]) {\n  const out: string[] = [];\n  for (const post of posts) out.push((await post.author).name);\n  return out;\n}\n`,
      findings: [{ line: 4, message: /lazy relation `Post\.author`/ }],
    },
  ],
});

const SEQUELIZE_MODELS = `const { Model, DataTypes } = require('sequelize');
class User extends Model {}
class Post extends Model {
  static associate(models) {
    this.belongsTo(models.User, { as: 'author', foreignKey: 'authorId' });
    this.hasMany(models.Comment);
    this.belongsToMany(models.Tag, { through: 'PostTags', as: 'tags' });
  }
}
class Comment extends Model {}
class Tag extends Model {}
module.exports = { User, Post, Comment, Tag };
`;
const SEQUELIZE = { 'models/index.js': SEQUELIZE_MODELS };

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Sequelize: the included association read as a property',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post, User } = require('../models');\nasync function list() {\n  const posts = await Post.findAll({ include: [{ model: User, as: 'author' }] });\n  return posts.map((post) => post.author.name);\n}\n`,
      why: 'include loaded the association; reading the property issues no query',
    },
    {
      name: 'Sequelize: a getter called once, outside any loop',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function show(id) {\n  const post = await Post.findByPk(id);\n  return post.getAuthor();\n}\n`,
      why: 'one call, one query',
    },
    {
      name: 'Sequelize: the foreign key id',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function ids() {\n  const posts = await Post.findAll();\n  return posts.map((post) => post.authorId);\n}\n`,
      why: 'the FK column is on the row itself',
    },
    {
      name: 'a get… method that is no association getter',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function titles() {\n  const posts = await Post.findAll();\n  return posts.map((post) => post.getDataValue('title') + post.getSlug());\n}\n`,
      why: 'getDataValue and getSlug are not getters of any association',
    },
    {
      name: 'Sequelize: DataLoader.load per item',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const DataLoader = require('dataloader');\nconst { Post, User } = require('../models');\nconst users = new DataLoader(async (ids) => User.findAll({ where: { id: ids } }));\nasync function list() {\n  const posts = await Post.findAll();\n  return Promise.all(posts.map((post) => users.load(post.authorId)));\n}\n`,
      why: 'DataLoader batches the loads of one tick into one query',
    },
    {
      name: 'Sequelize: an in-memory find over loaded rows',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post, User } = require('../models');\nasync function list() {\n  const [posts, users] = await Promise.all([Post.findAll(), User.findAll()]);\n  return posts.map((post) => users.find((u) => u.id === post.authorId));\n}\n`,
      why: 'Array.prototype.find on a materialised list',
    },
  ],
  invalid: [
    {
      name: 'Sequelize: an aliased belongsTo getter per item: include added, getter read as a property',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post, User } = require('../models');\nasync function list(req, res) {\n  const posts = await Post.findAll({ where: { published: true }, limit: 20 });\n  const out = [];\n  for (const post of posts) {\n    const author = await post.getAuthor();\n    out.push({ title: post.title, author: author.name });\n  }\n  res.json(out);\n}\n`,
      findings: [{ line: 6, message: /`post\.getAuthor\(\)` queries the `author` association \(User\) once per item of `posts`: N\+1 queries\. Include it .*`include: \[\{ model: User, as: 'author' \}\]`.* read `post\.author`/ }],
      output: `const { Post, User } = require('../models');\nasync function list(req, res) {\n  const posts = await Post.findAll({ where: { published: true }, limit: 20, include: [{ model: User, as: 'author' }] });\n  const out = [];\n  for (const post of posts) {\n    const author = post.author;\n    out.push({ title: post.title, author: author.name });\n  }\n  res.json(out);\n}\n`,
    },
    {
      name: 'Sequelize: hasMany getter without an alias, target not in scope: include by name (unsafe: to-many)',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function counts() {\n  const posts = await Post.findAll();\n  return Promise.all(posts.map((post) => post.getComments()));\n}\n`,
      findings: [{ line: 4, message: /`post\.getComments\(\)` queries the `Comments` association \(Comment\)/ }],
      output: `const { Post } = require('../models');\nasync function counts() {\n  const posts = await Post.findAll({ include: ['Comments'] });\n  return Promise.all(posts.map((post) => post.Comments));\n}\n`,
    },
    {
      name: 'Sequelize: models through a namespace, appended to an existing include',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const db = require('../models');\nasync function list() {\n  const posts = await db.Post.findAll({ include: [{ model: db.User, as: 'author' }] });\n  for (const post of posts) {\n    post.tagList = await post.getTags();\n  }\n  return posts;\n}\n`,
      findings: [{ line: 5, message: /`post\.getTags\(\)` queries the `tags` association \(Tag\)/ }],
      output: `const db = require('../models');\nasync function list() {\n  const posts = await db.Post.findAll({ include: [{ model: db.User, as: 'author' }, { model: db.Tag, as: 'tags' }] });\n  for (const post of posts) {\n    post.tagList = post.tags;\n  }\n  return posts;\n}\n`,
    },
    {
      name: 'Sequelize: a getter of an association the query already includes',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function list() {\n  const posts = await Post.findAll({ include: 'author' });\n  for (const post of posts) console.log((await post.getAuthor()).name);\n}\n`,
      findings: [{ line: 4, message: /again once per item of `posts`, though the query that loaded them includes it.*Read `post\.author` instead/ }],
      output: `const { Post } = require('../models');\nasync function list() {\n  const posts = await Post.findAll({ include: 'author' });\n  for (const post of posts) console.log((post.author).name);\n}\n`,
    },
    {
      name: 'Sequelize: a getter with options is reported without a rewrite',
      file: 'routes/posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function list() {\n  const posts = await Post.findAll();\n  for (const post of posts) await post.getComments({ order: [['id', 'DESC']] });\n}\n`,
      findings: [{ line: 4 }],
    },
    {
      name: 'Sequelize: sequelize-typescript $get per item',
      file: 'posts.service.ts',
      workspace: {
        'post.model.ts': `import { BelongsTo, Column, HasMany, Model, Table } from 'sequelize-typescript';\nimport { User } from './user.model';\n@Table\nexport class Post extends Model {\n  @BelongsTo(() => User) author!: User;\n  @HasMany(() => Comment) comments!: Comment[];\n}\n`,
      },
      code: `import { Post } from './post.model';\nexport async function list() {\n  const posts = await Post.findAll();\n  for (const post of posts) console.log(await post.$get('author'));\n}\n`,
      findings: [{ line: 4, message: /`post\.\$get\('author'\)` queries the `author` association \(User\)/ }],
      output: `import { Post } from './post.model';\nexport async function list() {\n  const posts = await Post.findAll({ include: ['author'] });\n  for (const post of posts) console.log(post.author);\n}\n`,
    },
  ],
});

const PRISMA_SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  name  String
  posts Post[]
}

model Post {
  id       Int       @id @default(autoincrement())
  title    String
  authorId Int
  author   User      @relation(fields: [authorId], references: [id])
  comments Comment[]
}

model Comment {
  id     Int  @id @default(autoincrement())
  postId Int
  post   Post @relation(fields: [postId], references: [id])
}
`;
const PRISMA_WS = { '../prisma/schema.prisma': PRISMA_SCHEMA };
const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Prisma: the relation loaded with include and read as a property',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ include: { author: true } });\n  return posts.map((post) => post.author.name);\n}\n`,
      why: 'include loaded the relation',
    },
    {
      name: 'Prisma: the fluent API once, outside any loop',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function authorOf(id: number) {\n  return prisma.post.findUnique({ where: { id } }).author();\n}\n`,
      why: 'one call, one query',
    },
    {
      name: 'Prisma: fluent findUnique in Promise.all(xs.map(...))',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function authors(posts: { id: number }[]) {\n  return Promise.all(posts.map((post) => prisma.post.findUnique({ where: { id: post.id } }).author()));\n}\n`,
      why: "findUnique calls of one tick, fluent ones included, are batched by Prisma's dataloader",
    },
    {
      name: 'Prisma: .then on a lookup is not the fluent API',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function f(ids: number[]) {\n  for (const id of ids) await prisma.$queryRaw\`SELECT 1\`.then(() => id);\n}\n`,
      why: 'then/catch/finally are promise methods, not relations; the raw query does not use the item',
    },
  ],
  invalid: [
    {
      name: 'Prisma: the fluent API per item: include added to findMany, relation read from the item',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ where: { published: true }, take: 20 });\n  for (const post of posts) {\n    const author = await prisma.post.findUnique({ where: { id: post.id } }).author();\n    console.log(author?.name);\n  }\n}\n`,
      findings: [{ line: 6, message: /`prisma\.post\.findUnique\(…\)\.author\(\)` loads `author` \(User\) once per item of `posts` \(Prisma's fluent API: a query per call\): N\+1 queries\. .*include: \{ author: true \}.*read `post\.author`/ }],
      output: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ where: { published: true }, take: 20, include: { author: true } });\n  for (const post of posts) {\n    const author = post.author;\n    console.log(author?.name);\n  }\n}\n`,
    },
    {
      name: 'Prisma: a to-many fluent relation with arguments goes into select',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({\n    select: { id: true, title: true },\n  });\n  for (const post of posts) {\n    console.log(post.title, (await prisma.post.findUniqueOrThrow({ where: { id: post.id } }).comments({ take: 3 })).length);\n  }\n}\n`,
      findings: [{ line: 8, message: /loads `comments` \(Comment\)/ }],
      output: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({\n    select: { id: true, title: true, comments: { take: 3 } },\n  });\n  for (const post of posts) {\n    console.log(post.title, (post.comments).length);\n  }\n}\n`,
    },
    {
      name: 'Prisma: a fluent lookup of another model: reported, no include to add',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list(posts: { authorId: number }[]) {\n  for (const post of posts) await prisma.user.findUnique({ where: { id: post.authorId } }).posts();\n}\n`,
      findings: [{ line: 4, message: /`prisma\.user\.findUnique\(…\)\.posts\(\)` loads `posts` \(Post\) once per item of `posts`/ }],
    },
    {
      name: 'Prisma: a fluent findFirst in a field resolver gets the DataLoader message',
      file: 'resolvers.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export const resolvers = {\n  Post: {\n    author: (parent: { id: number }) => prisma.post.findFirst({ where: { id: parent.id } }).author(),\n  },\n};\n`,
      findings: [{ line: 5, message: /once per `Post` the query returns \(a GraphQL field resolver: N\+1\)\. .*DataLoader/ }],
    },
    {
      name: 'Prisma: fluent reads of a relation already included',
      file: 'posts.ts',
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ include: { author: true } });\n  for (const post of posts) console.log(await prisma.post.findFirst({ where: { id: post.id } }).author());\n}\n`,
      findings: [{ line: 5, message: /again once per item of `posts`.*includes it.*Read `post\.author` instead/ }],
      output: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ include: { author: true } });\n  for (const post of posts) console.log(post.author);\n}\n`,
    },
  ],
});

const MONGOOSE_MODELS = `import mongoose, { Schema } from 'mongoose';
const PostSchema = new Schema({
  title: String,
  author: { type: Schema.Types.ObjectId, ref: 'User' },
  tags: [{ type: Schema.Types.ObjectId, ref: 'Tag' }],
});
export const Post = mongoose.model('Post', PostSchema);
`;
const MONGOOSE = { 'models/post.ts': MONGOOSE_MODELS };
const MONGOOSE_HEAD = `import { Post } from './models/post';\n`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Mongoose: populated on the query, read per item',
      file: 'posts.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate('author').sort({ createdAt: -1 });\n  return posts.map((post) => post.author);\n}\n`,
      why: 'populate on the query loads every author with one more query',
    },
    {
      name: 'Mongoose: per-item populate of a path the query already populated',
      file: 'posts.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate({ path: 'author', select: 'name' });\n  for (const post of posts) await post.populate('author');\n}\n`,
      why: 'the path is populated already',
    },
    {
      name: 'Mongoose: populate once, outside any loop',
      file: 'posts.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function show(id: string) {\n  const post = await Post.findById(id);\n  return post?.populate('author');\n}\n`,
      why: 'one document, one query',
    },
    {
      name: 'a populate method of something that is not Mongoose',
      file: 'forms.ts',
      code: `export function fill(forms: Array<{ populate(v: string): void }>) {\n  for (const form of forms) form.populate('defaults');\n}\n`,
      why: 'no Mongoose import, query or model: a method that happens to share the name',
    },
  ],
  invalid: [
    {
      name: 'Mongoose: populate per document: moved onto the find',
      file: 'posts.ts',
      workspace: MONGOOSE,
      code: `import mongoose from 'mongoose';\n${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find({ published: true }).sort({ createdAt: -1 }).limit(20);\n  for (const post of posts) {\n    await post.populate('author');\n    console.log(post.author);\n  }\n}\n`,
      findings: [{ line: 6, message: /`post\.populate\('author'\)` queries `author` \(User\) once per item of `posts`: N\+1 queries\. Populate it on the query that loads them: `\.populate\('author'\)`/ }],
      output: `import mongoose from 'mongoose';\n${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find({ published: true }).populate('author').sort({ createdAt: -1 }).limit(20);\n  for (const post of posts) {\n    console.log(post.author);\n  }\n}\n`,
    },
    {
      name: 'Mongoose: populate used as a value in a map callback: the async function returns the items',
      file: 'posts.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find();\n  return Promise.all(posts.map((p) => p.populate({ path: 'tags', select: 'name' })));\n}\n`,
      findings: [{ line: 4, message: /queries `tags` \(Tag\)/ }],
      output: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate({ path: 'tags', select: 'name' });\n  return posts;\n}\n`,
    },
  ],
});

// A lookup by the item's foreign key is the relation schema.prisma declares: include it.
ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Prisma: the relation included, read as a property (no lookup per item)',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ include: { author: true } });\n  return posts.map((post) => ({ ...post, authorName: post.author.name }));\n}\n`,
      why: 'no query per item',
    },
  ],
  invalid: [
    {
      name: 'Prisma: findUnique by the item\'s foreign key becomes include + a read (safe, offered first)',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ where: { title: { contains: 'x' } } });\n  for (const post of posts) {\n    const author = await prisma.user.findUnique({ where: { id: post.authorId } });\n    console.log(author?.name);\n  }\n}\n`,
      findings: [{ line: 6, message: /`prisma\.user\.findUnique` runs once per item of `posts`/ }],
      output: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ where: { title: { contains: 'x' } }, include: { author: true } });\n  for (const post of posts) {\n    const author = post.author;\n    console.log(author?.name);\n  }\n}\n`,
    },
    {
      name: 'Prisma: the items select fields: the relation joins the select',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ select: { id: true, authorId: true } });\n  return Promise.all(posts.map(async (p) => ({ id: p.id, author: await prisma.user.findFirst({ where: { id: p.authorId } }) })));\n}\n`,
      findings: [{ line: 5 }],
      output: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany({ select: { id: true, authorId: true, author: true } });\n  return Promise.all(posts.map(async (p) => ({ id: p.id, author: p.author })));\n}\n`,
    },
    {
      name: 'Prisma: a lookup by a column that is not the relation key keeps only the batch fix',
      file: 'posts.ts',
      workspace: PRISMA_WS,
      code: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany();\n  for (const post of posts) {\n    const u = await prisma.user.findFirst({ where: { name: post.title } });\n    console.log(u);\n  }\n}\n`,
      findings: [{ line: 6 }],
      output: `${PRISMA}export async function list() {\n  const posts = await prisma.post.findMany();\n  const userByName = new Map(\n    (await prisma.user.findMany({ where: { name: { in: posts.map((post) => post.title) } } })).map((row) => [row.name, row]),\n  );\n  for (const post of posts) {\n    const u = (userByName.get(post.title) ?? null);\n    console.log(u);\n  }\n}\n`,
    },
  ],
});

// Sequelize's count/has accessors and MikroORM references and collections, per item.
const MIKRO_HEAD = `import { EntityManager } from '@mikro-orm/postgresql';\nimport { Book } from './entities';\n`;
ruleTests('n-plus-one', {
  valid: [
    {
      name: 'MikroORM: the relation populated with the find, then load() resolves from the identity map',
      file: 'books.ts',
      code: `${MIKRO_HEAD}export async function list(em: EntityManager) {\n  const books = await em.find(Book, {}, { populate: ['author'] });\n  for (const book of books) console.log((await book.author.load()).name);\n}\n`,
      why: 'populated: no query per item',
    },
    {
      name: 'an object with hasOwnProperty in a loop is not an association',
      file: 'posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function list() {\n  const posts = await Post.findAll();\n  return posts.filter((p) => p.hasOwnProperty('title'));\n}\n`,
      why: 'hasOwnProperty is no association accessor',
    },
  ],
  invalid: [
    {
      name: 'Sequelize: countComments() per post',
      file: 'posts.js',
      workspace: SEQUELIZE,
      code: `const { Post } = require('../models');\nasync function list() {\n  const posts = await Post.findAll();\n  return Promise.all(posts.map(async (post) => ({ id: post.id, comments: await post.countComments() })));\n}\n`,
      findings: [{ line: 4, message: /`post\.countComments\(\)` queries the `Comments` association \(Comment\) once per item of `posts`: N\+1 queries\. Count them for all items in one query/ }],
    },
    {
      name: 'MikroORM: book.author.load() per item gets populate on the find',
      file: 'books.ts',
      code: `${MIKRO_HEAD}export async function list(em: EntityManager) {\n  const books = await em.find(Book, { published: true });\n  for (const book of books) {\n    const author = await book.author.load();\n    console.log(author.name);\n  }\n}\n`,
      findings: [{ line: 6, message: /`book\.author\.load\(\)` loads `author` once per item of `books`: N\+1 queries\. Populate it with the items: `populate: \['author'\]`/ }],
      output: `${MIKRO_HEAD}export async function list(em: EntityManager) {\n  const books = await em.find(Book, { published: true }, { populate: ['author'] });\n  for (const book of books) {\n    const author = await book.author.load();\n    console.log(author.name);\n  }\n}\n`,
    },
    {
      name: 'MikroORM: a collection initialised per item, options already given',
      file: 'books.ts',
      code: `${MIKRO_HEAD}export async function list(em: EntityManager) {\n  const books = await em.find(Book, {}, { limit: 20 });\n  await Promise.all(books.map((b) => b.tags.init()));\n  return books;\n}\n`,
      findings: [{ line: 5, message: /`b\.tags\.init\(\)` loads `tags`/ }],
      output: `${MIKRO_HEAD}export async function list(em: EntityManager) {\n  const books = await em.find(Book, {}, { limit: 20, populate: ['tags'] });\n  await Promise.all(books.map((b) => b.tags.init()));\n  return books;\n}\n`,
    },
  ],
});

describe('n-plus-one lazy loads outside request paths', () => {
  const seed = `import { DataSource } from 'typeorm';\nimport { Post } from '../src/entities';\nexport async function seed(ds: DataSource) {\n  for (const post of await ds.getRepository(Post).find()) console.log(await post.author);\n}\n`;
  it('a seed script or migration reports at the non-request-path severity, or not at all', async () => {
    const engine = await testEngine();
    const ws = workspaceFrom(engine, TYPEORM);
    for (const file of ['seeds/posts.ts', 'migrations/1700000000000-backfill.ts']) {
      const found = lintText(engine, seed, file, undefined, ws).findings.filter((f) => f.ruleId === 'n-plus-one');
      assert.deepEqual(found.map((f) => f.severity), ['hint'], file);
      assert.equal(lintText(engine, seed, file, { nonRequestPathSeverity: 'off' }, ws).findings.length, 0);
    }
    assert.deepEqual(lintText(engine, seed, 'jobs/posts.ts', undefined, ws).findings.map((f) => f.severity), ['warning']);
  });
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Mongoose: a Promise.all statement that only populated goes with the populate',
      file: 'comments.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find();\n  await Promise.all(posts.map((p) => p.populate('author')));\n  return posts;\n}\n`,
      findings: [{ line: 4 }],
      output: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate('author');\n  return posts;\n}\n`,
    },
    {
      name: 'Mongoose: an async callback whose block only populates, its result read',
      file: 'comments.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find();\n  const populated = await Promise.all(posts.map(async (p) => {\n    return p.populate('author');\n  }));\n  return populated;\n}\n`,
      findings: [{ line: 5 }],
      output: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate('author');\n  const populated = posts;\n  return populated;\n}\n`,
    },
    {
      name: 'Mongoose: a for-of without braces that only populated goes',
      file: 'comments.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find();\n  for (const post of posts) await post.populate('author');\n  return posts;\n}\n`,
      findings: [{ line: 4 }],
      output: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate('author');\n  return posts;\n}\n`,
    },
    {
      name: 'Mongoose: the find in the header of the loop that only populates: reported, no fix (its two edits would overlap)',
      file: 'comments.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  for (const post of await Post.find()) await post.populate('author');\n}\n`,
      findings: [{ line: 3 }],
      noFix: true,
    },
    {
      name: 'Mongoose: a callback that does more keeps its work, without the populate',
      file: 'comments.ts',
      workspace: MONGOOSE,
      code: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find();\n  await Promise.all(posts.map(async (p) => {\n    await p.populate('author');\n    await audit(p);\n  }));\n  return posts;\n}\n`,
      findings: [{ line: 5 }],
      output: `${MONGOOSE_HEAD}export async function list() {\n  const posts = await Post.find().populate('author');\n  await Promise.all(posts.map(async (p) => {\n    await audit(p);\n  }));\n  return posts;\n}\n`,
    },
  ],
});

fixtureTests('n-plus-one', 'test/rules/n-plus-one/fixtures', (f) => /\.(ts|js)$/.test(f));

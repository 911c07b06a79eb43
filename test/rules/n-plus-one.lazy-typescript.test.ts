/**
 * n-plus-one, JS/TS lazy loading per item: TypeORM lazy relations, Sequelize association getters,
 * Prisma's fluent API, Mongoose `doc.populate()`. Models come from other files of the workspace
 * (or the linted file itself); each fix eager-loads the relation in the query that loaded the items.
 */
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

fixtureTests('n-plus-one', 'test/rules/n-plus-one/fixtures', (f) => /\.(ts|js)$/.test(f));

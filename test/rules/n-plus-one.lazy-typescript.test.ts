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

fixtureTests('n-plus-one', 'test/rules/n-plus-one/fixtures', (f) => /\.(ts|js)$/.test(f));

/** TypeORM find options and query builders → SQL: exact text per shape, names from the entity decorators. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const POST_ENTITY = `
import { Column, CreateDateColumn, DeleteDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user';
import { Comment } from './comment';

@Entity('posts')
export class Post {
  @PrimaryGeneratedColumn() id: number;
  @Column() title: string;
  @Column({ default: false }) published: boolean;
  @Column({ name: 'author_id' }) authorId: number;
  @ManyToOne(() => User, (user) => user.posts)
  @JoinColumn({ name: 'author_id' })
  author: User;
  @OneToMany(() => Comment, (c) => c.post) comments: Comment[];
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @Column({ select: false }) body: string;
}
`;

const USER_ENTITY = `
import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Post } from './post';

@Entity()
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column() email: string;
  @OneToMany(() => Post, (post) => post.author) posts: Post[];
}
`;

// No @Entity name: snakeCase of the class (BlogComment → blog_comment); the join column defaults to postId.
const COMMENT_ENTITY = `
import { Column, DeleteDateColumn, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Post } from './post';

@Entity()
export class Comment {
  @PrimaryGeneratedColumn() id: number;
  @Column() text: string;
  @ManyToOne(() => Post, (p) => p.comments, { eager: true }) post: Post;
  @DeleteDateColumn() deletedAt: Date | null;
}
`;

const BLOG_COMMENT = `
import { Column, Entity, PrimaryColumn } from 'typeorm';
@Entity()
export class BlogComment {
  @PrimaryColumn('uuid') id: string;
  @Column() body: string;
}
`;

const SETTING = `
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
@Entity('settings')
export class Setting {
  @PrimaryColumn() key: string;
  @Column() value: string;
  @Column({ default: 0 }) hits: number;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}
`;

const POST = '"Post"."id", "Post"."title", "Post"."published", "Post"."author_id", "Post"."created_at"';
const USER = (a: string): string => `"${a}"."id", "${a}"."email"`;

const FILES = {
  '/ws/src/entities/post.ts': POST_ENTITY,
  '/ws/src/entities/user.ts': USER_ENTITY,
  '/ws/src/entities/comment.ts': COMMENT_ENTITY,
  '/ws/src/entities/blog-comment.ts': BLOG_COMMENT,
  '/ws/src/entities/setting.ts': SETTING,
};

async function sql(code: string, at = 'repo.'): Promise<{ sql: string; notes: string[]; description: string }> {
  const file = `import { DataSource, In, IsNull, LessThan, MoreThan, Like, ILike, Not, Between, Raw, Repository } from 'typeorm';
import { InjectRepository } from '@nestjs/typeorm';
import { Post } from '../entities/post';
import { Comment } from '../entities/comment';
import { BlogComment } from '../entities/blog-comment';
import { Setting } from '../entities/setting';
export const dataSource = new DataSource({ type: 'postgres' });
const repo = dataSource.getRepository(Post);
const PAGE = 20;
export async function handler(req: any, id: number, ids: number[]) {
  return ${code};
}
`;
  return translateIn({ ...FILES, '/ws/src/routes/posts.ts': file }, '/ws/src/routes/posts.ts', at);
}

describe('orm-sql: TypeORM', () => {
  const cases: Array<[string, string, string]> = [
    ['find with no options selects every column but select: false ones; @Entity and @Column names', 'repo.find()', `SELECT ${POST} FROM "posts" "Post"`],
    ['plain values, a mapped column', "repo.find({ where: { authorId: 3, title: 'a', published: true } })", `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."author_id" = 3 AND "Post"."title" = 'a' AND "Post"."published" = true`],
    ['find operators', "repo.find({ where: { id: In([1, 2]), authorId: Not(IsNull()), title: Like('a%'), createdAt: LessThan('2024-01-01'), published: Not(true) } })", `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."id" IN (1, 2) AND NOT ("Post"."author_id" IS NULL) AND "Post"."title" LIKE 'a%' AND "Post"."created_at" < '2024-01-01' AND "Post"."published" != true`],
    ['MoreThan, ILike, Between, IsNull, empty In', "repo.find({ where: { id: MoreThan(10), title: ILike('%x%'), authorId: Between(1, 5), createdAt: IsNull(), published: In([]) } })", `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."id" > 10 AND "Post"."title" ILIKE '%x%' AND ("Post"."author_id" BETWEEN 1 AND 5) AND "Post"."created_at" IS NULL AND 0=1`],
    ['an array of where objects is OR', "repo.find({ where: [{ authorId: 1, published: true }, { title: 'x' }] })", `SELECT ${POST} FROM "posts" "Post" WHERE ("Post"."author_id" = 1 AND "Post"."published" = true) OR "Post"."title" = 'x'`],
    ['order, skip and take (LIMIT before OFFSET)', "repo.find({ order: { createdAt: 'DESC', id: { direction: 'asc', nulls: 'last' } }, skip: 40, take: PAGE })", `SELECT ${POST} FROM "posts" "Post" ORDER BY "Post"."created_at" DESC, "Post"."id" ASC NULLS LAST LIMIT 20 OFFSET 40`],
    ['findOneBy sends LIMIT 1', 'repo.findOneBy({ id: 7 })', `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."id" = 7 LIMIT 1`],
    ['select adds the primary column', "repo.find({ select: ['title'], where: { published: true } })", 'SELECT "Post"."id", "Post"."title" FROM "posts" "Post" WHERE "Post"."published" = true'],
    ['select object, a select: false column named', 'repo.find({ select: { id: true, body: true } })', 'SELECT "Post"."id", "Post"."body" FROM "posts" "Post"'],
    ['relations are LEFT JOINs on the join column', "repo.find({ relations: ['author'], where: { published: true } })", `SELECT ${POST}, ${USER('Post__Post_author')} FROM "posts" "Post" LEFT JOIN "user" "Post__Post_author" ON "Post__Post_author"."id"="Post"."author_id" WHERE "Post"."published" = true`],
    ['count counts distinct ids', 'repo.count({ where: { published: false } })', 'SELECT COUNT(DISTINCT("Post"."id")) AS "cnt" FROM "posts" "Post" WHERE "Post"."published" = false'],
    ['the class name in snake case is the default table name', "dataSource.getRepository(BlogComment).findBy({ body: 'x' })", 'SELECT "BlogComment"."id", "BlogComment"."body" FROM "blog_comment" "BlogComment" WHERE "BlogComment"."body" = \'x\''],
    ['update by a where object: no alias, values before conditions', "repo.update({ authorId: id, published: true }, { title: 'x', published: false })", 'UPDATE "posts" SET "title" = \'x\', "published" = false WHERE "posts"."author_id" = $1 AND "posts"."published" = true'],
    ['update by id sets the UpdateDateColumn too', "dataSource.getRepository(Setting).update('theme', { value: 'dark' })", 'UPDATE "settings" SET "value" = \'dark\', "updated_at" = CURRENT_TIMESTAMP WHERE "settings"."key" IN (\'theme\')'],
    ['a query builder update: the alias kept, the string condition as written', "repo.createQueryBuilder().update(Post).set({ title: 'x' }).where('id = :id', { id }).execute()", 'UPDATE "posts" "Post" SET "title" = \'x\' WHERE id = $1'],
    ['a query builder update with an UpdateDateColumn, a where object', "dataSource.createQueryBuilder().update(Setting).set({ value: 'v' }).where({ key: 'k' }).execute()", 'UPDATE "settings" "Setting" SET "value" = \'v\', "updated_at" = CURRENT_TIMESTAMP WHERE "Setting"."key" = \'k\''],
    ['a query builder delete from an entity, properties through the alias', "dataSource.createQueryBuilder().delete().from(Post).where('Post.authorId = :id', { id }).execute()", 'DELETE FROM "posts" "Post" WHERE "Post"."author_id" = $1'],
    ['increment: the column plus the amount, through an update (the UpdateDateColumn set too)', "dataSource.getRepository(Setting).increment({ key: 'k' }, 'hits', by)", 'UPDATE "settings" SET "hits" = "hits" + $1, "updated_at" = CURRENT_TIMESTAMP WHERE "settings"."key" = \'k\''],
    ['decrement', "dataSource.getRepository(Setting).decrement({ key: id }, 'hits', 1)", 'UPDATE "settings" SET "hits" = "hits" - 1, "updated_at" = CURRENT_TIMESTAMP WHERE "settings"."key" = $1'],
    ['delete by ids', 'repo.delete([1, 2])', 'DELETE FROM "posts" WHERE "posts"."id" IN (1, 2)'],
    ['EntityManager style: manager.find(Entity, options)', 'dataSource.manager.find(Post, { where: { id: 1 } })', `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."id" = 1`],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code, code)).sql, expected));
  }

  it('run-time values become $n, in text order, with their source and the null trap', async () => {
    const t = await sql('repo.find({ where: { authorId: id, id: In(ids) }, skip: (Number(req.query.page) - 1) * PAGE, take: req.query.size })');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."author_id" = $1 AND "Post"."id" = ANY($2) LIMIT $3 OFFSET $4`);
    assert.match(t.notes[0], /^\$1 = `id`/);
    assert.match(t.notes[1], /^\$2 = `ids`/);
    assert.match(t.notes[2], /^\$3 = `req\.query\.size`/);
    assert.match(t.notes[3], /^\$4 = `\(Number\(req\.query\.page\) - 1\) \* PAGE`/);
    assert.ok(t.notes.includes('if `id` is null or undefined at run time, TypeORM leaves the authorId condition out and the query reads every row'));
    assert.ok(t.notes.some((n) => /^\$2 is the whole list/.test(n)));
    assert.equal(t.description, 'repo.find → SQL');
  });

  it('null and undefined in where are left out, as TypeORM does, and said so', async () => {
    const t = await sql('repo.findBy({ authorId: null, title: undefined, published: true })');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."published" = true`);
    assert.equal(t.notes.length, 2);
    assert.match(t.notes[0], /`authorId: null` is left out/);
  });

  it('findOne with relations pages the ids first (skip/take with joins)', async () => {
    const t = await sql("repo.findOne({ where: { id }, relations: { author: true }, order: { createdAt: 'DESC' } })");
    assert.equal(t.sql, 'SELECT DISTINCT "Post"."id", "Post"."created_at" FROM "posts" "Post" LEFT JOIN "user" "Post__Post_author" ON "Post__Post_author"."id"="Post"."author_id" WHERE "Post"."id" = $1 ORDER BY "Post"."created_at" DESC LIMIT 1');
    assert.ok(t.notes.some((n) => /^with joins, skip\/take page the Post ids first; TypeORM then runs SELECT .* WHERE "Post"\."id" = \$1 AND "Post"\."id" IN \(…\) ORDER BY/.test(n)));
  });

  it('a one-to-many relation joins on the other side’s column; soft-deleted rows are left out of the join', async () => {
    const t = await sql("repo.find({ relations: ['comments'], loadEagerRelations: false })");
    assert.match(t.sql, /LEFT JOIN "comment" "Post__Post_comments" ON "Post__Post_comments"\."postId"="Post"\."id" AND \("Post__Post_comments"\."deletedAt" IS NULL\)$/);
  });

  it('@DeleteDateColumn adds IS NULL and eager relations are joined, with notes', async () => {
    const t = await sql("dataSource.getRepository(Comment).find({ where: { text: 'x' } })", 'dataSource.getRepository(Comment).find');
    assert.equal(t.sql, `SELECT "Comment"."id", "Comment"."text", "Comment"."deletedAt", "Comment"."postId", ${POST.replace(/"Post"/g, '"Comment__Comment_post"')} FROM "comment" "Comment" LEFT JOIN "posts" "Comment__Comment_post" ON "Comment__Comment_post"."id"="Comment"."postId" WHERE "Comment"."text" = 'x' AND "Comment"."deletedAt" IS NULL`);
    assert.ok(t.notes.some((n) => /eager relation `post`/.test(n)));
    assert.ok(t.notes.some((n) => /@DeleteDateColumn/.test(n)));
    const all = await sql('dataSource.getRepository(Comment).find({ withDeleted: true, loadEagerRelations: false })', 'dataSource.getRepository(Comment).find');
    assert.equal(all.sql, 'SELECT "Comment"."id", "Comment"."text", "Comment"."deletedAt", "Comment"."postId" FROM "comment" "Comment"');
  });

  it('findAndCount: the page, and the count query in a note', async () => {
    const t = await sql('repo.findAndCount({ where: { published: true }, take: 10 })');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."published" = true LIMIT 10`);
    assert.ok(t.notes.includes('findAndCount runs a second query for the total: SELECT COUNT(DISTINCT("Post"."id")) AS "cnt" FROM "posts" "Post" WHERE "Post"."published" = true'));
  });

  it('a repository injected with @InjectRepository, read through this', async () => {
    const file = `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Post } from '../entities/post';
@Injectable()
export class PostsService {
  constructor(@InjectRepository(Post) private readonly postRepository: Repository<Post>) {}
  list(authorId: number) {
    return this.postRepository.find({ where: { authorId }, order: { id: 'DESC' }, take: 5 });
  }
}
`;
    const t = await translateIn({ ...FILES, '/ws/src/services/posts.service.ts': file }, '/ws/src/services/posts.service.ts', 'this.postRepository');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" "Post" WHERE "Post"."author_id" = $1 ORDER BY "Post"."id" DESC LIMIT 5`);
    assert.equal(t.description, 'this.postRepository.find → SQL');
  });

  it("a project's own BaseEntity gives its columns first; TypeORM's BaseEntity (Active Record) gives none", async () => {
    const base = `import { CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';\nexport abstract class BaseEntity {\n  @PrimaryGeneratedColumn() id: number;\n  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;\n}\n`;
    const order = `import { Column, Entity } from 'typeorm';\nimport { BaseEntity } from './base.entity';\n@Entity('orders')\nexport class Order extends BaseEntity {\n  @Column() status: string;\n}\n`;
    const invoice = `import { BaseEntity, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class Invoice extends BaseEntity {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() total: number;\n}\n`;
    const service = `import { DataSource } from 'typeorm';\nimport { Order } from './entities/order.entity';\nimport { Invoice } from './entities/invoice.entity';\nexport const ds = new DataSource({ type: 'postgres' });\nexport const a = () => ds.getRepository(Order).find({ where: { status: 'open' } });\nexport const b = () => Invoice.find({ where: { total: 0 } });\n`;
    const files = { '/ws/src/entities/base.entity.ts': base, '/ws/src/entities/order.entity.ts': order, '/ws/src/entities/invoice.entity.ts': invoice, '/ws/src/service.ts': service };
    const own = await translateIn(files, '/ws/src/service.ts', 'getRepository(Order)');
    assert.equal(own.sql, `SELECT "Order"."id", "Order"."created_at", "Order"."status" FROM "orders" "Order" WHERE "Order"."status" = 'open'`);
    const activeRecord = await translateIn(files, '/ws/src/service.ts', 'Invoice.find');
    assert.equal(activeRecord.sql, `SELECT "Invoice"."id", "Invoice"."total" FROM "invoice" "Invoice" WHERE "Invoice"."total" = 0`);
  });

  describe('query builder', () => {
    const builder: Array<[string, string, string]> = [
      ['where with a named parameter, orderBy, skip/take', "repo.createQueryBuilder('p').where('p.authorId = :id', { id }).andWhere('p.published = :pub', { pub: true }).orderBy('p.createdAt', 'DESC').skip(20).take(10).getMany()", 'SELECT "p"."id", "p"."title", "p"."published", "p"."author_id", "p"."created_at" FROM "posts" "p" WHERE "p"."author_id" = $1 AND "p"."published" = true ORDER BY "p"."created_at" DESC LIMIT 10 OFFSET 20'],
      ['orWhere keeps TypeORM’s unbracketed order', "repo.createQueryBuilder('p').where('p.id = 1').orWhere('p.title = :t', { t: 'x' }).getMany()", 'SELECT "p"."id", "p"."title", "p"."published", "p"."author_id", "p"."created_at" FROM "posts" "p" WHERE "p"."id" = 1 OR "p"."title" = \'x\''],
      ['leftJoinAndSelect, a list parameter written out', "repo.createQueryBuilder('post').leftJoinAndSelect('post.author', 'author').where('post.id IN (:...ids)', { ids: [1, 2] }).getMany()", `SELECT "post"."id", "post"."title", "post"."published", "post"."author_id", "post"."created_at", ${USER('author')} FROM "posts" "post" LEFT JOIN "user" "author" ON "author"."id"="post"."author_id" WHERE "post"."id" IN (1, 2)`],
      ['select of columns adds the primary key; getCount', "repo.createQueryBuilder('p').where('p.published = true').getCount()", 'SELECT COUNT(DISTINCT("p"."id")) AS "cnt" FROM "posts" "p" WHERE "p"."published" = true'],
      ['a column name written as is in a condition stays', "repo.createQueryBuilder('p').where('p.author_id = 1').getCount()", 'SELECT COUNT(DISTINCT("p"."id")) AS "cnt" FROM "posts" "p" WHERE "p"."author_id" = 1'],
      ['getRawMany with select keeps only the selection', "repo.createQueryBuilder('p').select(['p.title', 'p.createdAt']).limit(5).getRawMany()", 'SELECT "p"."title", "p"."created_at" FROM "posts" "p" LIMIT 5'],
    ];
    for (const [name, code, expected] of builder) {
      it(name, async () => assert.equal((await sql(code)).sql, expected));
    }

    it('getOne sends no LIMIT, and says so', async () => {
      const t = await sql("repo.createQueryBuilder('p').where('p.id = :id', { id }).getOne()");
      assert.equal(t.sql, 'SELECT "p"."id", "p"."title", "p"."published", "p"."author_id", "p"."created_at" FROM "posts" "p" WHERE "p"."id" = $1');
      assert.ok(t.notes.some((n) => /^getOne\(\) sends no LIMIT/.test(n)));
      assert.equal(t.description, 'repo.createQueryBuilder → SQL');
    });
  });

  // The shapes TypeORM 0.3 logs for PostgreSQL (values it binds that are literals are written out here).
  it('insert: every column but an increment key, DEFAULT for the missing, RETURNING the key and what the database fills', async () => {
    assert.equal(
      (await sql("repo.insert({ title: 't', authorId: id })")).sql,
      'INSERT INTO "posts"("title", "published", "author_id", "created_at", "body") VALUES (\'t\', DEFAULT, $1, DEFAULT, DEFAULT) RETURNING "id", "published", "created_at"',
    );
    assert.equal(
      (await sql("repo.insert([{ title: 'a', authorId: 1 }, { title: req.body.title, authorId: id, published: true }])")).sql,
      'INSERT INTO "posts"("title", "published", "author_id", "created_at", "body") VALUES (\'a\', DEFAULT, 1, DEFAULT, DEFAULT), ($1, true, $2, DEFAULT, DEFAULT) RETURNING "id", "published", "created_at"',
    );
    // A relation's join column comes last: its key from `{ id }`, or the key of the object given.
    assert.equal(
      (await sql("dataSource.getRepository(Comment).insert({ text: 'x', post: { id: 3 } })", 'dataSource.getRepository(Comment).insert')).sql,
      'INSERT INTO "comment"("text", "deletedAt", "postId") VALUES (\'x\', DEFAULT, 3) RETURNING "id", "deletedAt"',
    );
    const related = await sql('dataSource.getRepository(Comment).insert({ text: req.body.text, post: req.post })', 'dataSource.getRepository(Comment).insert');
    assert.equal(related.sql, 'INSERT INTO "comment"("text", "deletedAt", "postId") VALUES ($1, DEFAULT, $2) RETURNING "id", "deletedAt"');
    assert.match(related.notes[1], /^\$2 = `req\.post\.id`/);
    // A key that is not generated is a column like the others; nothing generated, nothing to return but defaults.
    assert.equal(
      (await sql("dataSource.getRepository(Setting).insert({ key: 'k', value: req.body.value })", 'dataSource.getRepository(Setting).insert')).sql,
      'INSERT INTO "settings"("key", "value", "hits", "updated_at") VALUES (\'k\', $1, DEFAULT, DEFAULT) RETURNING "hits", "updated_at"',
    );
  });

  it('save of a new entity is the same INSERT (in a transaction of its own), also from a const made by create(); upsert is ON CONFLICT on its paths', async () => {
    const saved = await sql("repo.save({ title: 't', authorId: id })");
    assert.equal(saved.sql, 'INSERT INTO "posts"("title", "published", "author_id", "created_at", "body") VALUES (\'t\', DEFAULT, $1, DEFAULT, DEFAULT) RETURNING "id", "published", "created_at"');
    assert.ok(saved.notes.some((n) => /START TRANSACTION … COMMIT/.test(n)));
    const file = `import { DataSource } from 'typeorm';
import { Post } from '../entities/post';
const dataSource = new DataSource({ type: 'postgres' });
const repo = dataSource.getRepository(Post);
export async function publish(title: string, authorId: number) {
  const post = repo.create({ title, authorId, published: true });
  return repo.save(post);
}
`;
    const created = await translateIn({ ...FILES, '/ws/src/routes/publish.ts': file }, '/ws/src/routes/publish.ts', 'repo.save');
    assert.equal(created.sql, 'INSERT INTO "posts"("title", "published", "author_id", "created_at", "body") VALUES ($1, true, $2, DEFAULT, DEFAULT) RETURNING "id", "published", "created_at"');
    assert.equal(
      (await sql("dataSource.getRepository(Setting).upsert({ key: 'k', value: req.body.value }, ['key'])", 'dataSource.getRepository(Setting).upsert')).sql,
      'INSERT INTO "settings"("key", "value", "hits", "updated_at") VALUES (\'k\', $1, DEFAULT, DEFAULT) ON CONFLICT ( "key" ) DO UPDATE SET "key" = EXCLUDED."key", "value" = EXCLUDED."value", "updated_at" = DEFAULT RETURNING "hits", "updated_at"',
    );
    // TypeORM leaves a given increment key out of the INSERT, but not out of the SET: said in a note.
    const byId = await sql("repo.upsert({ id, title: 'x', authorId: 2 }, ['id'])");
    assert.equal(byId.sql, 'INSERT INTO "posts"("title", "published", "author_id", "created_at", "body") VALUES (\'x\', DEFAULT, 2, DEFAULT, DEFAULT) ON CONFLICT ( "id" ) DO UPDATE SET "id" = EXCLUDED."id", "title" = EXCLUDED."title", "author_id" = EXCLUDED."author_id" RETURNING "id", "published", "created_at"');
    assert.ok(byId.notes.some((n) => /`id` is an increment key: TypeORM leaves the value given out of the INSERT.*never conflicts on id/.test(n)), byId.notes.join('\n'));
    assert.match((await sql("dataSource.getRepository(Setting).upsert([{ key: 'k', value: 'v' }], { conflictPaths: ['key'] })", 'dataSource.getRepository(Setting).upsert')).sql, /ON CONFLICT \( "key" \) DO UPDATE SET/);
  });

  const unsupported: Array<[string, RegExp]> = [
    ['repo.save({ id, title: "a" })', /save of a row with its key \(`id`\): TypeORM first SELECTs the row by its key/],
    ['repo.save(req.body)', /the values of save are known only at run time/],
    ['repo.insert(rows)', /the values of insert are known only at run time/],
    ['repo.insert({ nope: 1 })', /`nope` is not a column of entity Post/],
    ['repo.upsert({ title: "a" }, { conflictPaths: ["title"], skipUpdateIfNoValuesChanged: true })', /the upsert option `skipUpdateIfNoValuesChanged` is not translated/],
    ["repo.find({ where: { author: { email: 'x' } } })", /the nested condition on `author` is not translated|filtering through the relation `author` is not translated/],
    ["repo.find({ where: { title: Raw((a) => `${a} > 'x'`) } })", /the find operator `Raw\(\)` is not translated/],
    ["repo.find({ relations: ['author.posts'] })", /the nested relation `author\.posts` is not translated/],
    ['repo.find(req.body)', /the options is not an object literal/],
    ['repo.update({}, { title: "x" })', /empty criteria/],
    ['repo.update({ id: 1 }, { title: () => "upper(title)" })', /\(raw SQL\) is not translated/],
    ["repo.find({ lock: { mode: 'pessimistic_read' } })", /the `lock` option is not translated/],
    ["repo.find({ where: { nope: 1 } })", /`nope` is not a column of entity Post/],
    ["repo.createQueryBuilder('p').where(new Brackets((qb) => qb.where('p.id = 1'))).getMany()", /is not a string \(Brackets and callbacks are not translated\)/],
    ["repo.createQueryBuilder('p').where('p.id IN (:...ids)', { ids }).getMany()", /the list parameter `:\.\.\.ids` is known only at run time/],
    ["repo.createQueryBuilder('p').where('p.id = :id').getMany()", /the parameter `:id` has no value/],
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
      "repo.update({ authorId: id, published: true }, { title: 'x' })",
      'repo.delete([1, 2])',
      "repo.increment({ published: true }, 'authorId', step)",
      "repo.find({ relations: ['author'], where: { published: true, id: In([1, 2]) }, order: { createdAt: 'DESC' }, skip: 40, take: PAGE })",
      "repo.createQueryBuilder('p').leftJoinAndSelect('p.author', 'a').where('p.authorId = :id', { id }).orderBy('p.createdAt', 'DESC').skip(10).take(5).getMany()",
      "dataSource.createQueryBuilder().update(Setting).set({ value: 'v' }).where('Setting.key = :k', { k: 'x' }).execute()",
      "dataSource.createQueryBuilder().delete().from(Post).where({ authorId: id }).execute()",
      "repo.insert([{ title: 'a', authorId: id }, { title: 'b', authorId: 2, published: true }])",
    ]) assert.ok((await assertTranslatesOrRefuses((c) => sql(c, c.slice(0, 12)), code)) > 0);
  });
});

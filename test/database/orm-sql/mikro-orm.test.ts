/** MikroORM finds → SQL: exact text per shape, names from the entity decorators and MikroORM's underscore naming. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const BASE = `
import { PrimaryKey, Property } from '@mikro-orm/core';

export abstract class BaseEntity {
  @PrimaryKey() id!: number;
  @Property() createdAt = new Date();
}
`;

const AUTHOR = `
import { Collection, Entity, OneToMany, Property } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { BookTag } from './book';

@Entity()
export class Author extends BaseEntity {
  @Property() fullName!: string;
  @Property({ fieldName: 'mail' }) email!: string;
  @OneToMany(() => BookTag, (b) => b.author) books = new Collection<BookTag>(this);
}
`;

const BOOK = `
import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from './base';
import { Author } from './author';

@Entity({ tableName: 'books' })
export class BookTag extends BaseEntity {
  @Property() title!: string;
  @Property({ nullable: true }) price?: number;
  @ManyToOne(() => Author) author!: Ref<Author>;
  @ManyToOne({ entity: () => Author, nullable: true }) coAuthor?: Author;
}
`;

const BOOKS = '"books"."id", "books"."created_at", "books"."title", "books"."price", "books"."author_id", "books"."co_author_id"';

async function sql(code: string, at = code): Promise<{ sql: string; notes: string[] }> {
  const main = `import { EntityManager, EntityRepository, QueryOrder } from '@mikro-orm/postgresql';
import { InjectRepository } from '@mikro-orm/nestjs';
import { Author } from './author';
import { BookTag } from './book';

export class BookService {
  constructor(private readonly em: EntityManager, @InjectRepository(BookTag) private readonly books: EntityRepository<BookTag>) {}

  async run(authorId: number, page: number, q: string, ids: number[]) {
    return ${code};
  }
}
`;
  return translateIn({ '/ws/src/base.ts': BASE, '/ws/src/author.ts': AUTHOR, '/ws/src/book.ts': BOOK, '/ws/src/service.ts': main }, '/ws/src/service.ts', at);
}

describe('orm-sql: MikroORM', () => {
  const cases: Array<[string, string, string]> = [
    [
      'em.find with a relation by key, orderBy QueryOrder.DESC, limit and offset (inherited columns first)',
      'this.em.find(BookTag, { author: authorId }, { orderBy: { createdAt: QueryOrder.DESC }, limit: 20, offset: (page - 1) * 20 })',
      `SELECT ${BOOKS} FROM "books" WHERE "books"."author_id" = $1 ORDER BY "books"."created_at" DESC LIMIT 20 OFFSET $2`,
    ],
    [
      'an injected repository: operators, $or, arrays as IN, null',
      "this.books.find({ $or: [{ title: { $ilike: '%orm%' } }, { price: { $gte: 10, $lt: 50 } }], id: [1, 2, 3], coAuthor: null })",
      `SELECT ${BOOKS} FROM "books" WHERE ("books"."title" ILIKE '%orm%' OR ("books"."price" >= 10 AND "books"."price" < 50)) AND "books"."id" IN (1, 2, 3) AND "books"."co_author_id" IS NULL`,
    ],
    [
      'findOne by the primary key alone; fieldName and underscore naming',
      'this.em.findOne(Author, authorId)',
      `SELECT "author"."id", "author"."created_at", "author"."full_name", "author"."mail" FROM "author" WHERE "author"."id" = $1 LIMIT 1`,
    ],
    [
      'em.getRepository(): $in of a run-time list, $ne null, orderBy array with nulls last, fields (with the key)',
      "this.em.getRepository(BookTag).find({ author: { $in: ids }, price: { $ne: null } }, { orderBy: [{ price: 'desc nulls last' }, { id: 1 }], fields: ['title'] })",
      `SELECT "books"."id", "books"."title" FROM "books" WHERE "books"."author_id" = ANY($1) AND "books"."price" IS NOT NULL ORDER BY "books"."price" DESC NULLS LAST, "books"."id" ASC`,
    ],
    ['count', "this.em.count(BookTag, { title: { $like: q } })", `SELECT count(*) AS "count" FROM "books" WHERE "books"."title" LIKE $1`],
    [
      'a query builder: leftJoinAndSelect a to-one relation, where on both aliases, orWhere, orderBy, limit with offset',
      "this.em.createQueryBuilder(BookTag, 'b').select(['b.id', 'b.title']).leftJoinAndSelect('b.author', 'a').where({ 'a.fullName': q }).orWhere({ price: { $lt: 5 } }).orderBy({ 'b.createdAt': 'desc' }).limit(10, 20).getResultList()",
      `SELECT "books"."id", "books"."title", "author"."id", "author"."created_at", "author"."full_name", "author"."mail" FROM "books" LEFT JOIN "author" ON "author"."id" = "books"."author_id" WHERE "author"."full_name" = $1 OR "books"."price" < 5 ORDER BY "books"."created_at" DESC LIMIT 10 OFFSET 20`,
    ],
    ['a repository\'s query builder counted', "this.books.createQueryBuilder('b').where({ author: authorId }).getCount()", `SELECT count(*) AS "count" FROM "books" WHERE "books"."author_id" = $1`],
    ['findAll with where in the options', 'this.em.findAll(BookTag, { where: { price: { $gt: 5 } }, limit: 10 })', `SELECT ${BOOKS} FROM "books" WHERE "books"."price" > 5 LIMIT 10`],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('populate: to-one and one-to-many relations as the LEFT JOINs of MikroORM\'s joined strategy', async () => {
    const AUTHOR_COLUMNS = '"author"."id", "author"."created_at", "author"."full_name", "author"."mail"';
    const toOne = await sql("this.em.find(BookTag, { price: { $gt: 5 } }, { populate: ['author'], orderBy: { id: 'asc' }, limit: 10 })");
    assert.equal(toOne.sql, `SELECT ${BOOKS}, ${AUTHOR_COLUMNS} FROM "books" LEFT JOIN "author" ON "author"."id" = "books"."author_id" WHERE "books"."price" > 5 ORDER BY "books"."id" ASC LIMIT 10`);
    assert.match(toOne.notes.join('\n'), /populate: \['author'\].*LEFT JOINs in the same query/);
    const toMany = await sql("this.em.find(Author, { fullName: q }, { populate: ['books'] })");
    assert.equal(toMany.sql, `SELECT ${AUTHOR_COLUMNS}, ${BOOKS} FROM "author" LEFT JOIN "books" ON "books"."author_id" = "author"."id" WHERE "author"."full_name" = $1`);
  });

  it('populate is noted, not joined, where MikroORM loads it otherwise: a collection with a limit, select-in, nested paths, the same table twice', async () => {
    for (const code of [
      "this.em.find(Author, {}, { populate: ['books'], limit: 10 })",
      "this.em.find(BookTag, {}, { populate: ['author'], strategy: 'select-in' })",
      "this.em.find(BookTag, {}, { populate: ['author.books'] })",
      "this.em.find(BookTag, {}, { populate: ['author', 'coAuthor'] })",
    ]) {
      const t = await sql(code);
      assert.doesNotMatch(t.sql, /JOIN/, code);
      assert.match(t.notes.join('\n'), /loads the relations with more SQL/, code);
    }
  });

  it('native writes: nativeUpdate and nativeDelete, on the EntityManager and on a repository', async () => {
    assert.equal((await sql("this.em.nativeUpdate(BookTag, { author: authorId, price: { $lt: 5 } }, { title: q, coAuthor: null })")).sql, 'UPDATE "books" SET "title" = $1, "co_author_id" = NULL WHERE "books"."author_id" = $2 AND "books"."price" < 5');
    assert.equal((await sql('this.books.nativeDelete({ id: { $in: ids } })')).sql, 'DELETE FROM "books" WHERE "books"."id" = ANY($1)');
    await assert.rejects(sql('this.em.nativeUpdate(BookTag, { id: 1 }, { nope: 1 })'), /`nope` is not a property of BookTag/);
    await assert.rejects(sql('this.em.nativeUpdate(BookTag, { id: 1 })'), /nativeUpdate\(\) without the data to set/);
    for (const code of ["this.em.nativeUpdate(BookTag, { author: authorId }, { title: 'x' })", 'this.books.nativeDelete({ id: { $in: ids } })']) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0, code);
  });

  it('refuses what it cannot translate, naming it', async () => {
    await assert.rejects(sql("this.em.find(BookTag, { author: { fullName: 'x' } })"), /conditions on the properties of the relation `author` are not translated/);
    await assert.rejects(sql('this.em.find(BookTag, { nope: 1 })'), /`nope` is not a property of BookTag/);
    await assert.rejects(sql('this.em.find(BookTag, {}, { groupBy: ["title"] })'), /the `groupBy` option is not translated/);
    await assert.rejects(sql("this.em.createQueryBuilder(BookTag, 'b').where('b.price > ?', [1]).getResultList()"), /`where` with raw SQL .* is not translated; where objects are/);
  });

  it('mangled calls translate or are refused with the reason, never another error', async () => {
    for (const code of [
      "this.em.getRepository(BookTag).find({ author: { $in: ids }, price: { $ne: null } }, { orderBy: [{ price: 'desc nulls last' }, { id: 1 }], fields: ['title'] })",
      "this.books.createQueryBuilder('b').where({ author: authorId }).getCount()",
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});

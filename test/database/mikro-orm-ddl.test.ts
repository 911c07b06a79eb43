/**
 * MikroORM entities → DDL for the embedded database (a project that updates its schema from its
 * entities): the exact statements, in the names and types MikroORM's schema generator uses for
 * PostgreSQL, then the database built from them and a find translated from the code explained on it.
 */
import * as assert from 'node:assert/strict';
import { explainQuery } from '../../server/src/database/explain';
import { allNodes } from '../../server/src/database/plan-tree';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';
import { translateIn } from './orm-sql/translate';
import { SchemaWorkspace } from './schema-workspace';

const BASE = `import { PrimaryKey, Property } from '@mikro-orm/core';

export abstract class BaseEntity {
  @PrimaryKey() id!: number;
  @Property() createdAt = new Date();
}
`;

const AUTHOR = `import { Collection, Entity, OneToMany, OneToOne, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { Book } from './book.entity';
import { Profile } from './profile.entity';

@Entity()
export class Author extends BaseEntity {
  @Property({ length: 120 }) fullName!: string;
  @Unique() @Property() email!: string;
  @Property({ type: 'text', nullable: true }) bio?: string;
  @Property({ default: true }) active = true;
  @OneToMany(() => Book, (b) => b.author) books = new Collection<Book>(this);
  @OneToOne(() => Profile, { nullable: true }) profile?: Profile;
}
`;

const PROFILE = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity()
export class Profile {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'json', nullable: true }) settings?: object;
}
`;

const BOOK = `import { Collection, Entity, Index, ManyToMany, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { Author } from './author.entity';
import { Tag } from './tag.entity';

@Entity()
@Index({ properties: ['author', 'createdAt'] })
export class Book extends BaseEntity {
  @Property() title!: string;
  @Property({ columnType: 'numeric(8,2)', nullable: true }) price?: number;
  @ManyToOne(() => Author) author!: Author;
  @ManyToMany(() => Tag) tags = new Collection<Tag>(this);
}
`;

const TAG = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'tags' })
export class Tag {
  @PrimaryKey() id!: number;
  @Property() name!: string;
}
`;

const SERVICE = `import { EntityManager } from '@mikro-orm/postgresql';
import { Book } from './entities/book.entity';

export async function latestBooks(em: EntityManager, authorId: number) {
  return em.find(Book, { author: authorId }, { orderBy: { createdAt: 'desc' }, limit: 20 });
}
`;

const FILES = {
  'src/entities/base.entity.ts': BASE,
  'src/entities/author.entity.ts': AUTHOR,
  'src/entities/profile.entity.ts': PROFILE,
  'src/entities/book.entity.ts': BOOK,
  'src/entities/tag.entity.ts': TAG,
  'src/books.ts': SERVICE,
};

describe('database: MikroORM entities → PostgreSQL DDL', function () {
  this.timeout(180_000);
  const ws = new SchemaWorkspace('mikro-orm-ddl');
  before(() => ws.create(FILES));
  after(() => ws.dispose());

  it('tables with the underscore naming and MikroORM types, then foreign keys, their indexes, pivot tables and @Index/@Unique', async () => {
    const schema = await loadWorkspaceSchema(ws.root);
    assert.deepEqual(schema.files, ['src/entities/author.entity.ts', 'src/entities/book.entity.ts', 'src/entities/profile.entity.ts', 'src/entities/tag.entity.ts']);
    assert.deepEqual(schema.statements.map((s) => s.sql), [
      'CREATE TABLE "author" (\n  "id" serial NOT NULL,\n  "created_at" timestamptz NOT NULL,\n  "full_name" varchar(120) NOT NULL,\n  "email" varchar(255) NOT NULL,\n  "bio" text,\n  "active" boolean NOT NULL DEFAULT true,\n  "profile_id" uuid,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "book" (\n  "id" serial NOT NULL,\n  "created_at" timestamptz NOT NULL,\n  "title" varchar(255) NOT NULL,\n  "price" numeric(8,2),\n  "author_id" integer NOT NULL,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "book_tags" (\n  "book_id" integer NOT NULL,\n  "tag_id" integer NOT NULL,\n  PRIMARY KEY ("book_id", "tag_id")\n);',
      'CREATE TABLE "profile" (\n  "id" uuid NOT NULL,\n  "settings" jsonb,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "tags" (\n  "id" serial NOT NULL,\n  "name" varchar(255) NOT NULL,\n  PRIMARY KEY ("id")\n);',
      'ALTER TABLE "author" ADD CONSTRAINT "author_profile_id_foreign" FOREIGN KEY ("profile_id") REFERENCES "profile" ("id") ON UPDATE CASCADE;',
      'ALTER TABLE "author" ADD CONSTRAINT "author_profile_id_unique" UNIQUE ("profile_id");',
      'ALTER TABLE "author" ADD CONSTRAINT "author_email_unique" UNIQUE ("email");',
      'ALTER TABLE "book" ADD CONSTRAINT "book_author_id_foreign" FOREIGN KEY ("author_id") REFERENCES "author" ("id") ON UPDATE CASCADE;',
      'CREATE INDEX "book_author_id_index" ON "book" ("author_id");',
      'ALTER TABLE "book_tags" ADD CONSTRAINT "book_tags_book_id_foreign" FOREIGN KEY ("book_id") REFERENCES "book" ("id") ON UPDATE CASCADE ON DELETE CASCADE;',
      'ALTER TABLE "book_tags" ADD CONSTRAINT "book_tags_tag_id_foreign" FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON UPDATE CASCADE ON DELETE CASCADE;',
      'CREATE INDEX "book_author_id_created_at_index" ON "book" ("author_id", "created_at");',
    ]);
  });

  it('builds, fills and explains a find translated from the code', async () => {
    const db = await ws.open();
    assert.deepEqual(db.warnings, []);
    assert.deepEqual(Object.keys(db.rows).sort(), ['author', 'book', 'book_tags', 'profile', 'tags']);
    const files = Object.fromEntries(Object.entries(FILES).map(([f, text]) => [`${ws.root}/${f}`, text]));
    const { sql } = await translateIn(files, `${ws.root}/src/books.ts`, 'em.find(');
    const result = await explainQuery(db.connector, sql, { analyze: true });
    assert.deepEqual(result.paramSources, ['sampled from book.author_id']);
    assert.ok([...allNodes(result.plan.root)].some((n) => n.relation === 'book'), result.summary);
  });
});

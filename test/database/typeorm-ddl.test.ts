/**
 * TypeORM entities → DDL for the embedded database (a project that synchronizes its schema from
 * its entities): the exact statements, then the database built from them, filled and explained.
 */
import * as assert from 'node:assert/strict';
import { explainQuery } from '../../server/src/database/explain';
import { allNodes } from '../../server/src/database/plan-tree';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';
import { SchemaWorkspace } from './schema-workspace';

const USER = `import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Post } from './post.entity';

@Entity()
@Unique(['email'])
export class BlogUser {
  @PrimaryGeneratedColumn() id: number;
  @Column({ length: 120 }) email: string;
  @Column({ nullable: true }) bio: string | null;
  @Column('decimal', { precision: 10, scale: 2 }) balance: string;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @OneToMany(() => Post, (post) => post.author) posts: Post[];
}
`;

const POST = `import { Column, DeleteDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BlogUser } from './user.entity';

@Entity('posts')
@Index(['published', 'id'])
export class Post {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() title: string;
  @Column({ type: 'boolean', default: false }) published: boolean;
  @Column('jsonb', { nullable: true }) meta: object;
  @Column({ default: 'draft' }) status: string;
  @Column({ type: 'int', default: () => 'floor(random() * 100)' }) rank: number;
  @Index() @ManyToOne(() => BlogUser, (user) => user.posts, { nullable: false }) author: BlogUser;
  @ManyToOne(() => BlogUser) editor: BlogUser;
  @DeleteDateColumn() deletedAt: Date;
}
`;

describe('database: TypeORM entities → PostgreSQL DDL', function () {
  this.timeout(180_000);
  const ws = new SchemaWorkspace('typeorm-ddl');
  before(() => ws.create({ 'src/entities/user.entity.ts': USER, 'src/entities/post.entity.ts': POST }));
  after(() => ws.dispose());

  it('tables with TypeORM\'s default naming and types, then foreign keys and indexes', async () => {
    const schema = await loadWorkspaceSchema(ws.root);
    assert.deepEqual(schema.files, ['src/entities/post.entity.ts', 'src/entities/user.entity.ts']);
    assert.deepEqual(schema.statements.map((s) => s.sql), [
      'CREATE TABLE "posts" (\n  "id" uuid NOT NULL DEFAULT gen_random_uuid(),\n  "title" varchar(255) NOT NULL,\n  "published" boolean NOT NULL DEFAULT false,\n  "meta" jsonb,\n  "status" varchar(255) NOT NULL DEFAULT \'draft\',\n  "rank" integer NOT NULL,\n  "deletedAt" timestamp,\n  "authorId" integer NOT NULL,\n  "editorId" integer,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "blog_user" (\n  "id" serial NOT NULL,\n  "email" varchar(120) NOT NULL,\n  "bio" varchar(255),\n  "balance" numeric(10, 2) NOT NULL,\n  "created_at" timestamp NOT NULL DEFAULT now(),\n  PRIMARY KEY ("id")\n);',
      'ALTER TABLE "posts" ADD FOREIGN KEY ("authorId") REFERENCES "blog_user" ("id");',
      'ALTER TABLE "posts" ADD FOREIGN KEY ("editorId") REFERENCES "blog_user" ("id");',
      'CREATE INDEX ON "posts" ("published", "id");',
      'CREATE INDEX ON "posts" ("authorId");',
      'ALTER TABLE "posts" ALTER COLUMN "rank" SET DEFAULT floor(random() * 100);',
      'CREATE UNIQUE INDEX ON "blog_user" ("email");',
    ]);
  });

  it('a table a .sql file creates is left to it', async () => {
    ws.write('schema.sql', 'CREATE TABLE blog_user (id serial PRIMARY KEY, email text NOT NULL);\n');
    try {
      const schema = await loadWorkspaceSchema(ws.root);
      assert.equal(schema.statements.filter((s) => /^CREATE TABLE "?blog_user/i.test(s.sql)).length, 1);
      assert.equal(schema.statements.find((s) => /^CREATE TABLE "?blog_user/i.test(s.sql))!.source, 'schema.sql');
    } finally {
      ws.remove('schema.sql');
    }
  });

  it('builds, fills and explains on the embedded database', async () => {
    const db = await ws.open();
    assert.deepEqual(db.warnings, []);
    assert.deepEqual(db.rows, { blog_user: 200, posts: 2_000 });
    const result = await explainQuery(db.connector, 'SELECT p.id, p.title FROM posts p WHERE p."authorId" = $1 AND p."deletedAt" IS NULL', { analyze: true });
    const nodes = [...allNodes(result.plan.root)];
    assert.ok(nodes.some((n) => n.relation === 'posts'), nodes.map((n) => n.nodeType).join(', '));
  });
});

/**
 * `perflens.explain` on a TypeORM and a Drizzle call of a small workspace written to a temp folder:
 * the entities/tables and the TypeORM migration the embedded database is built from agree, so the
 * translated SQL runs there. Asserts on the plan's shape (node types, relations), never on timings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initializeWorkspace, startServer, type TestClient } from './client';

const FILES: Record<string, string> = {
  // The schema comes from the project's TypeORM migration (as `typeorm migration:generate` writes
  // them): no .sql file.
  'src/migrations/1700000000000-Init.ts': `import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE)\`);
    await queryRunner.query(\`CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, published boolean NOT NULL DEFAULT false, author_id integer NOT NULL REFERENCES users (id), created_at timestamptz NOT NULL DEFAULT now())\`);
    await queryRunner.query(\`CREATE INDEX posts_author_id_idx ON posts (author_id)\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE posts\`);
    await queryRunner.query(\`DROP TABLE users\`);
  }
}
`,
  'src/entities/user.ts': `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Post } from './post';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column() email: string;
  @OneToMany(() => Post, (post) => post.author) posts: Post[];
}
`,
  'src/entities/post.ts': `import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user';

@Entity('posts')
export class Post {
  @PrimaryGeneratedColumn() id: number;
  @Column() title: string;
  @Column() published: boolean;
  @Column({ name: 'author_id' }) authorId: number;
  @ManyToOne(() => User, (user) => user.posts)
  @JoinColumn({ name: 'author_id' })
  author: User;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
}
`,
  'src/routes/posts.ts': `import { DataSource } from 'typeorm';
import { Post } from '../entities/post';

export const dataSource = new DataSource({ type: 'postgres', entities: [Post] });
const posts = dataSource.getRepository(Post);

export async function byAuthor(authorId: number) {
  return posts.find({ where: { authorId }, relations: ['author'], order: { createdAt: 'DESC' } });
}
`,
  'src/db/schema.ts': `import { boolean, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull(),
});

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  published: boolean('published').notNull(),
  authorId: integer('author_id').notNull(),
  createdAt: timestamp('created_at').notNull(),
});
`,
  'src/routes/feed.ts': `import { desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { posts, users } from '../db/schema';

const db = drizzle(process.env.DATABASE_URL!);

export async function feed(authorId: number) {
  return db.select().from(posts).innerJoin(users, eq(posts.authorId, users.id)).where(eq(posts.authorId, authorId)).orderBy(desc(posts.createdAt)).limit(20);
}
`,
};

function nodes(n: any): any[] {
  return [n, ...n.children.flatMap(nodes)];
}

describe('language server: explain TypeORM and Drizzle calls on the embedded database', function () {
  this.timeout(180_000);
  let root: string;
  let storage: string;
  let client: TestClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-orm-ts-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-orm-ts-storage-'));
    for (const [file, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    client = startServer({ database: { dataSize: 2000 } });
    await initializeWorkspace(client, root, { storagePath: storage });
  });
  after(async () => {
    await client?.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  async function explainAt(file: string, text: string): Promise<any> {
    const source = FILES[file];
    const offset = source.indexOf(text);
    assert.ok(offset >= 0, `${text} not in ${file}`);
    const before = source.slice(0, offset).split('\n');
    return client.connection.sendRequest('workspace/executeCommand', {
      command: 'perflens.explain',
      arguments: [{ uri: pathToFileURL(path.join(root, file)).href, position: { line: before.length - 1, character: before[before.length - 1].length } }],
    });
  }

  it('TypeORM: repo.find with a relation is a LEFT JOIN of users on the mapped author_id', async () => {
    const r = await explainAt('src/routes/posts.ts', 'posts.find(');
    assert.equal(r.origin, 'orm');
    assert.equal(r.description, 'posts.find → SQL');
    assert.equal(
      r.sql,
      'SELECT "Post"."id", "Post"."title", "Post"."published", "Post"."author_id", "Post"."created_at", "Post__Post_author"."id", "Post__Post_author"."email" FROM "posts" "Post" LEFT JOIN "users" "Post__Post_author" ON "Post__Post_author"."id"="Post"."author_id" WHERE "Post"."author_id" = $1 ORDER BY "Post"."created_at" DESC',
    );
    assert.equal(r.paramSources.length, 1);
    // ORDER BY without LIMIT over a join: the sort is the last step.
    assert.match(r.plan.root.nodeType, /Sort$/);
    const relations = nodes(r.plan.root).map((n) => n.relation).filter(Boolean);
    assert.ok(relations.includes('posts') && relations.includes('users'), relations.join(', '));
  });

  it('Drizzle: select().from(posts).innerJoin(users) with pgTable names, limited', async () => {
    const r = await explainAt('src/routes/feed.ts', 'db.select()');
    assert.equal(r.origin, 'orm');
    assert.equal(
      r.sql,
      'SELECT "posts"."id", "posts"."title", "posts"."published", "posts"."author_id", "posts"."created_at", "users"."id", "users"."email" FROM "posts" INNER JOIN "users" ON "posts"."author_id" = "users"."id" WHERE "posts"."author_id" = $1 ORDER BY "posts"."created_at" DESC LIMIT 20',
    );
    assert.equal(r.plan.root.nodeType, 'Limit');
    const relations = nodes(r.plan.root).map((n) => n.relation).filter(Boolean);
    assert.ok(relations.includes('posts') && relations.includes('users'), relations.join(', '));
  });
});

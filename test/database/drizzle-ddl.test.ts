/** Drizzle tables → DDL for the embedded database (a project that pushes its schema, with no SQL migrations). */
import * as assert from 'node:assert/strict';
import { explainQuery } from '../../server/src/database/explain';
import { allNodes } from '../../server/src/database/plan-tree';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';
import { SchemaWorkspace } from './schema-workspace';

const SCHEMA = `import { boolean, index, integer, numeric, pgEnum, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['reader', 'writer']);

export const users = pgTable('users', {
  id: uuid('id').defaultRandom().primaryKey(),
  email: varchar('email', { length: 120 }).notNull().unique(),
  role: roleEnum('role').notNull(),
});

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: uuid('author_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  price: numeric('price', { precision: 10, scale: 2 }),
  published: boolean('published').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
}, (t) => [index('posts_author_created_idx').on(t.authorId, t.createdAt), uniqueIndex('posts_title_idx').on(t.title)]);

export const postTags = pgTable('post_tags', {
  postId: integer('post_id').notNull().references(() => posts.id),
  tag: text('tag').notNull(),
}, (t) => [primaryKey({ columns: [t.postId, t.tag] })]);
`;

describe('database: Drizzle tables → PostgreSQL DDL', function () {
  this.timeout(180_000);
  const ws = new SchemaWorkspace('drizzle-ddl');
  before(() => ws.create({ 'src/db/schema.ts': SCHEMA }));
  after(() => ws.dispose());

  it('columns typed from their builders, keys, foreign keys and the extra config\'s indexes', async () => {
    const schema = await loadWorkspaceSchema(ws.root);
    assert.deepEqual(schema.files, ['src/db/schema.ts']);
    assert.deepEqual(schema.statements.map((s) => s.sql), [
      'CREATE TABLE "users" (\n  "id" uuid DEFAULT gen_random_uuid(),\n  "email" varchar(120) NOT NULL UNIQUE,\n  "role" text NOT NULL,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "posts" (\n  "id" serial,\n  "author_id" uuid NOT NULL,\n  "title" text NOT NULL,\n  "price" numeric(10, 2),\n  "published" boolean NOT NULL,\n  "created_at" timestamptz NOT NULL DEFAULT now(),\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "post_tags" (\n  "post_id" integer NOT NULL,\n  "tag" text NOT NULL,\n  PRIMARY KEY ("post_id", "tag")\n);',
      'ALTER TABLE "posts" ADD FOREIGN KEY ("author_id") REFERENCES "users" ("id");',
      'CREATE INDEX ON "posts" ("author_id", "created_at");',
      'CREATE UNIQUE INDEX ON "posts" ("title");',
      'ALTER TABLE "post_tags" ADD FOREIGN KEY ("post_id") REFERENCES "posts" ("id");',
    ]);
  });

  it('columns declared without a name are named by drizzle.config\'s casing', async () => {
    ws.write('src/db/events.ts', "import { integer, pgTable, serial, text, uuid } from 'drizzle-orm/pg-core';\nimport { users } from './schema';\n\nexport const events = pgTable('events', {\n  id: serial().primaryKey(),\n  actorId: uuid().references(() => users.id),\n  pageURL: text(),\n  step2: integer(),\n});\n");
    ws.write('drizzle.config.ts', "export default { dialect: 'postgresql', schema: './src/db', casing: 'snake_case' };\n");
    try {
      const events = (await loadWorkspaceSchema(ws.root)).statements.map((s) => s.sql).filter((s) => /"events"/.test(s));
      assert.deepEqual(events, [
        'CREATE TABLE "events" (\n  "id" serial,\n  "actor_id" uuid,\n  "page_url" text,\n  "step2" integer,\n  PRIMARY KEY ("id")\n);',
        'ALTER TABLE "events" ADD FOREIGN KEY ("actor_id") REFERENCES "users" ("id");',
      ]);
    } finally {
      ws.remove('src/db/events.ts');
      ws.remove('drizzle.config.ts');
    }
  });

  it('drizzle-kit\'s SQL migrations, when there are some, make the tables instead', async () => {
    ws.write('drizzle/0000_init.sql', 'CREATE TABLE "users" ("id" uuid PRIMARY KEY, "email" varchar(120) NOT NULL, "role" text NOT NULL);\n--> statement-breakpoint\nCREATE TABLE "posts" ("id" serial PRIMARY KEY, "author_id" uuid NOT NULL, "title" text NOT NULL, "price" numeric(10, 2), "published" boolean NOT NULL, "created_at" timestamptz DEFAULT now() NOT NULL);\n--> statement-breakpoint\nCREATE TABLE "post_tags" ("post_id" integer NOT NULL, "tag" text NOT NULL, PRIMARY KEY ("post_id", "tag"));\n');
    try {
      const schema = await loadWorkspaceSchema(ws.root);
      assert.deepEqual(schema.files, ['drizzle/0000_init.sql']);
    } finally {
      ws.remove('drizzle');
    }
  });

  it('builds, fills and explains on the embedded database', async () => {
    const db = await ws.open();
    assert.deepEqual(db.warnings, []);
    // Referenced tables get a tenth of the data size.
    assert.deepEqual([db.rows.users, db.rows.posts], [200, 200]);
    assert.ok(db.rows.post_tags > 1_000 && db.rows.post_tags <= 2_000, String(db.rows.post_tags));
    const result = await explainQuery(db.connector, 'SELECT id, title FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20', { analyze: true });
    assert.deepEqual(result.paramSources, ['sampled from posts.author_id']);
    assert.ok([...allNodes(result.plan.root)].some((n) => n.relation === 'posts'));
  });
});

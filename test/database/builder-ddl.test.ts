/**
 * Knex, Kysely and Sequelize migrations → DDL for the embedded database: the exact statements, then
 * a database built from a Knex project's migrations, filled and explained.
 */
import * as assert from 'node:assert/strict';
import { explainQuery } from '../../server/src/database/explain';
import { allNodes } from '../../server/src/database/plan-tree';
import { builderDdl } from '../../server/src/database/schema/builder-ddl';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';
import { SchemaWorkspace } from './schema-workspace';

const KNEX_INIT = `exports.up = function (knex) {
  return knex.schema
    .createTable('authors', (table) => {
      table.increments('id');
      table.string('email', 120).notNullable().unique();
      table.timestamps(true, true);
    })
    .createTable('posts', (table) => {
      table.bigIncrements('id');
      table.integer('author_id').unsigned().notNullable().references('id').inTable('authors').onDelete('CASCADE');
      table.string('title').notNullable();
      table.decimal('price', 10, 2);
      table.jsonb('meta');
      table.timestamp('published_at').defaultTo(knex.fn.now());
      table.index(['author_id', 'published_at']);
    });
};
`;

const KNEX_LATER = `exports.up = (knex) => knex.schema.table('posts', (t) => {
  t.boolean('draft').notNullable().defaultTo(false);
  t.integer('editor_id').references('authors.id').index();
});
`;

describe('database: Knex, Kysely and Sequelize migrations → PostgreSQL DDL', function () {
  this.timeout(180_000);

  it('Knex: createTable and table, in the order of the file, with keys, references and indexes', () => {
    assert.deepEqual(builderDdl('/w/migrations/1_init.js', 'migrations/1_init.js', KNEX_INIT).map((s) => s.sql), [
      'CREATE TABLE "authors" (\n  "id" serial,\n  "email" varchar(120) NOT NULL UNIQUE,\n  "created_at" timestamptz NOT NULL DEFAULT now(),\n  "updated_at" timestamptz NOT NULL DEFAULT now(),\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "posts" (\n  "id" bigserial,\n  "author_id" integer NOT NULL REFERENCES "authors" ("id"),\n  "title" varchar(255) NOT NULL,\n  "price" numeric(10, 2),\n  "meta" jsonb,\n  "published_at" timestamptz DEFAULT now(),\n  PRIMARY KEY ("id")\n);',
      'CREATE INDEX ON "posts" ("author_id", "published_at");',
    ]);
    assert.deepEqual(builderDdl('/w/migrations/2_later.js', 'migrations/2_later.js', KNEX_LATER).map((s) => s.sql), [
      'ALTER TABLE "posts" ADD COLUMN "draft" boolean NOT NULL;',
      'ALTER TABLE "posts" ADD COLUMN "editor_id" integer REFERENCES "authors" ("id");',
      'CREATE INDEX ON "posts" ("editor_id");',
    ]);
  });

  it('Kysely: createTable steps, type strings as written, constraints, and createIndex', () => {
    const kysely = `import { Kysely, sql } from 'kysely';
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pet')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('name', 'varchar(255)', (col) => col.notNull().unique())
    .addColumn('owner_id', 'integer', (col) => col.references('person.id').onDelete('cascade').notNull())
    .addColumn('created_at', sql\`timestamptz\`, (col) => col.defaultTo(sql\`now()\`).notNull())
    .execute();
  await db.schema.createIndex('pet_owner_id_index').on('pet').column('owner_id').execute();
}
`;
    assert.deepEqual(builderDdl('/w/migrations/2024_init.ts', 'migrations/2024_init.ts', kysely).map((s) => s.sql), [
      'CREATE TABLE "pet" (\n  "id" serial,\n  "name" varchar(255) NOT NULL UNIQUE,\n  "owner_id" integer NOT NULL REFERENCES "person" ("id"),\n  "created_at" timestamptz NOT NULL DEFAULT now(),\n  PRIMARY KEY ("id")\n);',
      'CREATE INDEX ON "pet" ("owner_id");',
    ]);
  });

  it("Kysely migrations written for SQLite (Bluesky's PDS): its type names as PostgreSQL's", () => {
    const kysely = "export async function up(db) {\n  await db.schema.createTable('repo_seq').addColumn('seq', 'integer', (col) => col.primaryKey()).addColumn('event', 'blob', (col) => col.notNull()).addColumn('at', 'datetime').execute();\n}\n";
    assert.deepEqual(builderDdl('/w/migrations/001-init.ts', 'migrations/001-init.ts', kysely).map((s) => s.sql), [
      'CREATE TABLE "repo_seq" (\n  "seq" integer,\n  "event" bytea NOT NULL,\n  "at" timestamp,\n  PRIMARY KEY ("seq")\n);',
    ]);
  });

  it('Sequelize: queryInterface.createTable with its DataTypes, addColumn and addIndex', () => {
    const sequelize = `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('Posts', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      title: { type: Sequelize.STRING(200), allowNull: false },
      userId: { type: Sequelize.INTEGER, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE' },
      createdAt: { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.fn('now') },
    });
    await queryInterface.addColumn('Posts', 'score', { type: Sequelize.DECIMAL(5, 2) });
    await queryInterface.addIndex('Posts', ['userId', 'createdAt']);
  },
};
`;
    assert.deepEqual(builderDdl('/w/migrations/20240101-create-post.js', 'migrations/20240101-create-post.js', sequelize).map((s) => s.sql), [
      'CREATE TABLE "Posts" (\n  "id" serial NOT NULL,\n  "title" varchar(200) NOT NULL,\n  "userId" integer REFERENCES "Users" ("id"),\n  "createdAt" timestamptz NOT NULL DEFAULT now(),\n  PRIMARY KEY ("id")\n);',
      'ALTER TABLE "Posts" ADD COLUMN "score" numeric(5, 2);',
      'CREATE INDEX ON "Posts" ("userId", "createdAt");',
    ]);
  });

  describe('on the embedded database', () => {
    const ws = new SchemaWorkspace('builder-ddl');
    // The later migration first on disk: the order is the names'.
    before(() => ws.create({ 'migrations/20240201000000_editor.js': KNEX_LATER, 'migrations/20240101000000_init.js': KNEX_INIT }));
    after(() => ws.dispose());

    it('a Knex project: its migrations build the database, which is filled and explained', async () => {
      const schema = await loadWorkspaceSchema(ws.root);
      assert.deepEqual(schema.files, ['migrations/20240101000000_init.js', 'migrations/20240201000000_editor.js']);
      const db = await ws.open();
      assert.deepEqual(db.warnings, []);
      assert.deepEqual(db.rows, { authors: 200, posts: 2_000 });
      const result = await explainQuery(db.connector, 'SELECT id, title FROM posts WHERE author_id = $1 ORDER BY published_at DESC LIMIT 20', { analyze: true });
      assert.deepEqual(result.paramSources, ['sampled from posts.author_id']);
      const relations = [...allNodes(result.plan.root)].map((n) => n.relation).filter(Boolean);
      assert.deepEqual([...new Set(relations)], ['posts']);
    });
  });
});

import * as assert from 'node:assert/strict';
import type { Engine } from '../../server/src/engine/analyze';
import { lintText, testEngine } from '../harness/engine';
import { ruleTests } from '../harness/rule-tester';

const KNEX =
  "exports.up = function (knex) {\n  return knex.schema\n    .createTable('users', (table) => {\n      table.increments('id');\n      table.string('email').notNullable().unique();\n    })\n" +
  "    .createTable('posts', (table) => {\n      table.increments('id');\n      table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');\n" +
  "      table.integer('editor_id').references('users.id');\n      table.index(['editor_id', 'created_at']);\n      table.timestamps();\n    });\n};\n";

const KYSELY =
  "import { Kysely } from 'kysely';\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema\n    .createTable('pet')\n    .addColumn('id', 'serial', (col) => col.primaryKey())\n" +
  "    .addColumn('owner_id', 'integer', (col) => col.references('person.id').onDelete('cascade').notNull())\n    .addColumn('vet_id', 'integer', (col) => col.references('person.id'))\n    .execute();\n\n" +
  "  await db.schema.createIndex('pet_owner_id_index').on('pet').column('owner_id').execute();\n}\n";

const SEQUELIZE =
  "'use strict';\n\nmodule.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('Posts', {\n      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },\n" +
  "      userId: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE' },\n      categoryId: { type: Sequelize.INTEGER, references: { model: 'Categories', key: 'id' } },\n    });\n" +
  "    await queryInterface.addIndex('Posts', ['categoryId', 'createdAt']);\n    await queryInterface.addConstraint('Posts', { fields: ['editorId'], type: 'foreign key', references: { table: 'Users', field: 'id' } });\n  },\n};\n";

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'Knex: a later migration indexes the key',
      file: 'migrations/20240101000000_init.js',
      code: "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.increments('id');\n  t.integer('user_id').references('users.id');\n});\n",
      workspace: { 'migrations/20240201000000_post_user_index.js': "exports.up = (knex) => knex.schema.table('posts', (t) => {\n  t.index('user_id');\n});\n" },
      why: 'the index of the later migration starts with user_id',
    },
    {
      name: 'Knex: the key is the first column of a unique constraint, or indexed on its column',
      file: 'migrations/001_init.js',
      code: "exports.up = (knex) => knex.schema.createTable('memberships', (t) => {\n  t.integer('user_id').references('users.id');\n  t.integer('org_id').references('id').inTable('orgs').index();\n  t.unique(['user_id', 'org_id']);\n});\n",
      why: 'UNIQUE (user_id, org_id) and an index on org_id',
    },
    {
      name: 'Kysely: a composite primary key and an index of the alter table',
      file: 'migrations/2024_init.ts',
      code: "import { Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) {\n  await db.schema.createTable('pet_tag').addColumn('pet_id', 'integer', (c) => c.references('pet.id')).addColumn('tag_id', 'integer', (c) => c.references('tag.id')).addPrimaryKeyConstraint('pet_tag_pk', ['pet_id', 'tag_id']).execute();\n  await db.schema.alterTable('pet_tag').addIndex('pet_tag_tag_idx').column('tag_id').execute();\n}\n",
      why: 'the primary key starts with pet_id, the index with tag_id',
    },
    {
      name: 'Sequelize: an indexed reference, and a unique one',
      file: 'migrations/20240101-create-post.js',
      code: "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('Posts', {\n      userId: { type: Sequelize.INTEGER, references: { model: 'Users', key: 'id' } },\n      slugId: { type: Sequelize.INTEGER, unique: true, references: { model: 'Slugs', key: 'id' } },\n    });\n    await queryInterface.addIndex('Posts', { fields: ['userId'] });\n  },\n};\n",
      why: 'addIndex with fields, and UNIQUE',
    },
    {
      name: 'the keys a migration\'s down puts back (Knex, Sequelize, Kysely): its up dropped them',
      file: 'migrations/20240301000000_drop_keys.js',
      code: "exports.up = (knex) => knex.schema.alterTable('fields', (t) => {\n  t.dropForeign(['collection']);\n});\nexports.down = (knex) => knex.schema.alterTable('fields', (t) => {\n  t.foreign('collection').references('collections.collection');\n});\nmodule.exports.rollback = {\n  async down(queryInterface) {\n    await queryInterface.addConstraint('Posts', { fields: ['editorId'], type: 'foreign key', references: { table: 'Users', field: 'id' } });\n  },\n};\nexport async function down(db) {\n  await db.schema.alterTable('pet').addForeignKeyConstraint('pet_owner_fk', ['owner_id'], 'person', ['id']).execute();\n}\n",
      why: 'a rollback restores the schema before the migration, not the one the migrations build',
    },
    {
      name: 'Knex: a later migration drops the foreign key (dropForeign), the column (dropColumn) or the table',
      file: 'migrations/20240101000000_init.js',
      code: "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.integer('user_id').references('users.id');\n  t.integer('editor_id').references('users.id');\n}).createTable('tags', (t) => {\n  t.integer('post_id').references('posts.id');\n});\n",
      workspace: {
        'migrations/20240201000000_cleanup.js': "exports.up = async (knex) => {\n  await knex.schema.alterTable('posts', (t) => {\n    t.dropForeign('user_id');\n    t.dropColumns('title', 'editor_id');\n  });\n  await knex.schema.dropTableIfExists('tags');\n};\n",
      },
      why: 'the later migration undid all three keys',
    },
    {
      name: 'Knex: a later .sql migration drops the constraint by the name Knex gave it',
      file: 'migrations/20240101000000_init.js',
      code: "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.increments('id');\n  t.integer('user_id').references('users.id');\n});\n",
      workspace: { 'migrations/20240201000000_drop_fk.sql': 'ALTER TABLE posts DROP CONSTRAINT posts_user_id_foreign;\n' },
      why: 'Knex names a foreign key <table>_<columns>_foreign',
    },
    {
      name: 'Kysely: a later migration drops the column, and the named constraint',
      file: 'migrations/2024-01-01_init.ts',
      code: "import { Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) {\n  await db.schema.createTable('pet').addColumn('owner_id', 'integer', (c) => c.references('person.id')).addColumn('vet_id', 'integer').addForeignKeyConstraint('pet_vet_fk', ['vet_id'], 'person', ['id']).execute();\n}\n",
      workspace: { 'migrations/2024-02-01_cleanup.ts': "import { Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) {\n  await db.schema.alterTable('pet').dropColumn('owner_id').execute();\n  await db.schema.alterTable('pet').dropConstraint('pet_vet_fk').execute();\n}\n" },
      why: 'both keys are gone after the later migration',
    },
    {
      name: 'Sequelize: a later migration removes the column, the constraint, the table',
      file: 'migrations/20240101000000-create-post.js',
      code: "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('Posts', {\n      userId: { type: Sequelize.INTEGER, references: { model: 'Users', key: 'id' } },\n    });\n    await queryInterface.addConstraint('Posts', { fields: ['editorId'], type: 'foreign key', name: 'posts_editor_fk', references: { table: 'Users', field: 'id' } });\n    await queryInterface.createTable('Tags', { postId: { type: Sequelize.INTEGER, references: { model: 'Posts', key: 'id' } } });\n  },\n};\n",
      workspace: { 'migrations/20240301000000-cleanup.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.removeColumn('Posts', 'userId');\n    await queryInterface.removeConstraint('Posts', 'posts_editor_fk');\n    await queryInterface.dropTable('Tags');\n  },\n};\n" },
      why: 'all three keys are gone after the later migration',
    },
    {
      name: 'a workspace whose only database driver is MySQL\'s',
      file: 'migrations/20240101000000_init.js',
      workspace: { 'package.json': '{ "dependencies": { "knex": "^3.1.0", "mysql2": "^3.9.0" } }' },
      code: "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.integer('user_id').references('users.id');\n});\n",
      why: 'InnoDB indexes every foreign key on its own',
    },
  ],
  invalid: [
    {
      name: 'Knex: only a rollback drops it, or an earlier migration, or another foreign key',
      file: 'migrations/20240201000000_posts.js',
      code: "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.increments('id');\n  t.integer('user_id').references('users.id');\n});\nexports.down = (knex) => knex.schema.dropTable('posts');\n",
      workspace: {
        'migrations/20240101000000_init.js': "exports.up = (knex) => knex.schema.alterTable('posts', (t) => {\n  t.dropColumn('user_id');\n});\n",
        'migrations/20240301000000_other.js': "exports.up = (knex) => knex.schema.alterTable('posts', (t) => {\n  t.dropForeign(['user_id', 'org_id']);\n  t.dropForeign('editor_id');\n});\nexports.down = (knex) => knex.schema.dropTable('posts');\n",
      },
      findings: [{ line: 3, message: /`posts\.user_id` references `users`/ }],
    },
    {
      name: 'Knex: a column reference without an index (the composite index of another column does not count)',
      file: 'migrations/20240101000000_init.js',
      code: KNEX,
      findings: [{ line: 9, message: /^`posts\.user_id` references `users`, and no index starts with it: Knex creates the foreign key without an index.*Add `knex\.schema\.alterTable\('posts', \(table\) => \{ table\.index\(\['user_id'\]\); \}\)` in a new migration/ }],
    },
    {
      name: 'Knex: table.foreign(...) in an alter table',
      file: 'db/migrations/002_editor.js',
      code: "exports.up = (knex) => knex.schema.alterTable('posts', (t) => {\n  t.integer('editor_id');\n  t.foreign('editor_id').references('id').inTable('users');\n});\n",
      findings: [{ line: 3, message: /^`posts\.editor_id` references `users`/ }],
    },
    {
      name: 'Kysely: a column reference; the index on another one does not count',
      file: 'src/migrations/2024-01-01_init.ts',
      code: KYSELY,
      findings: [{ line: 8, message: /^`pet\.vet_id` references `person`.*Kysely creates.*Add `db\.schema\.createIndex\('pet_vet_id_idx'\)\.on\('pet'\)\.columns\(\['vet_id'\]\)\.execute\(\)` in a new migration/ }],
    },
    {
      name: 'Kysely: addForeignKeyConstraint',
      file: 'migrations/2024_02.ts',
      code: "import { Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) {\n  await db.schema.alterTable('pet').addForeignKeyConstraint('pet_owner_fk', ['owner_id'], 'person', ['id']).execute();\n}\n",
      findings: [{ line: 3, message: /^`pet\.owner_id` references `person`/ }],
    },
    {
      name: 'Sequelize: createTable references, and addConstraint',
      file: 'migrations/20240101120000-create-post.js',
      code: SEQUELIZE,
      findings: [
        { line: 7, message: /^`Posts\.userId` references `Users`.*Sequelize creates.*Add `queryInterface\.addIndex\('Posts', \['userId'\]\)` in a new migration/ },
        { line: 11, message: /^`Posts\.editorId` references `Users`/ },
      ],
    },
  ],
});

describe('unindexed-foreign-key: the new migration a migration\'s finding gets', () => {
  let engine: Engine;
  before(async () => {
    engine = await testEngine();
  });
  const migrationOf = (file: string, code: string) => {
    const found = lintText(engine, code, file).findings.filter((f) => f.ruleId === 'unindexed-foreign-key');
    return found.map((f) => f.fixes[0].newMigration);
  };

  it('Knex, CommonJS: exports.up and exports.down in the folder of the migration', () => {
    const [m] = migrationOf('migrations/20240101000000_init.js', KNEX);
    assert.equal(m?.dir, '/project/src/migrations');
    assert.equal(m?.slug, 'add_posts_user_id_index');
    assert.equal(m?.extension, '.js');
    assert.equal(
      m?.text,
      "exports.up = (knex) =>\n  knex.schema.alterTable('posts', (table) => {\n    table.index(['user_id']);\n  });\n\nexports.down = (knex) =>\n  knex.schema.alterTable('posts', (table) => {\n    table.dropIndex(['user_id']);\n  });\n",
    );
  });

  it('Kysely, TypeScript: typed up and down', () => {
    const [m] = migrationOf('src/migrations/2024-01-01_init.ts', KYSELY);
    assert.equal(m?.extension, '.ts');
    assert.equal(
      m?.text,
      "import type { Kysely } from 'kysely';\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.createIndex('pet_vet_id_idx').on('pet').columns(['vet_id']).execute();\n}\n\n" +
        "export async function down(db: Kysely<any>): Promise<void> {\n  await db.schema.dropIndex('pet_vet_id_idx').execute();\n}\n",
    );
  });

  it('sequelize-cli: addIndex and removeIndex; an ES module Sequelize migration gets advice only', () => {
    const [m] = migrationOf('migrations/20240101120000-create-post.js', SEQUELIZE);
    assert.equal(
      m?.text,
      "'use strict';\n\n/** @type {import('sequelize-cli').Migration} */\nmodule.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex('Posts', ['userId']);\n  },\n\n  async down(queryInterface) {\n    await queryInterface.removeIndex('Posts', ['userId']);\n  },\n};\n",
    );
    const esm = "export async function up({ context: queryInterface }) {\n  await queryInterface.addColumn('Posts', 'userId', { type: 'INTEGER', references: { model: 'Users', key: 'id' } });\n}\n";
    const found = lintText(engine, esm, 'migrations/2024.01.01T00.00.00.add-user.js').findings.filter((f) => f.ruleId === 'unindexed-foreign-key');
    assert.equal(found.length, 1);
    assert.equal(found[0].fixes[0].applicability, 'display-only');
  });

  it('SQL: the CREATE INDEX, and golang-migrate\'s .up.sql gets its .down.sql', () => {
    const [m] = migrationOf('db/migrations/000001_init.up.sql', 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n');
    assert.equal(m?.extension, '.up.sql');
    assert.equal(m?.text, '-- The index of the foreign key posts (author_id) → authors (PerfLens, unindexed-foreign-key).\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n');
    assert.equal(m?.down, 'DROP INDEX posts_author_id_idx;\n');
  });
});

// An index that a later migration drops, by the name the library gave it, no longer serves the key.
const KNEX_INIT = "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.increments('id');\n  t.integer('user_id').references('users.id').index();\n});\n";
ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'Knex: an index dropped and made again by later migrations; a drop of another index',
      file: 'migrations/20240101000000_init.js',
      code: KNEX_INIT,
      workspace: {
        'migrations/20240201000000_drop.js': "exports.up = (knex) => knex.schema.table('posts', (t) => {\n  t.dropIndex('user_id');\n  t.dropIndex(['title']);\n});\n",
        'migrations/20240301000000_again.js': "exports.up = (knex) => knex.schema.table('posts', (t) => {\n  t.index(['user_id'], 'posts_user_idx');\n});\n",
      },
      why: 'the index made last serves the key',
    },
  ],
  invalid: [
    {
      name: 'Knex: a later migration drops the index (by the name Knex gave it)',
      file: 'migrations/20240101000000_init.js',
      code: KNEX_INIT,
      workspace: { 'migrations/20240201000000_drop.js': "exports.up = (knex) => knex.schema.table('posts', (t) => {\n  t.dropIndex(['user_id']);\n});\n" },
      findings: [{ line: 3 }],
    },
    {
      name: 'Kysely: db.schema.dropIndex of the index createIndex named',
      file: 'migrations/2024-01-01-init.ts',
      code: KYSELY,
      workspace: { 'migrations/2024-02-01-drop.ts': "import { Kysely } from 'kysely';\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.dropIndex('pet_owner_id_index').execute();\n}\n" },
      findings: [{ line: 7 }, { line: 8 }],
    },
    {
      name: 'Sequelize: removeIndex of the index addIndex made (Sequelize names it <table>_<fields>)',
      file: 'migrations/20240101000000-init.js',
      code: "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('Posts', {\n      userId: { type: Sequelize.INTEGER, references: { model: 'Users', key: 'id' } },\n    });\n    await queryInterface.addIndex('Posts', ['userId']);\n  },\n};\n",
      workspace: { 'migrations/20240201000000-drop.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.removeIndex('Posts', ['userId']);\n  },\n};\n" },
      findings: [{ line: 4 }],
    },
  ],
});


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
      name: 'a workspace whose only database driver is MySQL\'s',
      file: 'migrations/20240101000000_init.js',
      workspace: { 'package.json': '{ "dependencies": { "knex": "^3.1.0", "mysql2": "^3.9.0" } }' },
      code: "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.integer('user_id').references('users.id');\n});\n",
      why: 'InnoDB indexes every foreign key on its own',
    },
  ],
  invalid: [
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

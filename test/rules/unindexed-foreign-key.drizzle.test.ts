import { ruleTests } from '../harness/rule-tester';

const PG = "import { index, integer, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n\n";

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'an index in the extra config (array form) starts with the foreign key',
      file: 'schema.ts',
      code: `${PG}export const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),\n  createdAt: text('created_at'),\n}, (t) => [\n  index('posts_author_created_idx').on(t.authorId, t.createdAt.desc()),\n]);\n`,
      why: 'the composite index starts with author_id',
    },
    {
      name: 'a join table: the composite primary key serves the first key, an index with using() the second',
      file: 'schema.ts',
      code: `${PG}export const postTags = pgTable('post_tags', {\n  postId: integer('post_id').notNull().references(() => users.id),\n  tagId: integer('tag_id').notNull().references(() => users.id),\n}, (table) => [\n  primaryKey({ columns: [table.postId, table.tagId] }),\n  index('post_tags_tag_idx').using('btree', table.tagId),\n]);\n`,
      why: 'primary key (post_id, tag_id) and an index on tag_id',
    },
    {
      name: 'a unique column, and the older object form of the extra config',
      file: 'schema.ts',
      code: `${PG}export const profiles = pgTable('profiles', {\n  id: serial('id').primaryKey(),\n  userId: integer('user_id').references(() => users.id).unique(),\n  editorId: integer('editor_id').references(() => users.id),\n}, (t) => ({\n  editorIdx: uniqueIndex('profiles_editor_idx').on(t.editorId),\n}));\n`,
      why: 'UNIQUE makes an index; so does the unique index',
    },
    {
      name: 'a MySQL table',
      file: 'schema.ts',
      code: "import { int, mysqlTable, serial } from 'drizzle-orm/mysql-core';\nimport { users } from './users';\n\nexport const posts = mysqlTable('posts', {\n  id: serial('id').primaryKey(),\n  authorId: int('author_id').references(() => users.id),\n});\n",
      why: 'InnoDB indexes every foreign key on its own',
    },
    {
      name: 'an index a hand-written SQL migration adds',
      file: 'src/db/schema.ts',
      workspace: { 'drizzle/0003_indexes.sql': 'CREATE INDEX IF NOT EXISTS posts_author_id_idx ON posts (author_id);\n' },
      code: `${PG}export const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  authorId: integer('author_id').references(() => users.id),\n});\n`,
      why: 'the workspace SQL indexes posts (author_id)',
    },
    {
      name: 'columns without a name under drizzle.config\'s snake_case casing: the SQL migration\'s index on author_id serves authorId',
      file: 'src/db/schema.ts',
      workspace: {
        'drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\n\nexport default defineConfig({\n  dialect: 'postgresql',\n  schema: './src/db/schema.ts',\n  casing: 'snake_case',\n});\n",
        'drizzle/0003_indexes.sql': 'CREATE INDEX posts_author_id_idx ON posts (author_id);\n',
      },
      code: `${PG}export const posts = pgTable('posts', {\n  id: serial().primaryKey(),\n  authorId: integer().references(() => users.id),\n});\n`,
      why: 'with casing, authorId is the column author_id, which the migration indexes',
    },
    {
      name: 'a table that is not Drizzle\'s: a pgTable of another module',
      file: 'schema.ts',
      code: "import { pgTable, integer } from './my-dsl';\n\nexport const posts = pgTable('posts', { authorId: integer('author_id').references(() => users.id) });\n",
      why: 'only drizzle-orm table functions are read',
    },
  ],
  invalid: [
    {
      name: 'columns without a name and no casing: authorId is the column, which an index on author_id does not serve',
      file: 'src/db/schema.ts',
      workspace: { 'drizzle/0003_indexes.sql': 'CREATE INDEX posts_author_id_idx ON posts (author_id);\n' },
      code: `${PG}export const posts = pgTable('posts', {\n  id: serial().primaryKey(),\n  authorId: integer().references(() => users.id),\n});\n`,
      findings: [{ line: 6, message: /^`posts\.authorId` \(column `authorId`\) references `users\.id`/ }],
    },
    {
      name: 'a foreign key column of a table without extra config: the fix adds one',
      file: 'schema.ts',
      code: "import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n\nexport const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  title: text('title').notNull(),\n  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),\n});\n",
      findings: [{ line: 7, message: /^`posts\.authorId` \(column `author_id`\) references `users\.id` without an index: Drizzle declares no index for a foreign key, and PostgreSQL does not index.*Add `index\('posts_author_id_idx'\)\.on\(table\.authorId\)` to the table's extra config, then generate a migration/ }],
      output: "import { integer, pgTable, serial, text, index } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n\nexport const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  title: text('title').notNull(),\n  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),\n}, (table) => [index('posts_author_id_idx').on(table.authorId)]);\n",
    },
    {
      name: 'prettier\'s layout of the arguments is kept',
      file: 'schema.ts',
      code: "import { integer, pgTable, serial, index } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n\nexport const posts = pgTable(\n  'posts',\n  {\n    id: serial('id').primaryKey(),\n    authorId: integer('author_id').references(() => users.id),\n  },\n);\n",
      findings: [{ line: 8, message: /`posts\.authorId`/ }],
      output: "import { integer, pgTable, serial, index } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n\nexport const posts = pgTable(\n  'posts',\n  {\n    id: serial('id').primaryKey(),\n    authorId: integer('author_id').references(() => users.id),\n  },\n  (table) => [index('posts_author_id_idx').on(table.authorId)],\n);\n",
    },
    {
      name: 'an index on another column; the fix adds one to the list, with its parameter name',
      file: 'schema.ts',
      code: `${PG}export const comments = pgTable('comments', {\n  id: serial('id').primaryKey(),\n  postId: integer('post_id').references(() => users.id),\n  body: text('body'),\n}, (t) => [\n  index('comments_body_idx').on(t.body),\n]);\n`,
      findings: [{ line: 6, message: /`comments\.postId` \(column `post_id`\)/ }],
      output: `${PG}export const comments = pgTable('comments', {\n  id: serial('id').primaryKey(),\n  postId: integer('post_id').references(() => users.id),\n  body: text('body'),\n}, (t) => [\n  index('comments_body_idx').on(t.body),\n  index('comments_post_id_idx').on(t.postId),\n]);\n`,
    },
    {
      name: 'a list without a trailing comma, whose last line ends in a comment',
      file: 'schema.ts',
      code: `${PG}export const comments = pgTable('comments', {\n  postId: integer('post_id').references(() => users.id),\n  body: text('body'),\n}, (t) => [\n  index('comments_body_idx').on(t.body) // search\n]);\n`,
      findings: [{ line: 5, message: /`comments\.postId`/ }],
      output: `${PG}export const comments = pgTable('comments', {\n  postId: integer('post_id').references(() => users.id),\n  body: text('body'),\n}, (t) => [\n  index('comments_body_idx').on(t.body), // search\n  index('comments_post_id_idx').on(t.postId)\n]);\n`,
    },
    {
      name: 'the second column of a composite primary key; the older object form gets a property',
      file: 'schema.ts',
      code: `${PG}export const postTags = pgTable('post_tags', {\n  postId: integer('post_id').notNull().references(() => users.id),\n  tagId: integer('tag_id').notNull().references(() => users.id),\n}, (t) => ({ pk: primaryKey({ columns: [t.postId, t.tagId] }) }));\n`,
      findings: [{ line: 6, message: /`postTags\.tagId` \(column `tag_id`\)/ }],
      output: `${PG}export const postTags = pgTable('post_tags', {\n  postId: integer('post_id').notNull().references(() => users.id),\n  tagId: integer('tag_id').notNull().references(() => users.id),\n}, (t) => ({ pk: primaryKey({ columns: [t.postId, t.tagId] }), tagIdIdx: index('post_tags_tag_id_idx').on(t.tagId) }));\n`,
    },
    {
      name: 'a composite foreignKey() in the extra config, on SQLite; the key name is the column when none is given',
      file: 'schema.ts',
      code: "import { foreignKey, integer, sqliteTable } from 'drizzle-orm/sqlite-core';\nimport { orders } from './orders';\n\nexport const lines = sqliteTable('order_lines', {\n  orderId: integer(),\n  shopId: integer(),\n}, (t) => [\n  foreignKey({ columns: [t.shopId, t.orderId], foreignColumns: [orders.shopId, orders.id] }),\n]);\n",
      findings: [{ line: 8, message: /^`lines\.\(shopId, orderId\)` \(columns `shopId, orderId`\) references `orders\.shopId, orders\.id` without an index.*SQLite does not index/ }],
      output: "import { foreignKey, integer, sqliteTable, index } from 'drizzle-orm/sqlite-core';\nimport { orders } from './orders';\n\nexport const lines = sqliteTable('order_lines', {\n  orderId: integer(),\n  shopId: integer(),\n}, (t) => [\n  foreignKey({ columns: [t.shopId, t.orderId], foreignColumns: [orders.shopId, orders.id] }),\n  index('order_lines_shopId_orderId_idx').on(t.shopId, t.orderId),\n]);\n",
    },
    {
      name: 'tables of a pgSchema and of a pgTableCreator',
      file: 'schema.ts',
      code: "import { integer, pgSchema, pgTableCreator, serial } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n\nconst app = pgSchema('app');\nconst createTable = pgTableCreator((name) => `t3_${name}`);\n\nexport const posts = app.table('posts', { id: serial('id').primaryKey(), authorId: integer('author_id').references(() => users.id) });\nexport const notes = createTable('notes', { id: serial('id').primaryKey(), ownerId: integer('owner_id').references(() => users.id) });\n",
      findings: [{ line: 7, message: /`posts\.authorId`/ }, { line: 8, message: /`notes\.ownerId`/ }],
    },
  ],
});

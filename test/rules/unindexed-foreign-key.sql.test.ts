import { fixtureTests, ruleTests } from '../harness/rule-tester';

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'a CREATE INDEX on the foreign key',
      file: 'schema.sql',
      code: 'CREATE TABLE posts (\n  id bigserial PRIMARY KEY,\n  author_id bigint NOT NULL REFERENCES authors (id)\n);\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n',
      why: 'the index serves the lookups and the delete checks',
    },
    {
      name: 'a composite index that starts with it',
      file: 'schema.sql',
      code: 'CREATE TABLE comments (id bigserial PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts (id), created_at timestamptz);\nCREATE INDEX comments_post_created ON comments (post_id, created_at DESC);\n',
      why: 'an index serves lookups by its leading columns',
    },
    {
      name: 'the primary key of a join table starts with it',
      file: 'schema.sql',
      code: 'CREATE TABLE post_tags (\n  post_id bigint REFERENCES posts (id),\n  tag_id bigint,\n  PRIMARY KEY (post_id, tag_id),\n  UNIQUE (tag_id, post_id),\n  FOREIGN KEY (tag_id) REFERENCES tags (id)\n);\n',
      why: 'PRIMARY KEY and UNIQUE constraints are indexes',
    },
    {
      name: 'a one-to-one key: UNIQUE on the column',
      file: 'schema.sql',
      code: 'CREATE TABLE profiles (id serial PRIMARY KEY, user_id int NOT NULL UNIQUE REFERENCES users (id));\n',
      why: 'UNIQUE makes an index',
    },
    {
      name: 'a two-column foreign key whose index lists the columns the other way round',
      file: 'schema.sql',
      code: 'CREATE TABLE lines (id serial PRIMARY KEY, order_id int, shop_id int, FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id));\nCREATE INDEX lines_order_shop ON lines (order_id, shop_id);\n',
      why: 'the delete check looks up both columns by equality: any order of them serves it',
    },
    {
      name: 'the index is in a later migration',
      file: 'db/migrations/0001_init.sql',
      workspace: { '0002_indexes.sql': 'CREATE INDEX posts_author_id_idx ON posts (author_id);\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      why: 'the workspace knows the index',
    },
    {
      name: 'a later migration drops the column',
      file: 'db/migrations/0001_init.sql',
      workspace: { 'db/migrations/0002_cleanup.sql': 'ALTER TABLE posts DROP COLUMN IF EXISTS author_id CASCADE, DROP COLUMN title;\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      why: 'the foreign key went with its column: the schema has no such key any more',
    },
    {
      name: 'a later migration drops the table (with others, schema-qualified)',
      file: 'db/migrations/0001_init.sql',
      workspace: { 'db/migrations/0002_cleanup.sql': 'DROP TABLE IF EXISTS public.tags, public.posts CASCADE;\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      why: 'no table, no key',
    },
    {
      name: 'a later migration drops the named constraint',
      file: 'migrations/001_init.sql',
      workspace: { 'migrations/002_cleanup.sql': 'ALTER TABLE notes DROP CONSTRAINT notes_user_fk;\n' },
      code: 'CREATE TABLE notes (id serial PRIMARY KEY, user_id int, CONSTRAINT notes_user_fk FOREIGN KEY (user_id) REFERENCES users (id));\n',
      why: 'the constraint is gone: the column stays, without a foreign key',
    },
    {
      name: 'a later migration drops the constraint PostgreSQL named (an unnamed REFERENCES)',
      file: 'migrations/001_init.sql',
      workspace: { 'migrations/002_cleanup.sql': 'ALTER TABLE ONLY posts DROP CONSTRAINT posts_author_id_fkey;\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      why: 'PostgreSQL names an unnamed foreign key <table>_<columns>_fkey',
    },
    {
      name: 'a later Prisma migration drops the constraint',
      file: 'prisma/migrations/20240101000000_init/migration.sql',
      workspace: { 'prisma/migrations/20240301000000_drop_author/migration.sql': '-- DropForeignKey\nALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";\n' },
      code: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      why: 'Prisma migrations run in the order of their folders',
    },
    {
      name: 'Flyway: V10 runs after V9',
      file: 'sql/V9__init.sql',
      workspace: { 'sql/V10__drop_author.sql': 'ALTER TABLE posts DROP COLUMN author_id;\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      why: 'Flyway orders by version number, not by name',
    },
    {
      name: 'dropped later in the same file',
      file: 'schema.sql',
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\nALTER TABLE posts DROP COLUMN author_id;\n',
      why: 'the statement after it undoes it',
    },
    {
      name: 'made again by a rollback: a goose migration\'s Down section',
      file: 'db/migrations/00002_drop_author.sql',
      code: '-- +goose Up\nALTER TABLE posts DROP COLUMN author_id;\n\n-- +goose Down\nALTER TABLE posts ADD COLUMN author_id bigint REFERENCES authors (id);\n',
      why: 'a rollback puts back what the migration dropped: it is not the schema',
    },
    {
      name: 'made again by a rollback: a .down.sql file',
      file: 'db/migrations/000002_drop_author.down.sql',
      code: 'ALTER TABLE posts ADD COLUMN author_id bigint REFERENCES authors (id);\n',
      why: 'a rollback puts back what the migration dropped: it is not the schema',
    },
    {
      name: 'MySQL',
      file: 'schema.sql',
      code: 'CREATE TABLE `posts` (\n  `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  `author_id` bigint NOT NULL,\n  FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`)\n) ENGINE=InnoDB;\n',
      why: 'InnoDB indexes every foreign key on its own',
    },
    {
      name: 'an index with INCLUDE and WHERE clauses, and pg_dump\'s ALTER TABLE ONLY',
      file: 'schema.sql',
      code: 'CREATE TABLE public.post_tags (post_id integer, tag_id integer, note text);\nALTER TABLE ONLY public.post_tags ADD CONSTRAINT post_tags_pkey PRIMARY KEY (post_id, tag_id);\nALTER TABLE ONLY public.post_tags ADD CONSTRAINT post_tags_post_fk FOREIGN KEY (post_id) REFERENCES public.posts(id);\nALTER TABLE ONLY public.post_tags ADD CONSTRAINT post_tags_tag_fk FOREIGN KEY (tag_id) REFERENCES public.tags(id);\nCREATE INDEX post_tags_tag ON public.post_tags USING btree (tag_id) INCLUDE (note) WHERE (note IS NOT NULL);\n',
      why: 'the primary key serves post_id and the (partial, covering) index tag_id',
    },
    {
      name: 'plain DDL in a workspace whose only database driver is MySQL\'s',
      file: 'schema.sql',
      workspace: { 'package.json': '{ "dependencies": { "mysql2": "^3.9.0", "knex": "^3.1.0" } }' },
      code: 'CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      why: 'the DDL runs on MySQL, whose InnoDB indexes foreign keys',
    },
    {
      name: 'broken DDL',
      file: 'schema.sql',
      code: 'CREATE TABLE posts (author_id bigint REFERENCES authors (id)\n',
      why: 'does not parse: a problem, not a finding',
    },
  ],
  invalid: [
    {
      name: 'a column REFERENCES without an index: the fix adds one after the table',
      file: 'schema.sql',
      code: 'CREATE TABLE posts (\n  id bigserial PRIMARY KEY,\n  author_id bigint NOT NULL REFERENCES authors (id),\n  title text NOT NULL\n);\n\nCREATE TABLE tags (id serial PRIMARY KEY);\n',
      findings: [{ line: 3, message: /^`posts\.author_id` references `authors`, and no index starts with it: PostgreSQL does not index foreign keys on its own\. Deleting a row of `authors` .* Add `CREATE INDEX posts_author_id_idx ON posts \(author_id\);`\.$/ }],
      output: 'CREATE TABLE posts (\n  id bigserial PRIMARY KEY,\n  author_id bigint NOT NULL REFERENCES authors (id),\n  title text NOT NULL\n);\n\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n\nCREATE TABLE tags (id serial PRIMARY KEY);\n',
    },
    {
      name: 'the second column of a primary key, a trailing comment kept on its statement',
      file: 'schema.sql',
      code: 'CREATE TABLE post_tags (\n  post_id bigint REFERENCES posts (id),\n  tag_id bigint REFERENCES tags (id),\n  PRIMARY KEY (post_id, tag_id)\n); -- tags of a post',
      findings: [{ line: 3, message: /`post_tags\.tag_id` references `tags`/ }],
      output: 'CREATE TABLE post_tags (\n  post_id bigint REFERENCES posts (id),\n  tag_id bigint REFERENCES tags (id),\n  PRIMARY KEY (post_id, tag_id)\n); -- tags of a post\n\nCREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);',
    },
    {
      name: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY with quoted names',
      file: 'schema.sql',
      code: 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER NOT NULL);\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      findings: [{ line: 2, message: /`Post\.authorId` references `User`/ }],
      output: 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER NOT NULL);\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n\nCREATE INDEX "Post_authorId_idx" ON "Post" ("authorId");\n',
    },
    {
      name: 'ALTER TABLE … ADD COLUMN … REFERENCES, a schema-qualified table',
      file: 'schema.sql',
      code: 'CREATE TABLE app.posts (id bigserial PRIMARY KEY);\nALTER TABLE app.posts ADD COLUMN editor_id bigint REFERENCES app.users (id);\n',
      findings: [{ line: 2, message: /`posts\.editor_id` references `users`/ }],
      output: 'CREATE TABLE app.posts (id bigserial PRIMARY KEY);\nALTER TABLE app.posts ADD COLUMN editor_id bigint REFERENCES app.users (id);\n\nCREATE INDEX posts_editor_id_idx ON app.posts (editor_id);\n',
    },
    {
      name: 'Windows line endings: the new statement after the comment that ends the line, in CRLF',
      file: 'schema.sql',
      code: 'CREATE TABLE posts (\r\n  id bigserial PRIMARY KEY,\r\n  author_id bigint REFERENCES authors (id)\r\n); -- posts\r\n',
      findings: [{ line: 3 }],
      output: 'CREATE TABLE posts (\r\n  id bigserial PRIMARY KEY,\r\n  author_id bigint REFERENCES authors (id)\r\n); -- posts\r\n\r\nCREATE INDEX posts_author_id_idx ON posts (author_id);\r\n',
    },
    {
      name: 'a two-column foreign key',
      file: 'schema.sql',
      code: 'CREATE TABLE lines (id serial PRIMARY KEY, order_id int, shop_id int, FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id));\n',
      findings: [{ line: 1, message: /`lines\.\(shop_id, order_id\)` references `orders`, and no index starts with these columns.*`WHERE shop_id = … AND order_id = …`/ }],
      output: 'CREATE TABLE lines (id serial PRIMARY KEY, order_id int, shop_id int, FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id));\n\nCREATE INDEX lines_shop_id_order_id_idx ON lines (shop_id, order_id);\n',
    },
    {
      name: 'an index on another column of the table does not count',
      file: 'schema.sql',
      code: '-- dialect: sqlite\nCREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts (id), created_at TEXT);\nCREATE INDEX comments_created_post ON comments (created_at, post_id);\n',
      findings: [{ line: 2, message: /SQLite does not index foreign keys on its own/ }],
      output: '-- dialect: sqlite\nCREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts (id), created_at TEXT);\n\nCREATE INDEX comments_post_id_idx ON comments (post_id);\nCREATE INDEX comments_created_post ON comments (created_at, post_id);\n',
    },
    {
      name: 'a Prisma migration: the index belongs in schema.prisma (no edit of the migration)',
      file: 'prisma/migrations/20240101000000_init/migration.sql',
      code: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      findings: [{ line: 2, message: /Add `@@index\(\[authorId\]\)` to model Post in schema\.prisma, and Prisma writes the migration\.$/ }],
    },
    {
      name: 'a migration drizzle-kit wrote: the index belongs in the Drizzle schema (no edit)',
      file: 'drizzle/0000_cool_thing.sql',
      code: 'CREATE TABLE "posts" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"author_id" integer NOT NULL\n);\n--> statement-breakpoint\nALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;\n',
      findings: [{ line: 6, message: /drizzle-kit wrote this migration from the schema: add `index\(…\)\.on\(…\)` for author_id to the `posts` table's extra config there, then `drizzle-kit generate`\.$/ }],
    },
    {
      name: 'a table dropped before it is made again (a schema file that starts over)',
      file: 'schema.sql',
      code: 'DROP TABLE IF EXISTS posts;\nCREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      findings: [{ line: 2, message: /`posts\.author_id` references `authors`/ }],
      output: 'DROP TABLE IF EXISTS posts;\nCREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n',
    },
    {
      name: 'dropped only by a rollback (.down.sql), an earlier migration, another folder or a file that is no migration',
      file: 'db/migrations/000002_posts.up.sql',
      workspace: {
        'db/migrations/000002_posts.down.sql': 'DROP TABLE posts;\n',
        'db/migrations/000001_init.up.sql': 'ALTER TABLE posts DROP COLUMN author_id;\n',
        'other/migrations/000003_drop.up.sql': 'ALTER TABLE posts DROP COLUMN author_id;\n',
        'db/000009_cleanup.sql': 'ALTER TABLE posts DROP COLUMN author_id;\n',
      },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      findings: [{ line: 1, message: /`posts\.author_id` references `authors`/ }],
    },
    {
      name: 'dropped by a goose migration\'s Down section only',
      file: 'db/migrations/00001_posts.sql',
      code: '-- +goose Up\nCREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n\n-- +goose Down\nDROP TABLE posts;\n',
      findings: [{ line: 2, message: /`posts\.author_id` references `authors`/ }],
    },
    {
      name: 'a migration that drops another column or another constraint',
      file: 'migrations/001_init.sql',
      workspace: { 'migrations/002_cleanup.sql': 'ALTER TABLE posts DROP COLUMN title, DROP CONSTRAINT posts_editor_id_fkey;\nDROP TABLE authors;\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      findings: [{ line: 1, message: /`posts\.author_id` references `authors`/ }],
    },
    {
      name: 'Flyway: V9 runs before V10',
      file: 'sql/V10__posts.sql',
      workspace: { 'sql/V9__drop_author.sql': 'ALTER TABLE posts DROP COLUMN author_id;\n' },
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      findings: [{ line: 1, message: /`posts\.author_id` references `authors`/ }],
    },
    {
      name: 'a migration that has run: the index goes in a new one (no edit)',
      file: 'db/migrations/0001_init.sql',
      code: 'CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint REFERENCES authors (id));\n',
      findings: [{ line: 1, message: /Add `CREATE INDEX posts_author_id_idx ON posts \(author_id\);` in a new migration \(this one has run already\)\.$/ }],
    },
  ],
});

// An index a later migration drops no longer serves the foreign key.
const INDEXED = 'CREATE TABLE posts (\n  id bigserial PRIMARY KEY,\n  author_id bigint REFERENCES authors (id)\n);\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n';
ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'an index dropped by a later migration and made again by one after it',
      file: 'migrations/001_init.sql',
      code: INDEXED,
      workspace: { 'migrations/002_drop.sql': 'DROP INDEX IF EXISTS posts_author_id_idx;\n', 'migrations/003_again.sql': 'CREATE INDEX posts_author_id_idx ON posts (author_id);\n' },
      why: 'the index made last serves the key',
    },
    {
      name: 'a DROP INDEX in a rollback, in an earlier migration, of another index or of the same name on another table (MySQL)',
      file: 'migrations/002_init.sql',
      code: INDEXED,
      workspace: {
        'migrations/002_init.down.sql': 'DROP INDEX posts_author_id_idx;\n',
        'migrations/001_old.sql': 'DROP INDEX posts_author_id_idx;\n',
        'migrations/003_other.sql': 'DROP INDEX posts_title_idx;\nDROP INDEX posts_author_id_idx ON comments;\n',
      },
      why: 'a rollback undoes, an earlier migration runs before the index is made, and the others drop other indexes',
    },
  ],
  invalid: [
    {
      name: 'an index a later migration drops (its default name, PostgreSQL\'s <table>_<columns>_idx, when CREATE INDEX gives none)',
      file: 'migrations/001_init.sql',
      code: INDEXED.replace('CREATE INDEX posts_author_id_idx ON', 'CREATE INDEX ON'),
      workspace: { 'migrations/002_drop.sql': 'DROP INDEX CONCURRENTLY public.posts_author_id_idx;\n' },
      findings: [{ line: 3, message: /^`posts\.author_id` references `authors`, and no index starts with it \(`posts_author_id_idx` did until `002_drop\.sql` dropped it\): PostgreSQL/ }],
    },
    {
      name: 'an index dropped later in the same file',
      file: 'schema.sql',
      code: `${INDEXED}DROP INDEX posts_author_id_idx;\n`,
      findings: [{ line: 3, message: /\(`posts_author_id_idx` did until a DROP INDEX later in this file\)/ }],
      // The index goes after the DROP INDEX, at the end of the file.
      output: `${INDEXED}DROP INDEX posts_author_id_idx;\n\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n`,
    },
  ],
});

fixtureTests('unindexed-foreign-key', 'test/rules/unindexed-foreign-key/fixtures');

import { ruleTests } from '../harness/rule-tester';

const SCHEMA = `import { boolean, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
});

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull(),
  handle: text('handle').notNull().unique(),
  city: text('city'),
  name: text('name'),
  active: boolean('active').default(true),
  teamId: integer('team_id').references(() => teams.id),
  createdAt: timestamp('created_at').defaultNow(),
}, (t) => [
  index('users_city_idx').on(t.city),
]);
`;
const BARE = `import { pgTable, serial, text } from 'drizzle-orm/pg-core';

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull(),
});
`;
const workspace = { 'src/db/schema.ts': SCHEMA, 'src/db/posts.ts': BARE };
const HEAD = "import { and, eq, gte, ilike, inArray, or } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { users } from './db/schema';\nimport { posts } from './db/posts';\n\nconst db = drizzle(process.env.DATABASE_URL!);\n\n";

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'the primary key, unique(), an index of the extra config',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(id: number, handle: string, city: string) {\n  await db.select().from(users).where(eq(users.id, id));\n  await db.select().from(users).where(eq(users.handle, handle));\n  return db.select().from(users).where(and(eq(users.city, city), eq(users.name, 'x')));\n}\n`,
      why: 'each has an index that starts with it',
      workspace,
    },
    {
      name: 'a boolean, a foreign key, ilike, or(), a join, a condition left out at run time',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(q: string, team: number, name?: string) {\n  await db.select().from(users).where(eq(users.active, true));\n  await db.select().from(users).where(eq(users.teamId, team));\n  await db.select().from(users).where(ilike(users.email, q));\n  await db.select().from(users).where(or(eq(users.email, q), eq(users.name, q)));\n  await db.select().from(users).innerJoin(posts, eq(posts.id, users.id)).where(eq(users.email, q));\n  return db.select().from(users).where(and(eq(users.email, q), name ? eq(users.name, name) : undefined));\n}\n`,
      why: 'few values; the foreign key is unindexed-foreign-key\'s; no plain index serves ILIKE; conditions not read here',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'a select by a plain column: the index goes into the extra config, equality first',
      file: 'src/users.ts',
      code: `${HEAD}export const recent = (email: string, since: Date) => db.select().from(users).where(and(gte(users.createdAt, since), eq(users.email, email)));\n`,
      findings: [{ line: 8, message: /filters users by `createdAt`, `email`, and no index of users starts with any of them.*Add `index\(…\)\.on\(table\.email, table\.createdAt\)` to the extra config of the users table in schema\.ts, then generate its migration \(`drizzle-kit generate`\)\./ }],
      otherFile: { path: 'src/db/schema.ts', text: SCHEMA.replace("  index('users_city_idx').on(t.city),\n", "  index('users_city_idx').on(t.city),\n  index('users_email_created_at_idx').on(t.email, t.createdAt),\n") },
      workspace,
    },
    {
      name: 'an update and a delete by an unindexed column of a table with no extra config: one is made, index imported',
      file: 'src/users.ts',
      code: `${HEAD}export async function retire(slug: string) {\n  await db.update(posts).set({ slug: 'x' }).where(eq(posts.slug, slug));\n  await db.delete(posts).where(inArray(posts.slug, [slug]));\n}\n`,
      findings: [{ line: 9, message: /filters posts by `slug`/ }, { line: 10 }],
      otherFile: {
        path: 'src/db/posts.ts',
        text: BARE.replace("import { pgTable, serial, text } from 'drizzle-orm/pg-core';", "import { pgTable, serial, text, index } from 'drizzle-orm/pg-core';").replace("  slug: text('slug').notNull(),\n});", "  slug: text('slug').notNull(),\n}, (table) => [index('posts_slug_idx').on(table.slug)]);"),
      },
      workspace,
    },
  ],
});

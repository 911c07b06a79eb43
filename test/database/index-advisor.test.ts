/** "Suggest index": candidates from plans, tried on the embedded copy (rolled back) and with HypoPG; where they go. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { filterColumns, indexCandidates, suggestIndexes } from '../../server/src/database/index-advisor';
import { indexMigration, type IndexMigration } from '../../server/src/database/index-migration';
import { nextName } from '../../server/src/engine/migration-names';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../server/src/database/embedded-database';
import { PgConnector } from '../../server/src/database/pg-connector';
import { normalisePlan } from '../../server/src/database/plan-tree';
import { REPO_ROOT } from '../harness/engine';
import { TEST_PG_URL, describeWithPostgres } from './test-postgres';

const HOST = path.join(REPO_ROOT, 'server/out/pglite-host.js');
const POSTS = new Set(['id', 'author_id', 'title', 'published', 'created_at', 'createdAt', 'status']);

describe('database: index advice', () => {
  it('reads equality, range and boolean columns from filters as PostgreSQL prints them', () => {
    assert.deepEqual(filterColumns('(author_id = 7)', POSTS), { equality: ['author_id'], range: [] });
    assert.deepEqual(filterColumns("((status)::text = 'draft'::text)", POSTS), { equality: ['status'], range: [] });
    assert.deepEqual(filterColumns('(published AND ("createdAt" < $1))', POSTS), { equality: ['published'], range: ['createdAt'] });
    assert.deepEqual(filterColumns("((title)::text ~~ 'a%'::text)", POSTS), { equality: [], range: ['title'] });
    assert.deepEqual(filterColumns('((author_id = 1) OR (author_id = 2))', POSTS), { equality: [], range: [] });
    assert.deepEqual(filterColumns('(author_id <> 3)', POSTS), { equality: [], range: [] });
    assert.deepEqual(filterColumns("(title = 'id = 3')", POSTS), { equality: ['title'], range: [] });
  });

  it('proposes equality columns, then the sort above the scan; nothing for index scans', () => {
    const plan = normalisePlan({
      Plan: {
        'Node Type': 'Limit', 'Plan Rows': 20, 'Startup Cost': 0, 'Total Cost': 10,
        Plans: [{
          'Node Type': 'Sort', 'Sort Key': ['posts.created_at DESC'], 'Plan Rows': 100, 'Startup Cost': 0, 'Total Cost': 10,
          Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'posts', Alias: 'posts', Filter: '(author_id = $1)', 'Plan Rows': 100, 'Startup Cost': 0, 'Total Cost': 9 }],
        }],
      },
    });
    const [candidate, ...rest] = indexCandidates(plan, new Map([['posts', POSTS]]));
    assert.equal(rest.length, 0);
    assert.equal(candidate.ddl, 'CREATE INDEX posts_author_id_created_at_idx ON posts (author_id, created_at DESC);');
    assert.equal(candidate.reason, 'Seq Scan on posts filters on author_id and sorts on created_at DESC');
    const indexed = normalisePlan({ Plan: { 'Node Type': 'Index Scan', 'Relation Name': 'posts', 'Index Name': 'posts_pkey', 'Plan Rows': 1, 'Startup Cost': 0, 'Total Cost': 1 } });
    assert.deepEqual(indexCandidates(indexed, new Map([['posts', POSTS]])), []);
  });

  it('names the next migration the way the folder does', () => {
    const now = new Date('2026-11-25T09:30:00Z');
    assert.equal(nextName(['V1__init.sql', 'V2__users.sql'], 'add_idx', now), 'V3__add_idx.sql');
    assert.equal(nextName(['0001_init.sql', '0002_tags.sql'], 'add_idx', now), '0003_add_idx.sql');
    assert.equal(nextName(['20240101120000_init.sql'], 'add_idx', now), '20261125093000_add_idx.sql');
    assert.equal(nextName(['init.sql'], 'add_idx', now), undefined);
    // Knex and sequelize-cli names, golang-migrate's pairs; a name that would not sort last is refused.
    assert.equal(nextName(['20240101120000_init.js'], 'add_idx', now, '.js'), '20261125093000_add_idx.js');
    assert.equal(nextName(['20240101120000-create-post.js'], 'add-idx', now, '.js'), '20261125093000-add-idx.js');
    assert.equal(nextName(['000001_init.down.sql', '000001_init.up.sql'], 'add_idx', now, '.up.sql'), '000002_add_idx.up.sql');
    assert.equal(nextName(['2024-01-01_init.ts'], 'add_idx', now, '.ts'), '2026-11-25_add_idx.ts');
    assert.equal(nextName(['9_init.sql'], 'add_idx', now), undefined);
  });

  it('a Prisma project gets @@index in its model (field names, not column names); a SQL project a new migration', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-migration-'));
    try {
      fs.mkdirSync(path.join(root, 'prisma'));
      const schema = 'model Post {\n  id        Int      @id\n  authorId  Int      @map("author_id")\n  createdAt DateTime\n\n  @@map("posts")\n}\n';
      fs.writeFileSync(path.join(root, 'prisma/schema.prisma'), schema);
      const candidate = { table: 'posts', columns: [{ name: 'author_id' }, { name: 'createdAt', descending: true }], ddl: 'CREATE INDEX x ON posts (author_id, "createdAt" DESC);', reason: 'r' };
      const prisma = indexMigration(root, candidate)!;
      assert.equal(prisma.title, 'Add @@index([authorId, createdAt(sort: Desc)]) to model Post in prisma/schema.prisma');
      const edited = applyInserts(schema, prisma);
      assert.equal(edited, 'model Post {\n  id        Int      @id\n  authorId  Int      @map("author_id")\n  createdAt DateTime\n\n  @@map("posts")\n  @@index([authorId, createdAt(sort: Desc)])\n}\n');
      assert.deepEqual(prisma.inserts[0].position, { line: 6, character: 0 });

      fs.rmSync(path.join(root, 'prisma'), { recursive: true });
      fs.mkdirSync(path.join(root, 'db/migrations'), { recursive: true });
      fs.writeFileSync(path.join(root, 'db/migrations/V1__init.sql'), 'CREATE TABLE posts (id int);\n');
      const sql = indexMigration(root, candidate)!;
      assert.equal(sql.title, 'Add migration db/migrations/V2__add_posts_author_id_createdat_index.sql');
      assert.equal(sql.create, true);
      assert.match(sql.inserts[0].text, /^-- Suggested by PerfLens: r\.\n.*\nCREATE INDEX x ON posts \(author_id, "createdAt" DESC\);\n$/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a Drizzle project gets index().on() in the table of the schema its drizzle.config names, never a SQL file drizzle-kit would not run', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-migration-'));
    try {
      fs.mkdirSync(path.join(root, 'src/db'), { recursive: true });
      fs.mkdirSync(path.join(root, 'drizzle/meta'), { recursive: true });
      fs.writeFileSync(path.join(root, 'drizzle/0000_init.sql'), 'CREATE TABLE "posts" ("id" serial PRIMARY KEY);\n');
      fs.writeFileSync(path.join(root, 'drizzle/meta/_journal.json'), '{"entries":[]}');
      fs.writeFileSync(path.join(root, 'drizzle.config.ts'), "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/db/*.ts', out: './drizzle' });\n");
      fs.writeFileSync(path.join(root, 'src/db/users.ts'), "import { pgTable, serial } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: serial('id').primaryKey() });\n");
      const schema =
        "import { integer, pgTable, serial, timestamp } from 'drizzle-orm/pg-core';\n\nexport const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  authorId: integer('author_id'),\n  createdAt: timestamp('created_at'),\n}, (t) => [\n  // none yet\n]);\n";
      fs.writeFileSync(path.join(root, 'src/db/posts.ts'), schema);
      const candidate = { table: 'posts', columns: [{ name: 'author_id' }, { name: 'created_at', descending: true }], ddl: 'CREATE INDEX x ON posts (author_id, created_at DESC);', reason: 'r' };
      const drizzle = indexMigration(root, candidate)!;
      assert.equal(drizzle.title, "Add index('posts_author_id_created_at_idx').on(table.authorId, table.createdAt.desc()) to posts in src/db/posts.ts");
      assert.equal(drizzle.create, false);
      const edited = applyInserts(schema, drizzle);
      assert.equal(
        edited,
        "import { integer, pgTable, serial, timestamp, index } from 'drizzle-orm/pg-core';\n\nexport const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  authorId: integer('author_id'),\n  createdAt: timestamp('created_at'),\n}, (t) => [\n  index('posts_author_id_created_at_idx').on(t.authorId, t.createdAt.desc())\n  // none yet\n]);\n",
      );
      // A table the schema does not declare: no edit, and no SQL file in drizzle/.
      assert.equal(indexMigration(root, { ...candidate, table: 'comments' }), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  describe('on the embedded database', function () {
    this.timeout(120_000);
    let workspace: string;
    let cacheDir: string;
    let db: EmbeddedDatabase;

    before(async () => {
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-advice-ws-'));
      cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-advice-cache-'));
      fs.writeFileSync(
        path.join(workspace, 'schema.sql'),
        'CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL);\nCREATE TABLE posts (id serial PRIMARY KEY, author_id int NOT NULL, title text NOT NULL, created_at timestamptz NOT NULL);\n',
      );
      db = await openEmbeddedDatabase({ root: workspace, cacheDir, dataSize: 20_000, timeoutMs: 30_000, hostScript: HOST });
    });
    after(async () => {
      await db?.connector.close();
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(cacheDir, { recursive: true, force: true });
    });

    it('tries the index in a rolled-back transaction: the planner uses it, and it is gone afterwards', async () => {
      const advice = await suggestIndexes(db.connector, 'SELECT * FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20');
      assert.equal(advice.method, 'embedded');
      assert.match(advice.before.summary, /^Seq Scan on posts|^Sort|^Limit/);
      const best = advice.tried[0];
      assert.equal(best.ddl, 'CREATE INDEX posts_author_id_created_at_idx ON posts (author_id, created_at DESC);');
      assert.equal(best.used, true);
      assert.equal(best.basis, 'time');
      assert.match(JSON.stringify(best.after!.plan.root), /"index":"posts_author_id_created_at_idx"/);
      const left = await db.connector.run("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'posts_author_id_created_at_idx'");
      assert.equal(left.rows[0].n, 0);
    });

    it('nothing to suggest for a primary-key lookup', async () => {
      const advice = await suggestIndexes(db.connector, 'SELECT * FROM posts WHERE id = 5');
      assert.deepEqual(advice.tried, []);
      assert.match(advice.notes[0], /No sequential scan or sort/);
    });
  });
});

describeWithPostgres('database: index advice on PostgreSQL (HypoPG)', (pg) => {
  let connector: PgConnector;
  before(async function () {
    this.timeout(60_000);
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query('CREATE EXTENSION IF NOT EXISTS hypopg SCHEMA public');
    await admin.end();
    const setup = new Client({ connectionString: pg.url() });
    await setup.connect();
    await setup.query('CREATE TABLE posts (id serial PRIMARY KEY, author_id int NOT NULL, title text NOT NULL)');
    await setup.query("INSERT INTO posts (author_id, title) SELECT i % 500, 'post ' || i FROM generate_series(1, 50000) AS i");
    await setup.query('ANALYZE posts');
    await setup.end();
    connector = new PgConnector({ url: pg.url(), timeoutMs: 10_000 });
  });
  after(async () => connector?.close());

  it('tries a hypothetical index, by estimated cost, and builds nothing', async () => {
    const advice = await suggestIndexes(connector, 'SELECT * FROM posts WHERE author_id = 42');
    assert.equal(advice.method, 'hypopg');
    assert.equal(advice.tried[0].ddl, 'CREATE INDEX posts_author_id_idx ON posts (author_id);');
    assert.equal(advice.tried[0].used, true);
    assert.equal(advice.tried[0].basis, 'cost');
    assert.ok(advice.tried[0].speedup! > 1, 'the estimated cost goes down');
    const check = new Client({ connectionString: pg.url() });
    await check.connect();
    const indexes = await check.query("SELECT indexname FROM pg_indexes WHERE tablename = 'posts' AND schemaname = $1", [pg.schema()]);
    await check.end();
    assert.deepEqual(indexes.rows.map((r) => r.indexname), ['posts_pkey']);
  });
});

/** The text with a migration's insertions made (offsets of the original text, in order). */
function applyInserts(text: string, m: IndexMigration): string {
  let out = '';
  let at = 0;
  for (const i of m.inserts) {
    out += text.slice(at, i.offset) + i.text;
    at = i.offset;
  }
  return out + text.slice(at);
}

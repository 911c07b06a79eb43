import * as assert from 'node:assert/strict';
import { generateData, GenerationCancelledError, type GenerationProgress } from '../../server/src/database/data/data-generation';
import { PgConnector } from '../../server/src/database/pg-connector';
import { describeWithPostgres } from './test-postgres';

/** The first value of the first row: a count, a test. */
const one = async (pg: PgConnector, sql: string): Promise<number> => Number(Object.values((await pg.run(sql)).rows[0])[0]);

describeWithPostgres('database: data generation (PostgreSQL)', (db) => {
  let pg: PgConnector;
  before(async () => {
    pg = new PgConnector({ url: db.url(), timeoutMs: 60_000 });
    await pg.execScript(`
      CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');
      CREATE TABLE authors (id bigserial PRIMARY KEY, email varchar(40) NOT NULL UNIQUE, name text NOT NULL, mood mood NOT NULL, joined date);
      CREATE TABLE profiles (id serial PRIMARY KEY, author_id bigint NOT NULL UNIQUE REFERENCES authors (id), bio text);
      CREATE TABLE posts (id uuid PRIMARY KEY, author_id bigint NOT NULL REFERENCES authors (id), editor_id bigint REFERENCES authors (id),
                          slug text NOT NULL, status text NOT NULL, published boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now(),
                          UNIQUE (author_id, slug));
      CREATE TABLE comments (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, post_id uuid NOT NULL REFERENCES posts (id), parent_id int REFERENCES comments (id), body text NOT NULL);
    `);
  });
  after(() => pg.close());

  it('fills parents first with rows that respect types, NOT NULL, uniqueness and foreign keys', async () => {
    const progress: GenerationProgress[] = [];
    const result = await generateData(pg, { dataSize: 3000, chunkRows: 1000, onProgress: (p) => progress.push(p) });
    assert.deepEqual(result.warnings, []);
    // Referenced tables get a tenth; a one-to-one child no more than its parent.
    assert.equal(result.rows.authors, 300);
    assert.equal(result.rows.profiles, 300);
    assert.equal(result.rows.posts, 300);
    assert.equal(result.rows.comments, 3000);
    const order = [...new Set(progress.map((p) => p.table))];
    assert.ok(order.indexOf('authors') < order.indexOf('posts') && order.indexOf('posts') < order.indexOf('comments'), order.join(', '));
    assert.deepEqual(progress.filter((p) => p.table === 'comments').map((p) => p.rows), [1000, 2000, 3000]);

    assert.equal(await one(pg, 'SELECT count(*) FROM posts p LEFT JOIN authors a ON a.id = p.author_id WHERE a.id IS NULL'), 0);
    assert.equal(await one(pg, 'SELECT count(*) FROM comments c LEFT JOIN posts p ON p.id = c.post_id WHERE p.id IS NULL'), 0);
    assert.equal(await one(pg, 'SELECT count(DISTINCT email) FROM authors'), 300);
    assert.equal(await one(pg, 'SELECT count(DISTINCT author_id) FROM profiles'), 300);
    assert.equal(await one(pg, "SELECT count(*) FROM authors WHERE mood NOT IN ('happy', 'sad', 'meh')"), 0);
    // The self-reference is set once the table has its rows: to a comment before it (a tree, so a
    // recursive query over it ends), one in ten NULL, the first always.
    assert.equal(await one(pg, 'SELECT count(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL'), 0);
    assert.equal(await one(pg, 'SELECT count(*) FROM comments WHERE parent_id >= id'), 0);
    const roots = await one(pg, 'SELECT count(*) FROM comments WHERE parent_id IS NULL');
    assert.ok(roots > 150 && roots < 600, `${roots} comments without a parent`);
    assert.equal(await one(pg, 'SELECT parent_id IS NULL FROM comments ORDER BY id LIMIT 1'), 1);
    // Skew: the busiest author has several times the average number of comments' posts.
    const busiest = await one(pg, 'SELECT max(n) FROM (SELECT count(*) AS n FROM posts GROUP BY author_id) x');
    assert.ok(busiest >= 5, `busiest author has ${busiest} posts`);
  });

  it('stops between chunks when cancelled', async () => {
    await pg.execScript('CREATE TABLE events (id bigserial PRIMARY KEY, kind text NOT NULL)');
    let chunks = 0;
    await assert.rejects(
      generateData(pg, { dataSize: 3000, chunkRows: 100, rowCounts: { authors: 0, profiles: 0, posts: 0, comments: 0 }, onProgress: (p) => p.table === 'events' && chunks++, isCancelled: () => chunks >= 2 }),
      GenerationCancelledError,
    );
    const n = Number((await pg.run('SELECT count(*) AS n FROM events')).rows[0].n);
    assert.ok(n > 0 && n < 3000, `events has ${n} rows`);
  });
});

describeWithPostgres('database: data generation of tables that reference each other (PostgreSQL)', (db) => {
  let pg: PgConnector;
  before(async () => {
    pg = new PgConnector({ url: db.url(), timeoutMs: 60_000 });
    // Medusa's carts and orders: each has a NOT NULL key to the other, so neither could go in first.
    await pg.execScript(`
      CREATE TABLE orders (id text PRIMARY KEY, cart_id text NOT NULL, total int NOT NULL);
      CREATE TABLE carts (id text PRIMARY KEY, order_id text REFERENCES orders (id), customer text NOT NULL, percent numeric(3, 1) NOT NULL, share numeric(2, 2));
      ALTER TABLE orders ADD FOREIGN KEY (cart_id) REFERENCES carts (id);
      CREATE TABLE line_items (id serial PRIMARY KEY, order_id text NOT NULL REFERENCES orders (id), quantity int NOT NULL);
      CREATE TABLE categories (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES categories (id), name text NOT NULL);
      CREATE TABLE fulfillments (id serial PRIMARY KEY, quantity int NOT NULL, shipped int NOT NULL, order_id text REFERENCES orders (id), cart_id text REFERENCES carts (id),
                                 CONSTRAINT shipped_le_quantity CHECK (shipped <= quantity), CONSTRAINT has_owner CHECK (order_id IS NOT NULL OR cart_id IS NOT NULL));
      -- Keystone: a boolean in the primary key.
      CREATE TABLE assignments (actor_id text NOT NULL, role_id text NOT NULL, inherited boolean NOT NULL, PRIMARY KEY (actor_id, role_id, inherited));
    `);
  });
  after(() => pg.close());

  it('fills both, sets the keys once both have rows, and keeps NOT NULL', async () => {
    const result = await generateData(pg, { dataSize: 2000, chunkRows: 1000 });
    assert.deepEqual(result.warnings, []);
    for (const table of ['orders', 'carts', 'line_items', 'categories', 'assignments']) assert.ok(result.rows[table] > 0, `${table}: ${result.rows[table]} rows`);
    assert.equal(await one(pg, 'SELECT count(*) FROM orders o LEFT JOIN carts c ON c.id = o.cart_id WHERE c.id IS NULL'), 0);
    assert.equal(await one(pg, 'SELECT count(*) FROM carts c LEFT JOIN orders o ON o.id = c.order_id WHERE c.order_id IS NOT NULL AND o.id IS NULL'), 0);
    assert.ok((await one(pg, 'SELECT count(*) FROM carts WHERE order_id IS NOT NULL')) > 0);
    // The children of a table in the cycle get rows too (before, they had no parent rows to take).
    assert.equal(await one(pg, 'SELECT count(*) FROM line_items l LEFT JOIN orders o ON o.id = l.order_id WHERE o.id IS NULL'), 0);
    // A NOT NULL self-reference: the first row is its own parent, every other row's parent is before it.
    assert.equal(await one(pg, 'SELECT count(*) FROM categories WHERE parent_id > id OR (parent_id = id AND id <> (SELECT min(id) FROM categories))'), 0);
    const notNull = await pg.run(
      "SELECT a.attrelid::regclass::text || '.' || a.attname AS col FROM pg_attribute a WHERE a.attnotnull AND a.attname IN ('cart_id', 'parent_id') AND a.attrelid IN ('orders'::regclass, 'categories'::regclass) ORDER BY 1",
    );
    assert.deepEqual(notNull.rows.map((r) => r.col), ['categories.parent_id', 'orders.cart_id']);
  });

  it('fills a table whose CHECK constraints random rows break: with the rows that keep them, and the constraints as they were', async () => {
    // Rows in the wrong order are mended (swapped), not removed: of 2,000, only those with neither owner go.
    const kept = await one(pg, 'SELECT count(*) FROM fulfillments');
    assert.ok(kept > 1900 && kept < 2000, `${kept} rows kept`);
    assert.equal(await one(pg, 'SELECT count(*) FROM fulfillments WHERE shipped > quantity OR (order_id IS NULL AND cart_id IS NULL)'), 0);
    const checks = await pg.run("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'fulfillments'::regclass AND contype = 'c' ORDER BY 1");
    assert.deepEqual(checks.rows.map((r) => `${r.conname} ${r.convalidated}`), ['has_owner true', 'shipped_le_quantity true']);
  });
});

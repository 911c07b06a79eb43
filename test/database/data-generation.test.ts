import * as assert from 'node:assert/strict';
import { generateData, GenerationCancelledError, type GenerationProgress } from '../../server/src/database/data/data-generation';
import { PgConnector } from '../../server/src/database/pg-connector';
import { describeWithPostgres } from './test-postgres';

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

    const one = async (sql: string): Promise<number> => Number(Object.values((await pg.run(sql)).rows[0])[0]);
    assert.equal(await one('SELECT count(*) FROM posts p LEFT JOIN authors a ON a.id = p.author_id WHERE a.id IS NULL'), 0);
    assert.equal(await one('SELECT count(*) FROM comments c LEFT JOIN posts p ON p.id = c.post_id WHERE p.id IS NULL'), 0);
    assert.equal(await one('SELECT count(DISTINCT email) FROM authors'), 300);
    assert.equal(await one('SELECT count(DISTINCT author_id) FROM profiles'), 300);
    assert.equal(await one("SELECT count(*) FROM authors WHERE mood NOT IN ('happy', 'sad', 'meh')"), 0);
    // The self-reference stays NULL (no parent rows exist while the table is filled).
    assert.equal(await one('SELECT count(*) FROM comments WHERE parent_id IS NOT NULL'), 0);
    // Skew: the busiest author has several times the average number of comments' posts.
    const busiest = await one('SELECT max(n) FROM (SELECT count(*) AS n FROM posts GROUP BY author_id) x');
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

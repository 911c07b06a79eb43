-- Offset vs keyset pagination on PostgreSQL: the numbers in docs/rules/offset-pagination.md.
-- Run with: psql -X -f bench/offset-vs-keyset.sql   (see bench/README.md)
\timing off
DROP TABLE IF EXISTS bench_posts;
CREATE TABLE bench_posts (
  id bigserial PRIMARY KEY,
  author_id int NOT NULL,
  title text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO bench_posts (author_id, title, created_at)
SELECT (random() * 10000)::int, 'post ' || g, now() - (g || ' seconds')::interval
FROM generate_series(1, 1000000) AS g;
CREATE INDEX bench_posts_created_at_id_idx ON bench_posts (created_at DESC, id DESC);
VACUUM ANALYZE bench_posts;

-- Page N with OFFSET: (N - 1) * 20 rows are read and thrown away.
\echo page 1 offset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0;
\echo page 100 offset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 1980;
\echo page 10000 offset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 199980;
\echo page 50000 offset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 999980;

-- The same pages with a keyset: the cursor is the last row of the previous page.
\echo page 100 keyset
SELECT created_at AS c, id AS i FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 1979 \gset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts WHERE (created_at, id) < (:'c', :i) ORDER BY created_at DESC, id DESC LIMIT 20;
\echo page 10000 keyset
SELECT created_at AS c, id AS i FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 199979 \gset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts WHERE (created_at, id) < (:'c', :i) ORDER BY created_at DESC, id DESC LIMIT 20;
\echo page 50000 keyset
SELECT created_at AS c, id AS i FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 999979 \gset
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) SELECT * FROM bench_posts WHERE (created_at, id) < (:'c', :i) ORDER BY created_at DESC, id DESC LIMIT 20;
DROP TABLE bench_posts;

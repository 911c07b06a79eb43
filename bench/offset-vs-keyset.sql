-- Offset vs keyset pagination on PostgreSQL: the numbers in docs/rules/offset-pagination.md.
-- Run with: psql -X -q -f bench/offset-vs-keyset.sql   (see bench/README.md)
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;
SELECT version();

DROP TABLE IF EXISTS bench_posts;
CREATE TABLE bench_posts (
  id         bigserial PRIMARY KEY,
  author_id  int NOT NULL,
  title      text NOT NULL,
  created_at timestamptz NOT NULL
);
-- One post a minute, with some posts sharing a timestamp so that the id tie-breaker matters.
INSERT INTO bench_posts (author_id, title, created_at)
SELECT (random() * 10000)::int, 'post ' || g, timestamptz '2024-01-01' + (g / 2) * interval '1 minute'
FROM generate_series(1, 1000000) AS g;
CREATE INDEX bench_posts_created_at_id_idx ON bench_posts (created_at DESC, id DESC);
VACUUM ANALYZE bench_posts;

-- Runs EXPLAIN (ANALYZE, BUFFERS) on a query `runs` times after one warm-up run. Returns the rows the
-- scan under the Limit produced (the rows read), the shared buffers touched, and the median
-- execution time. TIMING OFF: per-node clocks would inflate the OFFSET plans most, on every row.
CREATE FUNCTION pg_temp.measure(query text, runs int DEFAULT 7,
                                OUT rows_read bigint, OUT buffers bigint, OUT median_ms numeric)
LANGUAGE plpgsql AS $$
DECLARE
  plan json;
  times numeric[] := '{}';
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ' || query INTO plan;
  FOR i IN 1..runs LOOP
    EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ' || query INTO plan;
    times := times || (plan -> 0 ->> 'Execution Time')::numeric;
  END LOOP;
  rows_read := (plan -> 0 -> 'Plan' -> 'Plans' -> 0 ->> 'Actual Rows')::bigint;
  buffers := (plan -> 0 -> 'Plan' ->> 'Shared Hit Blocks')::bigint
           + (plan -> 0 -> 'Plan' ->> 'Shared Read Blocks')::bigint;
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) INTO median_ms FROM unnest(times) AS t;
END $$;

-- Page p with OFFSET reads and discards (p - 1) * 20 rows. The keyset query for the same page starts
-- after the last row of page p - 1, which is what a client would send back as its cursor.
WITH pages(page) AS (VALUES (1), (100), (10000), (50000)),
cursors AS (
  SELECT page, c.created_at, c.id
  FROM pages
  LEFT JOIN LATERAL (
    SELECT created_at, id FROM bench_posts
    ORDER BY created_at DESC, id DESC
    OFFSET greatest((page - 1) * 20 - 1, 0) LIMIT 1
  ) c ON page > 1
),
runs AS (
  SELECT page,
         pg_temp.measure(format(
           'SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET %s',
           (page - 1) * 20)) AS off,
         pg_temp.measure(CASE WHEN page = 1
           THEN 'SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20'
           ELSE format('SELECT * FROM bench_posts WHERE (created_at, id) < (%L, %s)'
                       ' ORDER BY created_at DESC, id DESC LIMIT 20', created_at, id)
         END) AS key
  FROM cursors
)
SELECT page,
       (off).rows_read AS offset_rows, (off).buffers AS offset_buffers, round((off).median_ms, 3) AS offset_ms,
       (key).rows_read AS keyset_rows, (key).buffers AS keyset_buffers, round((key).median_ms, 3) AS keyset_ms,
       round((off).median_ms / (key).median_ms, 1) AS ratio
FROM runs
ORDER BY page;

-- The two plans for page 50,000, for the shape: the OFFSET plan's Index Scan returns 1,000,000 rows
-- to the Limit, the keyset plan's returns 20.
SELECT created_at AS c, id AS i FROM bench_posts ORDER BY created_at DESC, id DESC OFFSET 999979 LIMIT 1 \gset
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM bench_posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 999980;
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM bench_posts WHERE (created_at, id) < (:'c', :i) ORDER BY created_at DESC, id DESC LIMIT 20;

DROP TABLE bench_posts;

import { fixtureTests, ruleTests } from '../harness/rule-tester';

ruleTests('offset-pagination', {
  valid: [
    { name: 'OFFSET 0', file: 'q.sql', code: 'SELECT * FROM posts ORDER BY id LIMIT 20 OFFSET 0;', why: 'a constant offset of 0 does not grow' },
    { name: 'constant offset', file: 'q.sql', code: 'SELECT * FROM posts ORDER BY id LIMIT 10 OFFSET 40;', why: 'a fixed offset reads the same rows every time' },
    { name: 'constant arithmetic', file: 'q.sql', code: 'SELECT * FROM posts ORDER BY id LIMIT 10 OFFSET 2 * 20;', why: 'folds to a constant' },
    { name: 'MySQL constant LIMIT a, b', file: 'q.sql', code: 'SELECT * FROM posts ORDER BY id LIMIT 0, 10;', why: 'offset 0 written the MySQL way' },
    { name: 'keyset already', file: 'q.sql', code: 'SELECT * FROM posts WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $3;', why: 'a row comparison on the ordering columns is keyset pagination' },
    { name: 'keyset on id', file: 'q.sql', code: 'SELECT * FROM posts WHERE id > :after ORDER BY id LIMIT 20 OFFSET :skip;', why: 'a filter on the tie-breaker pages by key' },
    { name: 'LIMIT without offset', file: 'q.sql', code: 'SELECT * FROM posts ORDER BY id LIMIT $1;', why: 'no rows are skipped' },
    { name: 'broken statement', file: 'q.sql', code: 'SELECT * FROM WHERE OFFSET $1;', why: 'does not parse in any dialect: a problem, not a finding' },
    { name: 'offset in a comment or string', file: 'q.sql', code: "-- LIMIT 10 OFFSET $1\nSELECT 'OFFSET $1' AS note FROM posts;", why: 'not SQL the database runs' },
  ],
  invalid: [
    {
      name: 'PostgreSQL bind parameter',
      file: 'q.sql',
      code: 'SELECT * FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 20 OFFSET $2;',
      findings: [{ line: 1, message: /CREATE INDEX posts_created_at_id_idx ON posts \(created_at DESC, id DESC\)/ }],
      output: 'SELECT * FROM posts WHERE author_id = $1 AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT 20;',
    },
    {
      name: 'PostgreSQL computed offset, OFFSET before LIMIT, join',
      file: 'q.sql',
      code: 'SELECT p.*\nFROM posts p JOIN users u ON u.id = p.user_id\nORDER BY p.created_at DESC\nOFFSET ($1 - 1) * 20 LIMIT 20;',
      findings: [{ line: 4, message: /skips `\(\$1 - 1\) \* 20` rows/ }],
      output: 'SELECT p.*\nFROM posts p JOIN users u ON u.id = p.user_id WHERE (p.created_at, p.id) < ($1, $2)\nORDER BY p.created_at DESC, p.id DESC LIMIT 20;',
    },
    {
      name: 'PostgreSQL OFFSET … FETCH, no WHERE and no ORDER BY',
      file: 'q.sql',
      code: 'SELECT * FROM events OFFSET $1 ROWS FETCH NEXT 50 ROWS ONLY;',
      findings: [{ line: 1 }],
      output: 'SELECT * FROM events WHERE id > $1 ORDER BY id FETCH NEXT 50 ROWS ONLY;',
    },
    {
      name: 'MySQL LIMIT a, b with an OR in WHERE',
      file: 'q.sql',
      code: 'SELECT * FROM `orders` WHERE status = ? OR priority > 2 ORDER BY id LIMIT ?, 20;',
      findings: [{ line: 1, message: /primary key index serves this order/ }],
      output: 'SELECT * FROM `orders` WHERE (status = ? OR priority > 2) AND id > ? ORDER BY id LIMIT 20;',
    },
    {
      name: 'MySQL dialect comment, LIMIT … OFFSET',
      file: 'q.sql',
      code: '-- dialect: mysql\nSELECT * FROM products WHERE category_id = ? ORDER BY price LIMIT 24 OFFSET ?;',
      findings: [{ line: 2 }],
      output: '-- dialect: mysql\nSELECT * FROM products WHERE category_id = ? AND (price, id) > (?, ?) ORDER BY price, id LIMIT 24;',
    },
    {
      name: 'SQLite named parameters, mixed directions',
      file: 'q.sql',
      code: 'SELECT * FROM notes INDEXED BY notes_pinned WHERE owner = @owner ORDER BY pinned DESC, title LIMIT @size OFFSET @skip;',
      findings: [{ line: 1 }],
      output:
        'SELECT * FROM notes INDEXED BY notes_pinned WHERE owner = @owner AND (pinned < @after_pinned OR (pinned = @after_pinned AND title > @after_title) OR (pinned = @after_pinned AND title = @after_title AND id > @after_id)) ORDER BY pinned DESC, title, id LIMIT @size;',
    },
    {
      name: 'offset in a CTE still counts',
      file: 'q.sql',
      code: 'WITH page AS (\n  SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET :offset\n)\nSELECT * FROM page JOIN posts USING (id);',
      findings: [{ line: 2 }],
      output: 'WITH page AS (\n  SELECT id FROM posts WHERE id > :after_id ORDER BY id LIMIT 20\n)\nSELECT * FROM page JOIN posts USING (id);',
    },
    {
      name: 'offset in a sub-query still counts',
      file: 'q.sql',
      code: 'SELECT * FROM (SELECT * FROM logs ORDER BY created_at LIMIT 100 OFFSET $1) l;',
      findings: [{ line: 1 }],
      output: 'SELECT * FROM (SELECT * FROM logs WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 100) l;',
    },
    {
      name: 'reported without a fix when ORDER BY is an expression',
      file: 'q.sql',
      code: 'SELECT * FROM posts ORDER BY lower(title) LIMIT 10 OFFSET $1;',
      findings: [{ line: 1 }],
    },
    {
      name: 'one finding per paging statement among broken ones',
      file: 'q.sql',
      code: 'SELECT * FROM a ORDER BY id LIMIT 10 OFFSET $1;\nSELEC oops;\nSELECT * FROM b ORDER BY id LIMIT 10 OFFSET $1;',
      findings: [{ line: 1 }, { line: 3 }],
    },
  ],
});

fixtureTests('offset-pagination', 'test/rules/offset-pagination/fixtures', (f) => f.endsWith('.sql'));

// The index the keyset order needs may exist already: the advice says so instead of asking for it.
ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: 'the schema already has the index (created_at DESC, id DESC)',
      file: 'queries.sql',
      workspace: { 'schema.sql': 'CREATE TABLE posts (id serial PRIMARY KEY, created_at timestamptz NOT NULL);\nCREATE INDEX IF NOT EXISTS "posts_created_at_id_idx" ON public.posts USING btree (created_at DESC, id DESC);\n' },
      code: 'SELECT * FROM posts ORDER BY created_at DESC LIMIT 20 OFFSET $1;',
      findings: [{ line: 1, message: /The index `posts_created_at_id_idx` already exists, so the keyset query reads only its page's rows\.$/ }],
    },
    {
      name: 'an index on another leading column does not count',
      file: 'queries.sql',
      workspace: { 'schema.sql': 'CREATE TABLE posts (id serial PRIMARY KEY, author_id int, created_at timestamptz NOT NULL);\nCREATE INDEX posts_author_created ON posts (author_id, created_at);\nCREATE INDEX posts_lower ON posts (lower(title), created_at);\n' },
      code: 'SELECT * FROM posts ORDER BY created_at DESC LIMIT 20 OFFSET $1;',
      findings: [{ line: 1, message: /It needs an index on posts \(created_at, id\)/ }],
    },
  ],
});

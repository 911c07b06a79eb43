import * as assert from 'node:assert/strict';
import { SourceFile } from '../../../server/src/engine/source-file';
import { SqlAdapter, fileDialect } from '../../../server/src/languages/sql/adapter';

function facts(text: string) {
  return new SqlAdapter().facts(new SourceFile('/w/q.sql', 'sql', text));
}

describe('SqlAdapter', () => {
  it('init resolves at once', async () => {
    await new SqlAdapter().init();
  });

  it('tries PostgreSQL, then MySQL, then SQLite per statement', () => {
    const f = facts('SELECT * FROM t WHERE a = $1;\nSELECT * FROM `t` LIMIT 10;\nSELECT * FROM t INDEXED BY t_a WHERE a = ?;');
    assert.deepEqual(f.sql.map((s) => s.dialect), ['postgresql', 'mysql', 'sqlite']);
    assert.deepEqual(f.problems, []);
  });

  it('LIMIT a, b and a dialect comment force MySQL', () => {
    assert.equal(facts('SELECT * FROM t LIMIT 10, 20').sql[0].dialect, 'mysql');
    assert.equal(facts('-- dialect: mysql\nSELECT * FROM t LIMIT 10').sql[0].dialect, 'mysql');
    assert.equal(fileDialect('/* header */\n-- dialect: sqlite\nSELECT 1'), 'sqlite');
    assert.equal(fileDialect('SELECT 1 -- dialect: mysql'), undefined);
  });

  it('puts broken statements in problems and still analyses the rest', () => {
    const text = 'SELECT FROM WHERE;\nSELECT * FROM posts ORDER BY id LIMIT 10 OFFSET $1;';
    const f = facts(text);
    assert.equal(f.problems.length, 1);
    assert.equal(f.problems[0].start, 0);
    assert.equal(f.sql.length, 1);
    assert.deepEqual(f.sql[0].tables, ['posts']);
  });

  it('builds pagination facts: offset origin, limit, order keys without qualifier, offset span', () => {
    const text = 'SELECT p.* FROM posts p JOIN users u ON u.id = p.user_id\nORDER BY p.created_at DESC, p.title\nLIMIT $1 OFFSET ($2 - 1) * 20;';
    const s = facts(text).sql[0];
    assert.deepEqual(s.tables, ['posts', 'users']);
    const p = s.pagination!;
    assert.equal(p.kind, 'sql-offset');
    assert.equal(p.offset.origin, 'computed');
    assert.equal(p.offset.text, '($2 - 1) * 20');
    assert.equal(p.limit!.origin, 'parameter');
    assert.deepEqual(p.orderBy, [{ column: 'created_at', direction: 'desc' }, { column: 'title', direction: 'asc' }]);
    assert.equal(text.slice(p.offsetSpan.start, p.offsetSpan.end), ' OFFSET ($2 - 1) * 20');
    assert.equal(p.hasKeysetFilter, false);
  });

  it('folds constant offsets and recognises every bind-parameter style', () => {
    assert.equal(facts('SELECT * FROM t LIMIT 10 OFFSET 2 * 20').sql[0].pagination!.offset.constant, 40);
    assert.equal(facts('SELECT * FROM t LIMIT 10 OFFSET $1::int').sql[0].pagination!.offset.origin, 'parameter');
    assert.equal(facts('SELECT * FROM t LIMIT 10 OFFSET :off').sql[0].pagination!.offset.origin, 'parameter');
    const comma = facts('SELECT * FROM t LIMIT ?, ?').sql[0].pagination!;
    assert.equal(comma.kind, 'sql-limit-comma');
    assert.equal(comma.offset.origin, 'parameter');
  });

  it('sees keyset filters: col > x, x < col, row comparisons', () => {
    const keyset = (where: string) => facts(`SELECT * FROM t WHERE ${where} ORDER BY created_at, id LIMIT 10 OFFSET $3`).sql[0].pagination!.hasKeysetFilter;
    assert.equal(keyset('id > $1'), true);
    assert.equal(keyset('$1 < t.created_at'), true);
    assert.equal(keyset('(created_at, id) > ($1, $2)'), true);
    assert.equal(keyset('status = $1 AND score > 10'), false);
  });

  it('finds the offset in a CTE or sub-query', () => {
    const s = facts('WITH page AS (SELECT * FROM posts ORDER BY id LIMIT 10 OFFSET $1) SELECT * FROM page JOIN users ON users.id = page.user_id').sql[0];
    assert.equal(s.pagination?.offset.text, '$1');
    assert.deepEqual(s.tables, ['posts', 'page', 'users']);
  });

  it('never throws on binary or huge input', () => {
    assert.deepEqual(facts('\u0000\u0001\u0002binary;;\u0000').sql, []);
    const noise = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join('');
    assert.doesNotThrow(() => facts(noise));
    const huge = `INSERT INTO t VALUES ${Array.from({ length: 60000 }, (_, i) => `(${i}, 'x')`).join(', ')};\nSELECT * FROM t LIMIT 10 OFFSET $1;`;
    const f = facts(huge);
    assert.equal(f.sql.filter((s) => s.pagination).length, 1);
  });
});

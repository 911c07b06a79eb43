import * as assert from 'node:assert/strict';
import type { SqlStatement } from '../../../server/src/languages/sql/statement';
import { dialectOfPath, looksLikeSql, sqlFactsFromEmbedded, type SqlHole, type SqlPiece } from '../../../server/src/languages/sql/embedded';

/** Splits a JS template literal's body (between the backticks at `start`) into pieces and holes. */
function template(code: string): { pieces: SqlPiece[]; holes: SqlHole[] } {
  const open = code.indexOf('`') + 1;
  const close = code.lastIndexOf('`');
  const pieces: SqlPiece[] = [];
  const holes: SqlHole[] = [];
  let from = open;
  for (let i = code.indexOf('${', open); i >= 0 && i < close; i = code.indexOf('${', from)) {
    const end = code.indexOf('}', i);
    pieces.push({ text: code.slice(from, i), start: from });
    holes.push({ start: i + 2, end, text: code.slice(i + 2, end) });
    from = end + 1;
  }
  pieces.push({ text: code.slice(from, close), start: from });
  return { pieces, holes };
}

describe('sqlFactsFromEmbedded', () => {
  it('maps spans through holes back to the file', () => {
    const code = 'await sql`SELECT * FROM posts WHERE author_id = ${userId} ORDER BY created_at DESC LIMIT ${size} OFFSET ${page * size}`;';
    const [s] = sqlFactsFromEmbedded({ ...template(code), host: 'string' });
    assert.equal(s.host, 'string');
    assert.equal(s.dialect, 'postgresql');
    assert.deepEqual(s.tables, ['posts']);
    const p = s.pagination!;
    assert.equal(p.offset.origin, 'parameter');
    assert.equal(p.offset.text, 'page * size');
    assert.equal(code.slice(p.offset.start, p.offset.end), 'page * size');
    assert.equal(code.slice(p.offsetSpan.start, p.offsetSpan.end), ' OFFSET ${page * size}');
    assert.equal(code.slice(s.start, s.end), code.slice(code.indexOf('SELECT'), code.lastIndexOf('`')));
  });

  it('uses ? placeholders for MySQL and finds LIMIT a, b', () => {
    const code = 'db.query(`SELECT * FROM orders ORDER BY id LIMIT ${offset}, ${limit}`)';
    const [s] = sqlFactsFromEmbedded({ ...template(code), dialect: 'mysql', host: 'string' });
    assert.equal(s.dialect, 'mysql');
    assert.equal(s.text, 'SELECT * FROM orders ORDER BY id LIMIT ?, ?');
    assert.equal(s.pagination!.kind, 'sql-limit-comma');
    assert.equal(code.slice(s.pagination!.offsetSpan.start, s.pagination!.offsetSpan.end), '${offset}, ');
  });

  it('takes an interpolated table name or optional fragment', () => {
    const ident = 'q(`SELECT * FROM ${table} ORDER BY id LIMIT 10 OFFSET ${n}`)';
    assert.equal(sqlFactsFromEmbedded({ ...template(ident), host: 'string' })[0].pagination!.offset.text, 'n');
    const fragment = 'q(`SELECT * FROM t ${where} ${order} LIMIT 10 OFFSET ${n}`)';
    const [s] = sqlFactsFromEmbedded({ ...template(fragment), host: 'string' }) as SqlStatement[];
    assert.equal(s.pagination!.offset.text, 'n');
    assert.equal(s.keyset!.orderExprs, undefined, 'no rewrite around a fragment that may hold WHERE');
  });

  it('treats Python %s and %(name)s as bind parameters, and neutralises escapes', () => {
    const code = 'cur.execute("SELECT * FROM t\\nWHERE a = %(a)s LIMIT %s OFFSET %s", args)';
    const start = code.indexOf('"') + 1;
    const text = code.slice(start, code.lastIndexOf('"'));
    const [s] = sqlFactsFromEmbedded({ pieces: [{ text, start }], holes: [], host: 'string' });
    const p = s.pagination!;
    assert.equal(p.offset.text, '%s');
    assert.equal(p.offset.origin, 'parameter');
    assert.equal(code.slice(p.offset.start, p.offset.end), '%s');
  });

  it('returns nothing for text that is not SQL, never throws', () => {
    assert.deepEqual(sqlFactsFromEmbedded({ pieces: [{ text: 'hello ', start: 0 }, { text: '!', start: 10 }], holes: [{ start: 8, end: 9, text: 'x' }], host: 'string' }), []);
    assert.deepEqual(sqlFactsFromEmbedded({ pieces: [{ text: 'a', start: 0 }], holes: [{ start: 1, end: 2, text: 'x' }], host: 'string' }), []);
  });
});

describe('looksLikeSql', () => {
  it('accepts queries', () => {
    for (const q of ['SELECT id FROM t', '  select *\n from t', '(SELECT a FROM b)', 'WITH x AS (SELECT 1) SELECT * FROM x', 'INSERT INTO t VALUES (1)', 'UPDATE t SET a = 1', 'DELETE FROM t']) {
      assert.ok(looksLikeSql(q), q);
    }
  });
  it('rejects prose and other strings', () => {
    for (const q of ['hello world', 'Please select an option', 'update available', 'with love']) assert.ok(!looksLikeSql(q), q);
  });
  it('reads the dialect a folder of the path names (n8n: one set of migrations per database)', () => {
    assert.equal(dialectOfPath('/app/src/migrations/sqlite/1681134145996-AddUserActivatedProperty.ts'), 'sqlite');
    assert.equal(dialectOfPath('/app/src/migrations/postgresdb/1681134145996-AddUserActivatedProperty.ts'), 'postgresql');
    assert.equal(dialectOfPath('C:\\app\\migrations\\mysqldb\\1681134145996-Add.ts'), 'mysql');
    assert.equal(dialectOfPath('/app/src/db/pg/queries.ts'), 'postgresql');
    for (const p of ['/app/src/routes/users.ts', '/app/src/pg/sub/queries.ts', '/app/src/mysql-tools/a.ts', '/app/sqlite.ts']) assert.equal(dialectOfPath(p), undefined, p);
  });
});

import * as assert from 'node:assert/strict';
import { parse } from 'sql-parser-cst';
import type { SqlDialect } from '../../../server/src/languages/facts';
import { mayStartStatement } from '../../../server/src/languages/sql/statement-start';
import { ParseCache } from '../../../server/src/languages/sql/parse-cache';

const DIALECTS: SqlDialect[] = ['postgresql', 'mysql', 'sqlite'];

function parses(text: string, dialect: SqlDialect): boolean {
  try {
    return parse(text, { dialect, paramTypes: ['?', '$nr', ':name'] }).statements.some((s) => s.type !== 'empty');
  } catch {
    return false;
  }
}

describe('mayStartStatement', () => {
  // Every text the parser takes must pass the test: it only saves parses that would fail.
  const statements = [
    'SELECT 1',
    '  select * from t',
    '(SELECT 1) UNION (SELECT 2)',
    '-- leading comment\nSELECT 1',
    '/* block */ WITH x AS (SELECT 1) SELECT * FROM x',
    'insert into t (a) values (1)',
    'UPDATE t SET a = 1',
    'delete from t where id = 1',
    'VALUES (1), (2)',
    'CREATE TABLE t (id int)',
    'EXPLAIN SELECT 1',
    'BEGIN',
  ];
  for (const text of statements) {
    it(`lets through ${JSON.stringify(text)} wherever it parses`, () => {
      for (const d of DIALECTS) if (parses(text, d)) assert.ok(mayStartStatement(text, d), d);
    });
  }

  const fragments = [' where id = $1', ' asc', '? = ?', 'count(*)', '', '   ', '-- only a comment', 'perflens_hole_1 between 1 and 2', '$1'];
  for (const text of fragments) {
    it(`rejects the fragment ${JSON.stringify(text)} (the parser rejects it too)`, () => {
      for (const d of ['postgresql', 'sqlite'] as const) {
        assert.equal(parses(text, d), false, `${d} parses it`);
        assert.equal(mayStartStatement(text, d), false, d);
      }
    });
  }

  it('lets MySQL labels through (an identifier first, then a colon)', () => {
    const text = 'lbl: BEGIN SELECT 1; END';
    assert.equal(mayStartStatement(text, 'mysql'), true);
    // Without a colon no label can start: an identifier alone is not a MySQL statement.
    assert.equal(mayStartStatement(' where id = 1', 'mysql'), false);
  });
});

describe('ParseCache', () => {
  it('parses each (dialect, text) once and returns the same result', () => {
    const cache = new ParseCache();
    let calls = 0;
    const run = () => ({ error: new Error(String(++calls)) });
    const a = cache.get('postgresql', 'x', run);
    assert.equal(cache.get('postgresql', 'x', run), a);
    cache.get('mysql', 'x', run);
    assert.equal(calls, 2);
  });

  it('drops the least recently used entry past its bound', () => {
    const cache = new ParseCache(2, 1000);
    let calls = 0;
    const run = () => ({ error: new Error(String(++calls)) });
    cache.get('postgresql', 'a', run);
    cache.get('postgresql', 'b', run);
    cache.get('postgresql', 'a', run); // a is now the most recent
    cache.get('postgresql', 'c', run); // b goes
    assert.equal(cache.size, 2);
    assert.equal(calls, 3);
    cache.get('postgresql', 'a', run);
    assert.equal(calls, 3);
    cache.get('postgresql', 'b', run);
    assert.equal(calls, 4);
  });

  it('is bounded by the characters it holds as well', () => {
    const cache = new ParseCache(100, 25);
    const run = () => ({ error: new Error('x') });
    for (const t of ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc']) cache.get('sqlite', t, run);
    assert.ok(cache.size < 3);
  });
});

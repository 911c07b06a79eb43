import * as assert from 'node:assert/strict';
import { splitStatements } from '../../../server/src/languages/sql/split';

function texts(sql: string, mysql = false): string[] {
  return splitStatements(sql, { mysql }).map((s) => s.text);
}

describe('sql splitStatements', () => {
  it('splits on semicolons and reports each statement start', () => {
    const sql = 'SELECT 1;\n  SELECT 2 ;\nSELECT 3';
    const parts = splitStatements(sql);
    assert.deepEqual(parts.map((p) => p.text), ['SELECT 1', 'SELECT 2', 'SELECT 3']);
    for (const p of parts) assert.equal(sql.slice(p.start, p.start + p.text.length), p.text);
  });

  it('does not split inside quotes, identifiers or comments', () => {
    const sql = `SELECT ';', "a;b", 'it''s; here' FROM t -- no; split\nWHERE x = 1 /* ; */;SELECT 2`;
    assert.deepEqual(texts(sql), [`SELECT ';', "a;b", 'it''s; here' FROM t -- no; split\nWHERE x = 1 /* ; */`, 'SELECT 2']);
  });

  it('keeps dollar-quoted bodies whole, and does not take $1 for a dollar quote', () => {
    const sql = `CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; SELECT 2; $body$ LANGUAGE sql;\nSELECT * FROM t WHERE a = $1 OFFSET $2;\nDO $$ BEGIN PERFORM 1; END $$;`;
    const parts = texts(sql);
    assert.equal(parts.length, 3);
    assert.match(parts[0], /\$body\$ LANGUAGE sql$/);
    assert.equal(parts[1], 'SELECT * FROM t WHERE a = $1 OFFSET $2');
  });

  it('keeps BEGIN … END bodies of SQLite triggers whole', () => {
    const sql = `CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; INSERT INTO c VALUES (CASE WHEN 1 THEN 2 END); END;\nSELECT 1;`;
    assert.deepEqual(texts(sql).length, 2);
  });

  it('follows the MySQL client DELIMITER command and MySQL escapes', () => {
    const sql = `DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END //\nDELIMITER ;\nSELECT 'it\\'s;' FROM t; # comment; here\nSELECT 3;`;
    assert.deepEqual(texts(sql, true), ['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', `SELECT 'it\\'s;' FROM t`, 'SELECT 3']);
  });

  it('skips psql meta-commands and comment-only chunks', () => {
    assert.deepEqual(texts('\\connect app\n-- just a comment;\n;\nSELECT 1;'), ['SELECT 1']);
  });

  it('survives an unterminated quote or comment', () => {
    assert.deepEqual(texts("SELECT 'oops; FROM t"), ["SELECT 'oops; FROM t"]);
    assert.deepEqual(texts('SELECT 1; /* never closed'), ['SELECT 1']);
  });
});

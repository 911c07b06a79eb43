import * as assert from 'node:assert/strict';
import { parse } from 'sql-parser-cst';
import { withoutForeignKeys } from '../../server/src/database/schema/without-foreign-keys';

describe('database: a table made without the foreign keys the embedded database cannot make', () => {
  it('drops table and column keys, named or not, and keeps everything else', () => {
    const sql = `CREATE TABLE load_balancer (
\tid VARCHAR(36) NOT NULL,
\tzone VARCHAR(255) REFERENCES availability_zone (name) ON DELETE SET NULL,
\towner_id INTEGER CONSTRAINT fk_owner REFERENCES owners (id) NOT NULL,
\tPRIMARY KEY (id),
\tCONSTRAINT fk_lb_zone FOREIGN KEY(zone) REFERENCES availability_zone (name),
\tUNIQUE (zone, id),
\tFOREIGN KEY(owner_id) REFERENCES owners (id)
);`;
    const out = withoutForeignKeys(sql)!;
    assert.equal(out, `CREATE TABLE load_balancer (
\tid VARCHAR(36) NOT NULL,
\tzone VARCHAR(255),
\towner_id INTEGER NOT NULL,
\tPRIMARY KEY (id),
\tUNIQUE (zone, id));`);
    parse(out, { dialect: 'postgresql' });
  });

  it('a key first in the list, and a key alone', () => {
    assert.equal(withoutForeignKeys('CREATE TABLE t (FOREIGN KEY (a) REFERENCES p (id), a int)'), 'CREATE TABLE t (a int)');
    assert.equal(withoutForeignKeys('CREATE TABLE t (a int REFERENCES p)'), 'CREATE TABLE t (a int)');
  });

  it('leaves alone what has no key, is not a CREATE TABLE, or does not parse', () => {
    assert.equal(withoutForeignKeys('CREATE TABLE t (a int PRIMARY KEY)'), undefined);
    assert.equal(withoutForeignKeys('ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES p (id)'), undefined);
    assert.equal(withoutForeignKeys('CREATE TABLE t (a int REFERENCES'), undefined);
  });
});

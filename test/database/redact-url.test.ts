import * as assert from 'node:assert/strict';
import { redactUrl } from '../../server/src/database/redact-url';

describe('database: redactUrl', () => {
  const cases: Array<[string, string, string]> = [
    ['a password in the user info', 'postgres://app:s3cret@db.example.com:5432/shop', 'postgres://app:***@db.example.com:5432/shop'],
    ['no password: unchanged', 'postgres://app@localhost/shop', 'postgres://app@localhost/shop'],
    ['no user info: unchanged', 'postgresql://localhost:5433/shop?sslmode=require', 'postgresql://localhost:5433/shop?sslmode=require'],
    ['a password with / and @ (unencoded)', 'postgres://app:pa/ss@word@host/db', 'postgres://app:***@host/db'],
    ['a password in the query string', 'postgres://host/db?user=app&password=s3cret&sslmode=require', 'postgres://host/db?user=app&password=***&sslmode=require'],
    ['mysql', 'mysql://root:hunter2@127.0.0.1:3306/app', 'mysql://root:***@127.0.0.1:3306/app'],
    ['a key=value DSN', "host=db user=app password='s3 cret' dbname=shop", 'host=db user=app password=*** dbname=shop'],
    ['sqlite paths have nothing to hide', 'sqlite:./dev.db', 'sqlite:./dev.db'],
  ];
  for (const [why, input, expected] of cases) {
    it(why, () => {
      assert.equal(redactUrl(input), expected);
    });
  }

  it('never leaves a password in the output', () => {
    for (const [, input] of cases) assert.ok(!/s3cret|hunter2|pa\/ss|s3 cret/.test(redactUrl(input)), input);
  });
});

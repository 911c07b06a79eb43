import * as assert from 'node:assert/strict';
import { globToRegExp } from '../../server/src/engine/glob';

describe('globToRegExp', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.sql', 'db/queries.sql', true],
    ['*.sql', 'db/queries.ts', false],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/*.ts', 'src/c.ts', true],
    ['src/**/*.ts', 'lib/src/c.ts', false],
    ['/build', 'build/x.js', true],
    ['/build', 'a/build/x.js', false],
    ['generated/', 'a/generated/x.ts', true],
    ['**/migrations/**', 'app/migrations/0001.py', true],
    ['*.{ts,py}', 'x/y.py', true],
    ['file?.ts', 'file1.ts', true],
    ['file?.ts', 'file12.ts', false],
    ['a.b', 'axb', false],
  ];
  for (const [glob, file, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${file}`, () => {
      assert.equal(globToRegExp(glob).test(file), expected);
    });
  }
});

/**
 * Bad input never breaks analysis: every fixture, cut and mangled in deterministic ways (truncations,
 * byte flips, unbalanced brackets, deep nesting, one huge line, binary), goes through every adapter
 * and rule with no exception — not even one the engine would catch and log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../server/src/engine/analyze';
import { REPO_ROOT, engineLog, lintText, testEngine } from '../harness/engine';

const FIXTURES = path.join(REPO_ROOT, 'test/rules/offset-pagination/fixtures');

/** A small deterministic generator, so a failure reproduces. */
function* mutations(text: string): Generator<[string, string]> {
  let seed = 42;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % Math.max(1, n));
  for (const cut of [0.1, 0.33, 0.5, 0.77, 0.95]) yield [`truncated at ${cut}`, text.slice(0, Math.floor(text.length * cut))];
  for (let i = 0; i < 8; i++) {
    const chars = [...text];
    for (let j = 0; j < 5; j++) chars[rand(chars.length)] = String.fromCharCode(rand(128));
    yield [`bytes flipped #${i}`, chars.join('')];
  }
  yield ['brackets removed', text.replace(/[)\]}]/g, '')];
  yield ['brackets doubled', text.replace(/[([{]/g, '$&$&')];
  yield ['quotes removed', text.replace(/['"`]/g, '')];
  yield ['deep nesting', '('.repeat(3000) + text + ')'.repeat(3000)];
  yield ['one long line', text.replace(/\n/g, ' ').repeat(20)];
  yield ['binary', '\u0000\u0001\u0002' + text];
  yield ['lone surrogates', text.replace(/e/g, '\ud800')];
}

describe('robustness: mutated fixtures', function () {
  this.timeout(120_000);
  let engine: Engine;
  before(async () => {
    engine = await testEngine();
  });

  for (const name of fs.readdirSync(FIXTURES).filter((f) => !f.endsWith('.snap'))) {
    it(`${name}: no adapter or rule throws on any mutation`, () => {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const before = engineLog.length;
      for (const [what, mutated] of mutations(text)) {
        assert.doesNotThrow(() => lintText(engine, mutated, name), what);
        const errors = engineLog.slice(before).filter((l) => /failed|could not analyse/.test(l));
        assert.deepEqual(errors, [], `${what}:\n${errors.join('\n')}`);
      }
    });
  }

  it('a 5 MB single-line file gives no findings and no exception', () => {
    const huge = 'const x = [' + '1,'.repeat(2_600_000) + '];';
    const result = lintText(engine, huge, 'huge.ts');
    assert.deepEqual(result.findings, []);
  });
});

/** Every rule has a docs page with the fixed sections, in order, that agrees with its metadata. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/rules';
import { REPO_ROOT } from '../harness/engine';

const SECTIONS = ['What it does', 'Why is this slow', 'Example', 'Use instead', 'Fix safety', 'When to ignore it'];

describe('rule docs', () => {
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    it(`docs/rules/${id}.md has the sections and agrees with the metadata`, () => {
      const file = path.join(REPO_ROOT, 'docs/rules', `${id}.md`);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, new RegExp(`^# ${id}\\b`, 'm'), 'the title is the rule id');
      const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());
      assert.deepEqual(headings, SECTIONS);
      const safety = text.slice(text.indexOf('## Fix safety'));
      if (rule.meta.fix !== 'none') assert.match(safety, new RegExp(rule.meta.fix, 'i'), `Fix safety names the fix as ${rule.meta.fix}`);
    });

    it(`${id} is listed in docs/rules/README.md and has a test file`, () => {
      const index = fs.readFileSync(path.join(REPO_ROOT, 'docs/rules/README.md'), 'utf8');
      assert.ok(index.includes(`(${id}.md)`), 'linked from the index');
      assert.ok(index.includes(rule.meta.description), 'with its description');
      const tests = fs.readdirSync(path.join(REPO_ROOT, 'test/rules')).filter((f) => f.startsWith(id));
      assert.ok(tests.length > 0);
    });
  }
  it('rule ids are unique kebab-case', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  });
});

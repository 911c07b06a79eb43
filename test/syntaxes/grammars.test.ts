/** The SQL injection grammars: valid, their patterns compile, and the manifest contributes them. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/engine';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Rule[];
  include?: string;
}

function rules(grammar: { patterns: Rule[]; repository: Record<string, Rule> }): Rule[] {
  const out: Rule[] = [];
  const walk = (r: Rule) => {
    out.push(r);
    r.patterns?.forEach(walk);
  };
  grammar.patterns.forEach(walk);
  Object.values(grammar.repository).forEach(walk);
  return out;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

function grammarFor(file: string) {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'syntaxes', file), 'utf8'));
}

describe('SQL injection grammars', () => {
  for (const file of ['sql-in-js.tmLanguage.json', 'sql-in-python.tmLanguage.json']) {
    it(`${file}: every pattern compiles and every include resolves`, () => {
      const g = grammarFor(file);
      for (const r of rules(g)) {
        for (const re of [r.match, r.begin, r.end]) if (re) assert.doesNotThrow(() => new RegExp(re), re);
        if (r.include?.startsWith('#')) assert.ok(g.repository[r.include.slice(1)], r.include);
      }
      assert.match(g.injectionSelector, /^L:source\./);
    });

    it(`${file} is contributed with its scope name and injection targets`, () => {
      const g = grammarFor(file);
      const entry = manifest.contributes.grammars.find((x: { path: string }) => x.path === `./syntaxes/${file}`);
      assert.ok(entry, 'listed in contributes.grammars');
      assert.equal(entry.scopeName, g.scopeName);
      for (const target of entry.injectTo) assert.ok(g.injectionSelector.includes(`L:${target} `), target);
      assert.equal(entry.embeddedLanguages['meta.embedded.block.sql'], 'sql');
    });
  }

  it('the JS grammar starts SQL at the tags PerfLens analyses, and not at other templates', () => {
    const begin = new RegExp(rules(grammarFor('sql-in-js.tmLanguage.json')).find((r) => r.begin)!.begin!);
    for (const code of ['sql`SELECT 1`', 'Prisma.sql`SELECT 1`', 'prisma.$queryRaw`SELECT 1`', 'db.$executeRaw `DELETE FROM t`']) assert.ok(begin.test(code), code);
    for (const code of ['html`<p>`', 'mysql`x`', 'css`a{}`']) assert.ok(!begin.test(code), code);
  });

  it('the Python grammar starts SQL in query calls and SQL-looking triple-quoted strings', () => {
    const g = grammarFor('sql-in-python.tmLanguage.json');
    const call = new RegExp(g.repository['query-call-string'].begin);
    const doc = new RegExp(g.repository['sql-docstring'].begin);
    assert.ok(call.test('cursor.execute("SELECT 1")'));
    assert.ok(call.test('session.execute(text(f"SELECT {x}")'));
    assert.ok(doc.test('q = """\n  SELECT * FROM t"""'));
    assert.ok(!doc.test('"""A docstring."""'));
    assert.ok(!call.test('print("SELECT 1")'));
  });
});

/** The SQL injection grammars: valid, their patterns compile, and the manifest contributes them. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/engine';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
}

interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo: string[];
  embeddedLanguages: Record<string, string>;
}

const GRAMMARS = {
  'sql-in-js.tmLanguage.json': ['source.js', 'source.ts', 'source.tsx', 'source.js.jsx'],
  'sql-in-python.tmLanguage.json': ['source.python'],
};

// Grammars VS Code ships, which these may include rules from.
const EXTERNAL_INCLUDES = /^source\.(sql|ts|python)(#[\w-]+)?$/;

// VS Code runs the patterns with Oniguruma; a pattern that compiles in JS means the same there only if
// it keeps to the common subset. These are the Oniguruma-only forms that JS would misread or reject.
const ONIGURUMA_ONLY = [/\\[hHAzZGK]/, /\[\[:\w+:\]\]|\[:\w+:\]/, /\(\?[imx]+[):-]/, /\(\?>/, /[*+?}]\+/, /\\p\{\^/];

function grammarFor(file: string): Grammar {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'syntaxes', file), 'utf8'));
}

function allRules(g: Grammar): Rule[] {
  const out: Rule[] = [];
  const walk = (r: Rule) => {
    out.push(r);
    r.patterns?.forEach(walk);
    for (const caps of [r.captures, r.beginCaptures, r.endCaptures]) Object.values(caps ?? {}).forEach(walk);
  };
  g.patterns.forEach(walk);
  Object.values(g.repository).forEach(walk);
  return out;
}

/** The begin patterns of the grammar's top-level rules, as JS regexes (the same subset as Oniguruma's). */
function beginPatterns(g: Grammar): RegExp[] {
  return g.patterns.map((p) => new RegExp(g.repository[p.include!.slice(1)].begin!));
}

function startsSql(g: Grammar, code: string): boolean {
  return beginPatterns(g).some((re) => re.test(code));
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('SQL injection grammars', () => {
  for (const [file, targets] of Object.entries(GRAMMARS)) {
    describe(file, () => {
      const g = grammarFor(file);

      it('has a scope name and injects into its languages, outside comments and strings', () => {
        assert.match(g.scopeName, /^perflens\.sql-in-\w+\.injection$/);
        const selectors = g.injectionSelector.split(',').map((s) => s.trim());
        assert.deepEqual(selectors, targets.map((t) => `L:${t} -comment -string`));
      });

      it('every pattern compiles and keeps to what Oniguruma and JS read alike', () => {
        for (const r of allRules(g)) {
          for (const re of [r.match, r.begin, r.end]) {
            if (re === undefined) continue;
            assert.doesNotThrow(() => new RegExp(re), re);
            for (const only of ONIGURUMA_ONLY) assert.doesNotMatch(re, only, `Oniguruma-only syntax in ${re}`);
          }
        }
      });

      it('every include resolves, and every top-level rule embeds source.sql', () => {
        for (const r of allRules(g)) {
          if (r.include === undefined) continue;
          if (r.include.startsWith('#')) assert.ok(g.repository[r.include.slice(1)], r.include);
          else assert.match(r.include, EXTERNAL_INCLUDES);
        }
        for (const p of g.patterns) {
          const rule = g.repository[p.include!.slice(1)];
          assert.equal((rule as { contentName?: string }).contentName, 'meta.embedded.block.sql', p.include);
          const reaches = (r: Rule, seen = new Set<Rule>()): boolean =>
            !seen.has(r) &&
            (seen.add(r), r.patterns ?? []).some(
              (q) => q.include === 'source.sql' || (q.include?.startsWith('#') === true && reaches(g.repository[q.include.slice(1)], seen)),
            );
          assert.ok(reaches(rule), `${p.include} includes source.sql`);
        }
      });

      it('is contributed in package.json with the same scope name, targets and embedded language', () => {
        const entry = (manifest.contributes.grammars as GrammarContribution[]).find((x) => x.path === `./syntaxes/${file}`);
        assert.ok(entry, 'listed in contributes.grammars');
        assert.equal(entry.scopeName, g.scopeName);
        assert.deepEqual([...entry.injectTo].sort(), [...targets].sort());
        assert.deepEqual(entry.embeddedLanguages, { 'meta.embedded.block.sql': 'sql' });
      });
    });
  }

  it('package.json contributes no grammar file that does not exist', () => {
    for (const entry of manifest.contributes.grammars as GrammarContribution[]) {
      assert.ok(fs.existsSync(path.join(REPO_ROOT, entry.path)), entry.path);
    }
  });

  describe('where SQL starts', () => {
    const js = grammarFor('sql-in-js.tmLanguage.json');
    const py = grammarFor('sql-in-python.tmLanguage.json');

    it('JS/TS: the tags and raw calls PerfLens analyses, with receivers and type arguments', () => {
      for (const code of [
        'sql`SELECT 1`',
        'SQL`SELECT 1`',
        'Prisma.sql`SELECT 1`',
        'prisma.$queryRaw`SELECT 1`',
        'tx.$executeRaw `DELETE FROM t`',
        'this.prisma.$queryRaw<User[]>`SELECT * FROM "User"`',
        'sql<number>`count(*)`',
        'sql.unsafe`SELECT 1`',
        'sql.fragment`AND id = ${id}`',
        "sql.raw('SELECT 1')",
        'sql.unsafe(`SELECT ${cols} FROM t`)',
        "knex.raw('select * from users where id = ?', [id])",
        'prisma.$queryRawUnsafe("SELECT 1")',
      ]) {
        assert.ok(startsSql(js, code), code);
      }
    });

    it('JS/TS: not other tags, names that merely end in sql, or plain strings', () => {
      for (const code of ['html`<p>`', 'mysql`x`', 'css`a{}`', 'gql`query { a }`', 'const s = "SELECT 1"', 'raw(`x`)']) {
        assert.ok(!startsSql(js, code), code);
      }
    });

    it('JS/TS: the receiver chain is part of the match, where TypeScript starts its own tagged-template rule', () => {
      const tagged = new RegExp(js.repository['tagged-template'].begin!);
      assert.equal(tagged.exec('await prisma.$queryRaw`SELECT 1`')?.index, 'await '.length);
      assert.equal(tagged.exec('(await db()).$queryRaw`SELECT 1`')?.index, '(await db())'.length);
    });

    it('Python: strings passed to query calls, plain or f-strings, one-line or triple-quoted', () => {
      for (const code of [
        'cursor.execute("SELECT id FROM posts LIMIT %s OFFSET %s", (limit, offset))',
        'session.execute(text(f"SELECT * FROM {table}"))',
        'conn.executescript("""',
        "Post.objects.raw('SELECT * FROM blog_post')",
        'await conn.fetch(r"SELECT 1")',
        'pd.read_sql("SELECT * FROM t", engine)',
      ]) {
        assert.ok(startsSql(py, code), code);
      }
    });

    it('Python: triple-quoted SQL, *_sql names, and one-line strings shaped like a statement', () => {
      for (const code of [
        'q = """SELECT * FROM t"""',
        "q = f'''  with recent as (select 1)",
        'LIST_POSTS_SQL = """',
        'sql = """',
        'sql_count = f"""',
        'rows = db("SELECT id FROM posts WHERE published")',
        'stmt = "UPDATE posts SET slug = %s WHERE id = %s"',
        "stmt = 'DELETE FROM sessions WHERE expires_at < now()'",
        'stmt = "INSERT INTO tags (name) VALUES (%s)"',
      ]) {
        assert.ok(startsSql(py, code), code);
      }
    });

    it('Python: not docstrings, prose, single words, other calls, or names that merely contain sql', () => {
      for (const code of [
        '"""A docstring."""',
        'msg = "SELECT a country"',
        'widget = "select"',
        'label = "Update"',
        'print("SELECT 1")',
        'mysql_conf = """',
        'query = """',
      ]) {
        assert.ok(!startsSql(py, code), code);
      }
    });
  });
});

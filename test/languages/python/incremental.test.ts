import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { SourceFile } from '../../../server/src/engine/source-file';
import { PythonAdapter } from '../../../server/src/languages/python/adapter';
import { REPO_ROOT } from '../../harness/engine';

/** A repository class: typing in one method must re-use the nodes of the others (reuse.ts). */
const REPOSITORY = `import requests
from functools import lru_cache
from sqlalchemy import select
from sqlalchemy.orm import Session
from .models import Post, Author

_cache = {}


class PostRepository:
    def __init__(self, session: Session):
        self.session = session

    def authors(self, ids):
        out = []
        for i in ids:
            out.append(self.session.get(Author, i))
        return out

    def page(self, page: int):
        stmt = select(Post).order_by(Post.created_at.desc()).offset((page - 1) * 20).limit(20)
        return self.session.scalars(stmt).all()

    def titles(self):
        return [p.author.name for p in self.session.scalars(select(Post))]

    def remember(self, key, value):
        _cache[key] = value; return value


def fetch(url):
    return requests.get(url).json()
`;

/** Every fact, as the rules read them (facts are plain data). */
function all(facts: ReturnType<PythonAdapter['facts']>): string {
  return JSON.stringify(facts);
}

/** A small seeded generator: the same edits on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const VIEW = `from django.http import JsonResponse
from .models import Post


def post_list(request):
    page = int(request.GET.get("page", 1))
    start = (page - 1) * 20
    posts = Post.objects.order_by("-created_at")[start:start + 20]
    return JsonResponse({"posts": [p.title for p in posts]})
`;

function strip(facts: ReturnType<PythonAdapter['facts']>) {
  return JSON.stringify({ queries: facts.queries, sql: facts.sql, problems: facts.problems });
}

describe('Python adapter', () => {
  const adapter = new PythonAdapter();
  const fresh = new PythonAdapter();
  before(() => Promise.all([adapter.init(), fresh.init()]));

  it('re-parses incrementally to the same facts as a fresh parse, edit after edit', () => {
    const edits = [
      (t: string) => t.replace('"page", 1', '"page", 2'),
      (t: string) => t.replace('start + 20]', 'start + 50]'),
      (t: string) => `# comment é😀\n${t}`,
      (t: string) => t.replace('def post_list(request):', 'def post_list(request, extra):'),
      (t: string) => t + '\n\ndef broken(:\n    pass\n',
    ];
    let text = VIEW;
    adapter.facts(new SourceFile('/p/views.py', 'python', text));
    edits.forEach((edit, i) => {
      text = edit(text);
      const incremental = adapter.facts(new SourceFile('/p/views.py', 'python', text));
      // A path never parsed before: a full parse.
      assert.equal(strip(incremental), strip(fresh.facts(new SourceFile(`/p/fresh-${i}.py`, 'python', text))), `after edit ${i + 1}`);
      fresh.forget(`/p/fresh-${i}.py`);
    });
  });

  it('re-uses the nodes of the statements an edit did not touch, and its facts are a fresh parse\'s', () => {
    const file = '/p/repository.py';
    let text = REPOSITORY;
    const rootOf = () => (adapter as unknown as { trees: Map<string, { root: Node }> }).trees.get(file)!.root;
    const methods = () => {
      const cls = rootOf().namedChildren.find((n) => n?.type === 'class_definition')!;
      return cls.childForFieldName('body')!.namedChildren.filter((n): n is Node => n?.type === 'function_definition');
    };
    adapter.facts(new SourceFile(file, 'python', text));
    const before = new Set<Node>([...methods(), ...rootOf().namedChildren.filter((n): n is Node => !!n)]);
    // Typed inside a method: the module and the class are re-parsed, most other statements are not.
    text = text.replace('out = []', 'out = []  # typed');
    assert.equal(all(adapter.facts(new SourceFile(file, 'python', text))), all(fresh.facts(new SourceFile('/p/fresh-r1.py', 'python', text))));
    const after = [...methods(), ...rootOf().namedChildren.filter((n): n is Node => !!n)];
    const kept = after.filter((n) => before.has(n));
    // (Node objects are compared with ok(): a failed equal() would print the whole tree.)
    assert.ok(kept.some((n) => n.type === 'function_definition' && n.startIndex > text.indexOf('# typed')), 'a method after the edit is the same node object');
    assert.ok(kept.some((n) => n.type === 'import_statement'), 'a statement before the edit is the same node object');
    for (const n of after) {
      const name = n.childForFieldName('name')?.text;
      if (n.type === 'function_definition') assert.equal(n.startIndex, text.indexOf(`def ${name}(`), `def ${name}: moved by the length of the edit`);
      assert.equal(n.text, text.slice(n.startIndex, n.endIndex));
      assert.equal(n.startPosition.row, text.slice(0, n.startIndex).split('\n').length - 1);
      // What was not read before comes from the new tree, at the right place.
      assert.equal(n.descendantsOfType('identifier')[0]?.startIndex, n.startIndex + /[A-Za-z_]\w*/.exec(n.text.replace(/^(def|class|import|from|return)\b/, (m) => ' '.repeat(m.length)))!.index);
      assert.ok(n.parent === rootOf() || n.parent?.parent?.type === 'class_definition');
    }
    fresh.forget('/p/fresh-r1.py');
  });

  it('gives a fresh parse\'s facts and tree after hundreds of random edits (broken code, lines joined and split, same-length replacements, Unicode)', () => {
    // A class-heavy module (the methods of an edited class are re-used) and the examples.
    const classes = Array.from({ length: 8 }, (_, k) => REPOSITORY.slice(REPOSITORY.indexOf('class ')).replace('PostRepository', `Repository${k}`).replace(/_cache/g, `_cache${k}`));
    const corpus = ['examples/django-blog/blog/views.py', 'examples/django-blog/blog/models.py', 'examples/fastapi-sqlalchemy/app/main.py']
      .map((f) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'))
      .concat(REPOSITORY, ...classes)
      .join('\n\n');
    const snippets = ['\n', ' ', '(', ')', ':', '\n    ', '# é😀 note\n', 'x = 1; ', '\n\ndef f(a):\n    return Post.objects.all()[a:a + 10]\n', 'for p in posts:\n        p.author.name\n', '"""', 'class C:\n    pass\n', '\n    def g(self):\n        if self:\n            return 1\n'];
    const next = random(7);
    let text = corpus;
    const file = '/p/fuzz.py';
    const rootOf = () => (adapter as unknown as { trees: Map<string, { root: Node }> }).trees.get(file)!.root;
    /** Every named node as the runtime sees it: a node moved with a wrong id would read another subtree, or fail. */
    const shape = (root: Node) => {
      const out: string[] = [];
      const stack = [root];
      while (stack.length) {
        const n = stack.pop()!;
        out.push(`${n.type}@${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column} ${n.endPosition.row}:${n.endPosition.column} ${n.childCount}/${n.descendantCount} ${n.parent?.type}`);
        for (const k of n.namedChildren) if (k) stack.push(k);
      }
      return out.join('\n');
    };
    adapter.facts(new SourceFile(file, 'python', text));
    let differed = 0;
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(next() * (text.length + 1));
      const r = next();
      const snippet = snippets[Math.floor(next() * snippets.length)];
      if (r < 0.35) text = text.slice(0, at) + snippet + text.slice(at);
      else if (r < 0.7) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 40)));
      // As long as what it replaces: nothing after it moves sideways, but lines may (a newline for a space).
      else if (r < 0.9) text = text.slice(0, at) + snippet + text.slice(at + snippet.length);
      // Now and then, back to the original: every node is re-used or re-read.
      else text = corpus;
      const source = new SourceFile(file, 'python', text);
      const incremental = all(adapter.facts(source));
      const freshFile = new SourceFile(`/p/fresh-f${i}.py`, 'python', text);
      // What tree-sitter re-parsed, read afresh from WASM: the moved node objects must read the same.
      const reparsed = () => shape(adapter.syntaxTree(source)!.rootNode);
      if (incremental !== all(fresh.facts(freshFile))) {
        // tree-sitter's error recovery may end in another tree when re-parsing broken code than
        // when parsing it afresh (not PerfLens's doing): then the facts are those of its tree.
        const tree = reparsed();
        assert.ok(tree !== shape(fresh.syntaxTree(freshFile)!.rootNode), `facts after edit ${i + 1} differ from a fresh parse's, of the same tree`);
        assert.ok(shape(rootOf()) === tree, `tree after edit ${i + 1}`);
        differed++;
      }
      if (i % 4 === 0) assert.equal(shape(rootOf()), reparsed(), `tree after edit ${i + 1}`);
      fresh.forget(`/p/fresh-f${i}.py`);
    }
    // Rare: the check against a fresh parse stays the rule.
    assert.ok(differed <= 10, `${differed} of 200 edits re-parsed to another tree than a fresh parse`);
  });

  it('gives a fresh parse\'s facts after edits elsewhere that change what a kept function\'s facts depend on (imports, clients, helpers, class bases, SQL constants)', () => {
    // Each edit is in one statement, and changes the facts of another, which the edit did not touch
    // (its nodes, and what was found in it, are kept: tree.ts visitNodesOfTypes).
    const MODULE = `import requests
from fastapi import FastAPI
from sqlalchemy import select
from . import services
from .models import Post, Author
import graphene

http = None
FIND = "SELECT name FROM authors WHERE id = %s"


def load(session, pid):
    services.notify(pid)
    return None


def names(cur, ids):
    for i in ids:
        cur.execute(FIND, [i])


class PostType(graphene.ObjectType):
    def resolve_author(parent, info):
        services.notify(parent)
        return Author.objects.get(id=parent.author_id)


async def feed(request, session):
    for p in session.scalars(select(Post)).all():
        load(session, p.id)
        services.notify(p)
    return http.get("https://example.com", timeout=5)


def titles(session, page):
    stmt = select(Post).offset(page * 20).limit(20)
    return session.scalars(stmt).all()


if True:
    class Resolvers(graphene.ObjectType):
        def resolve_posts(parent, info):
            load(None, parent.id)
            return Post.objects.filter(author_id=parent.id).count()


@app.get("/posts")
async def handler(session):
    load(session, 1)
    return titles(session, 1)
`;
    // [what, with]: toggled on and off in a seeded order, so that edits combine.
    const toggles: Array<[string, string]> = [
      ['from sqlalchemy import select\n', ''],
      ['http = None\n', 'http = requests.Session()\n'],
      // A module constant the kept \`names\` runs: SQL, or not (constantSqlAt).
      ['FIND = "SELECT name FROM authors WHERE id = %s"\n', 'FIND = "the author\'s name"\n'],
      ['    return None\n', '    return session.get(Post, pid)\n'],
      ['from . import services\n', ''],
      ['class PostType(graphene.ObjectType):', 'class PostType:'],
      ['    class Resolvers(graphene.ObjectType):', '    class Resolvers(object):'],
      ['import graphene\n', 'import graphene\nfrom .views import feed_helper\n'],
      ['@app.get("/posts")\n', ''],
      ['import requests\n', ''],
      // Django's names make \`feed(request, …)\` a function view.
      ['from fastapi import FastAPI\n', 'from django.http import JsonResponse\n'],
      // Edits inside functions, so that what is kept of them is found in every state of the others.
      ['        return Author.objects.get', '        # note\n        return Author.objects.get'],
      ['    services.notify(pid)\n', '    services.notify(pid)  # sent\n'],
      ['            load(None, parent.id)\n', '            load(None, parent.id)  # each\n'],
      ['    return http.get(', '    # fetch\n    return http.get('],
    ];
    const on = toggles.map(() => false);
    const file = '/p/context.py';
    const check = (text: string, what: string) => {
      const incremental = all(adapter.facts(new SourceFile(file, 'python', text)));
      const expected = all(fresh.facts(new SourceFile('/p/context-fresh.py', 'python', text)));
      fresh.forget('/p/context-fresh.py');
      assert.equal(incremental, expected, what);
    };
    // A comment typed in \`titles\`: the other functions are kept from then on.
    const typed = (t: string) => t.replace('    stmt = select', '    # typing\n    stmt = select');
    let text = MODULE;
    check(text, 'at first');
    check(typed(text), 'typed');
    check(text, 'typed, then removed');
    const next = random(11);
    for (let i = 0; i < 400; i++) {
      // One toggle at a time: the edit is that statement, and every other one is kept.
      const k = Math.floor(next() * toggles.length);
      on[k] = !on[k];
      text = toggles.reduce((t, [what, by], j) => (on[j] ? t.replace(what, by) : t), MODULE);
      check(text, `after toggling ${JSON.stringify(toggles[k])} (edit ${i + 1})`);
      if (i % 10 === 0) {
        check(typed(text), `typed after edit ${i + 1}`);
        check(text, `typed after edit ${i + 1}, then removed`);
      }
    }
    adapter.forget(file);
  });

  it('keeps facts of the good code around a syntax error, and reports the error', () => {
    const facts = adapter.facts(new SourceFile('/p/b.py', 'python', `def broken(:\n    pass\n\n${VIEW}`));
    assert.ok(facts.problems.length > 0);
    assert.equal(facts.queries.filter((q) => q.pagination).length, 1);
  });

  it('cancels a parse past its time budget: no facts, a problem saying why, and the next parse is whole', () => {
    const slow = new PythonAdapter();
    const file = '/p/budget.py';
    return slow.init().then(() => {
      slow.parseBudgetMs = 0;
      // tree-sitter asks whether to go on every few hundred bytes: a 0 ms budget ends at the first.
      const cancelled = slow.facts(new SourceFile(file, 'python', VIEW));
      assert.equal(cancelled.skipped, 'parsing took longer than 0 s');
      assert.deepEqual(cancelled.queries, []);
      assert.match(cancelled.problems[0].message, /parsing took longer than 0 s: not analysed/);
      slow.parseBudgetMs = 5000;
      // Not the cancelled parse resumed: the whole text, as a fresh adapter parses it.
      assert.equal(strip(slow.facts(new SourceFile(file, 'python', VIEW))), strip(fresh.facts(new SourceFile('/p/budget-fresh.py', 'python', VIEW))));
      // And an edit after it re-parses incrementally.
      const edited = VIEW.replace('"page", 1', '"page", 3');
      assert.equal(strip(slow.facts(new SourceFile(file, 'python', edited))), strip(fresh.facts(new SourceFile('/p/budget-fresh2.py', 'python', edited))));
      slow.forget(file);
      fresh.forget('/p/budget-fresh.py');
      fresh.forget('/p/budget-fresh2.py');
    });
  });

  it('gives no facts, and no exception, for binary input', () => {
    const facts = adapter.facts(new SourceFile('/p/c.py', 'python', 'x = 1\u0000\u0001\u0002'));
    assert.deepEqual(facts.queries, []);
    assert.match(facts.problems[0].message, /binary/);
  });
});

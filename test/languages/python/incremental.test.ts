import * as assert from 'node:assert/strict';
import { SourceFile } from '../../../server/src/engine/source-file';
import { PythonAdapter } from '../../../server/src/languages/python/adapter';

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

  it('keeps facts of the good code around a syntax error, and reports the error', () => {
    const facts = adapter.facts(new SourceFile('/p/b.py', 'python', `def broken(:\n    pass\n\n${VIEW}`));
    assert.ok(facts.problems.length > 0);
    assert.equal(facts.queries.filter((q) => q.pagination).length, 1);
  });

  it('gives no facts, and no exception, for binary input', () => {
    const facts = adapter.facts(new SourceFile('/p/c.py', 'python', 'x = 1\u0000\u0001\u0002'));
    assert.deepEqual(facts.queries, []);
    assert.match(facts.problems[0].message, /binary/);
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { PythonAdapter } from '../../../server/src/languages/python/adapter';

const CODE = `def f(xs):\n    for x in xs:\n        print(x.name, [y for y in x.items])\n`;

/** Every named node, depth first. */
function nodes(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    out.push(n);
    for (const k of n.namedChildren) if (k) visit(k);
  };
  visit(root);
  return out;
}

describe('Python node memo (web-tree-sitter properties read once)', () => {
  let parser: Parser;
  before(async () => {
    // The adapter installs the memo when it loads the grammar.
    await new PythonAdapter().init();
    parser = new Parser();
    parser.setLanguage(await Language.load(path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm')));
  });

  it('answers what a fresh node of the same tree answers', () => {
    const tree = parser.parse(CODE)!;
    const walked = nodes(tree.rootNode);
    for (const n of walked) {
      // descendantForIndex builds a node that has read nothing yet.
      const fresh = tree.rootNode.descendantForIndex(n.startIndex, n.endIndex);
      if (!fresh || fresh.id !== n.id) continue;
      assert.deepEqual([n.type, n.endIndex, n.text, n.isNamed, n.hasError, n.parent?.id], [fresh.type, fresh.endIndex, fresh.text, fresh.isNamed, fresh.hasError, fresh.parent?.id]);
    }
    tree.delete();
  });

  it('returns the same objects on every walk, as parents and as fields', () => {
    const tree = parser.parse(CODE)!;
    const root = tree.rootNode;
    const first = nodes(root);
    const second = nodes(root);
    assert.equal(first.length, second.length);
    first.forEach((n, i) => assert.equal(n, second[i]));
    for (const n of first) for (const k of n.namedChildren) if (k) assert.equal(k.parent, n);
    const loop = first.find((n) => n.type === 'for_statement')!;
    assert.equal(loop.childForFieldName('left'), loop.namedChildren[0]);
    tree.delete();
  });
});

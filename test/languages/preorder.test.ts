/**
 * The preorder index the adapters walk instead of their trees: nodes in order, the end of each
 * subtree, the nodes of each key, with parts (indexes of subtrees made before) kept by reference.
 * Checked against a plain recursive walk on random trees, with size hints too small (the arrays
 * grow), exact and too large, and with numeric keys (TypeScript's kinds) and string keys
 * (tree-sitter's types).
 */
import * as assert from 'node:assert/strict';
import { preorder, select, visitKept, walkPreorder, type Preorder } from '../../server/src/languages/preorder';

interface T {
  id: number;
  key: number;
  kids: T[];
}

/** A random tree of about `size` nodes, keys 0–4, from a seeded generator (the same tree every run). */
function tree(size: number, seed: number): T {
  let s = seed;
  const random = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  let next = 0;
  const root: T = { id: next++, key: 0, kids: [] };
  const all = [root];
  while (next < size) {
    const parent = all[Math.floor(random() * all.length)];
    const n: T = { id: next++, key: Math.floor(random() * 5), kids: [] };
    parent.kids.push(n);
    all.push(n);
  }
  return root;
}

const eachKid = (n: T, visit: (c: T) => void): void => n.kids.forEach(visit);

function plain(root: T): { order: T[]; ends: number[] } {
  const order: T[] = [];
  const ends: number[] = [];
  const go = (n: T): void => {
    const at = order.length;
    order.push(n);
    ends.push(-1);
    n.kids.forEach(go);
    ends[at] = order.length;
  };
  go(root);
  return { order, ends };
}

describe('preorder index', () => {
  for (const [size, hint] of [[1, 64], [300, 10], [300, 300], [2000, 5000], [5000, 1], [100, 12.5], [100, NaN]] as const) {
    it(`${size} nodes, a size hint of ${hint}: the order, the subtree ends and each key's nodes`, () => {
      const root = tree(size, size + (Number.isNaN(hint) ? 1 : Math.round(hint)));
      const expected = plain(root);
      for (const keyOf of [(n: T): number => n.key, (n: T): string => `k${n.key}`]) {
        const index = preorder<T, number | string>(root, eachKid, keyOf, undefined, hint);
        assert.deepEqual(index.nodes, expected.order);
        assert.deepEqual([...index.ends], expected.ends);
        for (const keys of [[keyOf({ id: -1, key: 1, kids: [] })], [keyOf({ id: -1, key: 3, kids: [] }), keyOf({ id: -1, key: 0, kids: [] })]]) {
          const wanted = expected.order.filter((n) => keys.includes(keyOf(n)));
          assert.deepEqual(select(index, keys), wanted);
        }
        const seen: T[] = [];
        walkPreorder(index, (n) => {
          seen.push(n);
        });
        assert.deepEqual(seen, expected.order);
      }
    });
  }

  it('a part is one slot whose nodes come from its own index, in order', () => {
    const root = tree(400, 7);
    const parts = new Map<T, Preorder<T, number>>();
    for (const kid of root.kids) parts.set(kid, preorder<T, number>(kid, eachKid, (n) => n.key));
    const partOf = (n: T): Preorder<T, number> | undefined => parts.get(n);
    const index = preorder<T, number>(root, eachKid, (n) => n.key, partOf, 2);
    assert.equal(index.nodes.length, 1 + root.kids.length);
    assert.equal(index.parts.size, root.kids.length);
    const expected = plain(root).order;
    assert.deepEqual(select(index, [2]), expected.filter((n) => n.key === 2));
    const seen: T[] = [];
    walkPreorder(index, (n) => {
      seen.push(n);
    });
    assert.deepEqual(seen, expected);
    // A subtree skipped by `enter` is not entered.
    const skipped: T[] = [];
    walkPreorder(index, (n) => {
      skipped.push(n);
      return n.key !== 4;
    });
    assert.ok(skipped.length < expected.length || expected.every((n) => n.key !== 4 || n.kids.length === 0));
  });

  it('visitKept: a kept part in the same context is visited only where something was found; in another context, or not kept, whole', () => {
    const root = tree(600, 11);
    // Parts: the root's children, and their children in turn (a module, its classes, their methods).
    const parts = new Map<T, Preorder<T, number>>();
    const partOf = (n: T): Preorder<T, number> | undefined => {
      let p = parts.get(n);
      if (!p && (root.kids.includes(n) || root.kids.some((k) => k.kids.includes(n)))) parts.set(n, (p = preorder<T, number>(n, eachKid, (m) => m.key, partOf)));
      return p;
    };
    const all = plain(root).order;
    const wanted = all.filter((n) => n.key === 1 || n.key === 2);
    const found = wanted.filter((n) => n.id % 3 === 0);
    const run = (contextOf: (part: Preorder<T, number>, outer: string | undefined) => string | undefined, keeps: (part: Preorder<T, number>) => boolean) => {
      const visited: T[] = [];
      const result = visitKept(preorder<T, number>(root, eachKid, (n) => n.key, partOf), [1, 2], 'test', contextOf, keeps, (n) => {
        visited.push(n);
        return n.id % 3 === 0;
      }, 'c1');
      return { visited, result };
    };
    const same = (_: Preorder<T, number>, outer: string | undefined) => outer;
    // The first time, every node of the keys; then, only those something was found at.
    assert.deepEqual(run(same, () => true), { visited: wanted, result: found });
    assert.deepEqual(run(same, () => true), { visited: found, result: found });
    // Another context for one part: that part whole, the others as kept.
    const first = parts.get(root.kids[0])!;
    const other = (part: Preorder<T, number>, outer: string | undefined) => (part === first ? 'c2' : outer);
    const firstNodes = new Set(plain(root.kids[0]).order);
    assert.deepEqual(run(other, () => true), { visited: wanted.filter((n) => firstNodes.has(n) || n.id % 3 === 0), result: found });
    // Not kept (a class with function dependence): visited whole, but its own parts as kept.
    const notFirst = (part: Preorder<T, number>) => part !== first;
    const direct = new Set(plain(root.kids[0]).order.filter((n) => !root.kids[0].kids.some((k) => plain(k).order.includes(n))));
    assert.deepEqual(run(other, notFirst).visited, wanted.filter((n) => direct.has(n) || n.id % 3 === 0));
    // No context: nothing kept is used, nothing is kept.
    assert.deepEqual(run(() => undefined, () => true).visited, wanted);
  });
});

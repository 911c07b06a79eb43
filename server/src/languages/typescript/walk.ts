import ts from 'typescript';

/**
 * A file's nodes in source order (depth-first, as `ts.forEachChild` visits them), with, for each,
 * the position just past its subtree. The fact builders walk the whole file a dozen times; the
 * first walk builds this and the others read an array instead of calling `forEachChild` on every
 * node again. A parsed tree never changes (an edit makes a new SourceFile), so the index is kept
 * beside the tree and dropped with it.
 */
interface NodeIndex {
  nodes: ts.Node[];
  /** `ends[i]`: the index of the first node after node i's subtree. */
  ends: Int32Array;
  /** The lists `nodesOfKind` made, by the kinds asked for. */
  byKind: Map<number | string, ts.Node[]>;
}

const indexes = new WeakMap<ts.SourceFile, NodeIndex>();

function buildIndex(sf: ts.SourceFile): NodeIndex {
  const nodes: ts.Node[] = [];
  // Parent of each node by index; the stack holds a node and its parent's index. No allocation
  // per node: this runs over every node of every file.
  const parents: number[] = [];
  const stack: ts.Node[] = [sf];
  const stackParents: number[] = [-1];
  const kids: ts.Node[] = [];
  const collect = (c: ts.Node): undefined => {
    kids.push(c);
    return undefined;
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    const at = nodes.length;
    nodes.push(n);
    parents.push(stackParents.pop()!);
    ts.forEachChild(n, collect);
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push(kids[i]);
      stackParents.push(at);
    }
    kids.length = 0;
  }
  // Subtree sizes, children before parents (reverse source order), then ends.
  const ends = new Int32Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    ends[i] += 1;
    if (parents[i] >= 0) ends[parents[i]] += ends[i];
  }
  for (let i = 0; i < ends.length; i++) ends[i] += i;
  return { nodes, ends, byKind: new Map() };
}

function indexOf(sf: ts.SourceFile): NodeIndex {
  let index = indexes.get(sf);
  if (!index) indexes.set(sf, (index = buildIndex(sf)));
  return index;
}

/**
 * The file's nodes of the given kinds, in source order: for fact builders that look at a few kinds
 * of node (calls, declarations), which then visit those instead of every node of the file.
 */
export function nodesOfKind<T extends ts.Node = ts.Node>(sf: ts.SourceFile, ...wanted: ts.SyntaxKind[]): readonly T[] {
  const index = indexOf(sf);
  const key = wanted.length === 1 ? wanted[0] : wanted.join(',');
  let list = index.byKind.get(key);
  if (!list) {
    if (wanted.length === 1) {
      list = [];
      const kind = wanted[0];
      for (const n of index.nodes) if (n.kind === kind) list.push(n);
    } else {
      const set = new Set(wanted);
      list = index.nodes.filter((n) => set.has(n.kind));
    }
    index.byKind.set(key, list);
  }
  return list as T[];
}

/**
 * Visits `node` and its descendants depth-first (source order) without recursion: deeply nested
 * input (thousands of brackets) must not overflow the stack. `enter` returns false to skip a subtree.
 * A whole file is visited from its index.
 */
export function walk(node: ts.Node, enter: (n: ts.Node) => boolean | void): void {
  if (ts.isSourceFile(node)) {
    const { nodes, ends } = indexOf(node);
    for (let i = 0; i < nodes.length; ) i = enter(nodes[i]) === false ? ends[i] : i + 1;
    return;
  }
  const stack: ts.Node[] = [node];
  // One buffer and one callback per walk, not per node.
  const kids: ts.Node[] = [];
  const collect = (c: ts.Node): undefined => {
    kids.push(c);
    return undefined;
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (enter(n) === false) continue;
    ts.forEachChild(n, collect);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    kids.length = 0;
  }
}

/**
 * A syntax tree's nodes in source order (depth-first, as the tree's own child iteration visits
 * them), with, for each, the position just past its subtree: built in one pass without recursion
 * (deeply nested input must not overflow the stack), then walked as an array by every fact builder
 * instead of each walking the tree again. Shared by the TypeScript and Python adapters.
 */
export interface Preorder<T> {
  nodes: T[];
  /** `ends[i]`: the index of the first node after node i's subtree. */
  ends: Int32Array;
  /** The lists `select` made, by key. */
  selections: Map<string | number, T[]>;
}

/**
 * `partOf` may give, for a node under the root, the index of its subtree made before (an adapter
 * keeps those for the statements an incremental re-parse re-uses): it is copied in whole instead of
 * visiting the subtree again.
 */
export function preorder<T>(root: T, forEachChild: (node: T, visit: (child: T) => void) => void, partOf?: (node: T) => Preorder<T> | undefined): Preorder<T> {
  const nodes: T[] = [];
  // Parent of each node by index (-1: the root; -2: inside a copied part, whose ends are known);
  // the stack holds a node and its parent's index. No allocation per node: this runs over every
  // node of every file.
  const parents: number[] = [];
  const known: Array<[at: number, part: Preorder<T>]> = [];
  const stack: T[] = [root];
  const stackParents: number[] = [-1];
  const kids: T[] = [];
  const collect = (c: T): void => {
    kids.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    const at = nodes.length;
    const parent = stackParents.pop()!;
    const part = parent >= 0 ? partOf?.(n) : undefined;
    if (part) {
      known.push([at, part]);
      for (let i = 0; i < part.nodes.length; i++) {
        nodes.push(part.nodes[i]);
        parents.push(i === 0 ? parent : -2);
      }
      continue;
    }
    nodes.push(n);
    parents.push(parent);
    forEachChild(n, collect);
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push(kids[i]);
      stackParents.push(at);
    }
    kids.length = 0;
  }
  // Subtree sizes, children before parents (reverse source order), then ends.
  const ends = new Int32Array(nodes.length);
  for (const [at, part] of known) ends[at] = part.nodes.length - 1;
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (parents[i] === -2) continue;
    ends[i] += 1;
    if (parents[i] >= 0) ends[parents[i]] += ends[i];
  }
  for (let i = 0; i < ends.length; i++) ends[i] += i;
  for (const [at, part] of known) for (let i = 0; i < part.ends.length; i++) ends[at + i] = at + part.ends[i];
  return { nodes, ends, selections: new Map() };
}

/** Visits the nodes in order; `enter` returns false to skip a node's subtree. */
export function walkPreorder<T>(index: Preorder<T>, enter: (n: T) => boolean | void): void {
  const { nodes, ends } = index;
  for (let i = 0; i < nodes.length; ) i = enter(nodes[i]) === false ? ends[i] : i + 1;
}

/** The nodes that pass `test`, in source order, made once per `key` (a node kind or type). */
export function select<T>(index: Preorder<T>, key: string | number, test: (n: T) => boolean): readonly T[] {
  let list = index.selections.get(key);
  if (!list) index.selections.set(key, (list = index.nodes.filter(test)));
  return list;
}

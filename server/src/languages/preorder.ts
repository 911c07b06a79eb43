/**
 * A syntax tree's nodes in source order (depth-first, as the tree's own child iteration visits
 * them), with, for each, the position just past its subtree: built in one pass without recursion
 * (deeply nested input must not overflow the stack), then walked as an array by every fact builder
 * instead of each walking the tree again. Shared by the TypeScript and Python adapters.
 */
export interface Preorder<T> {
  /** Nodes in order; null in the slot of a part (`parts`), a whole subtree indexed apart. */
  nodes: Array<T | null>;
  /** `ends[i]`: the slot just past node i's subtree (a part counts as one slot). */
  ends: Int32Array;
  /** The parts `partOf` gave, by slot: kept statements whose index is not copied, only referred to. */
  parts: Map<number, Preorder<T>>;
  /** The lists `select` made, by key. */
  selections: Map<string | number, T[]>;
}

/**
 * `partOf` may give, for a node under the root, the index of its subtree made before (an adapter
 * keeps those for the statements an incremental re-parse re-uses): it takes one slot, so a re-index
 * after an edit costs the statements, not the nodes, of the parts it keeps.
 */
export function preorder<T>(root: T, forEachChild: (node: T, visit: (child: T) => void) => void, partOf?: (node: T) => Preorder<T> | undefined): Preorder<T> {
  const nodes: Array<T | null> = [];
  const parts = new Map<number, Preorder<T>>();
  // Parent of each slot by index (-1: the root); the stack holds a node and its parent's index.
  // No allocation per node: this runs over every node of every file.
  const parents: number[] = [];
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
    parents.push(parent);
    const part = parent >= 0 ? partOf?.(n) : undefined;
    if (part) {
      nodes.push(null);
      parts.set(at, part);
      continue;
    }
    nodes.push(n);
    forEachChild(n, collect);
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push(kids[i]);
      stackParents.push(at);
    }
    kids.length = 0;
  }
  // Subtree sizes in slots, children before parents (reverse order), then ends.
  const ends = new Int32Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    ends[i] += 1;
    if (parents[i] >= 0) ends[parents[i]] += ends[i];
  }
  for (let i = 0; i < ends.length; i++) ends[i] += i;
  return { nodes, ends, parts, selections: new Map() };
}

/** Visits the nodes in order; `enter` returns false to skip a node's subtree. */
export function walkPreorder<T>(index: Preorder<T>, enter: (n: T) => boolean | void): void {
  const { nodes, ends, parts } = index;
  for (let i = 0; i < nodes.length; ) {
    const n = nodes[i];
    if (n === null) {
      walkPreorder(parts.get(i)!, enter);
      i++;
    } else i = enter(n) === false ? ends[i] : i + 1;
  }
}

/**
 * The nodes that pass `test`, in source order, made once per `key` (a node kind or type, which
 * decides the test). A part answers from its own list, kept with it: after an edit, only the nodes
 * outside kept parts are tested again.
 */
export function select<T>(index: Preorder<T>, key: string | number, test: (n: T) => boolean): readonly T[] {
  let list = index.selections.get(key);
  if (list) return list;
  list = [];
  const { nodes, parts } = index;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n === null) for (const m of select(parts.get(i)!, key, test)) list.push(m);
    else if (test(n)) list.push(n);
  }
  index.selections.set(key, list);
  return list;
}

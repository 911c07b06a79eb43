/**
 * A syntax tree's nodes in source order (depth-first, as the tree's own child iteration visits
 * them), with, for each, the position just past its subtree: built in one pass without recursion
 * (deeply nested input must not overflow the stack), then walked as an array by every fact builder
 * instead of each walking the tree again. Shared by the TypeScript and Python adapters.
 */
export interface Preorder<T, K = unknown> {
  /** Nodes in order; null in the slot of a part (`parts`), a whole subtree indexed apart. */
  nodes: Array<T | null>;
  /** `ends[i]`: the slot just past node i's subtree (a part counts as one slot). */
  ends: Int32Array;
  /** The parts `partOf` gave, by slot: kept statements whose index is not copied, only referred to. */
  parts: Map<number, Preorder<T, K>>;
  /** The slots of the nodes of each key (a node kind or type), ascending: filled by the one walk. */
  buckets: Map<K, number[]>;
  /** The lists `select` made, by the keys asked for. */
  selections: Map<string, T[]>;
}

/**
 * `partOf` may give, for a node under the root, the index of its subtree made before (an adapter
 * keeps those for the statements an incremental re-parse re-uses): it takes one slot, so a re-index
 * after an edit costs the statements, not the nodes, of the parts it keeps.
 */
export function preorder<T, K>(
  root: T,
  forEachChild: (node: T, visit: (child: T) => void) => void,
  keyOf: (node: T) => K,
  partOf?: (node: T) => Preorder<T, K> | undefined,
): Preorder<T, K> {
  const nodes: Array<T | null> = [];
  const parts = new Map<number, Preorder<T, K>>();
  // Buckets of numeric keys (TypeScript's SyntaxKind) in an array, of other keys in a map; the
  // array's become the map's at the end (a lookup per node was a good share of the walk).
  const byNumber: number[][] = [];
  const buckets = new Map<K, number[]>();
  // Parent of each slot by index (-1: the root); the stack holds a node and its parent's index.
  // No allocation per node: this runs over every node of every file.
  const parents: number[] = [];
  const stack: T[] = [root];
  const stackParents: number[] = [-1];
  const kids: T[] = [];
  let count = 0;
  const collect = (c: T): void => {
    kids[count++] = c;
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
    const key = keyOf(n);
    const bucket = typeof key === 'number' ? byNumber[key] : buckets.get(key);
    if (bucket) bucket.push(at);
    else if (typeof key === 'number') byNumber[key] = [at];
    else buckets.set(key, [at]);
    count = 0;
    forEachChild(n, collect);
    for (let i = count - 1; i >= 0; i--) {
      stack.push(kids[i]);
      stackParents.push(at);
    }
  }
  for (let k = 0; k < byNumber.length; k++) if (byNumber[k]) buckets.set(k as K, byNumber[k]);
  // Subtree sizes in slots, children before parents (reverse order), then ends.
  const ends = new Int32Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    ends[i] += 1;
    if (parents[i] >= 0) ends[parents[i]] += ends[i];
  }
  for (let i = 0; i < ends.length; i++) ends[i] += i;
  return { nodes, ends, parts, buckets, selections: new Map() };
}

/** Visits the nodes in order; `enter` returns false to skip a node's subtree. */
export function walkPreorder<T, K>(index: Preorder<T, K>, enter: (n: T) => boolean | void): void {
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
 * The nodes of the given keys (node kinds or types), in source order, made once per set of keys
 * from the buckets the walk filled (one pass over the tree, whatever the number of sets asked
 * for). A part answers from its own list, kept with it: after an edit, only the nodes outside kept
 * parts are looked at again.
 */
export function select<T, K>(index: Preorder<T, K>, keys: readonly K[]): readonly T[] {
  return selectAs(index, keys, keys.length === 1 ? String(keys[0]) : keys.join(','));
}

/** select(), with the id of the keys made once for all the parts. */
function selectAs<T, K>(index: Preorder<T, K>, keys: readonly K[], id: string): readonly T[] {
  let list = index.selections.get(id);
  if (list) return list;
  const { nodes, parts, buckets } = index;
  const lists: number[][] = [];
  for (const k of keys) {
    const b = buckets.get(k);
    if (b) lists.push(b);
  }
  // A Map keeps insertion order: the parts' slots, ascending.
  if (parts.size > 0) lists.push([...parts.keys()]);
  let slots: ArrayLike<number>;
  if (lists.length === 0) slots = [];
  else if (lists.length === 1) slots = lists[0];
  else {
    const all = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
    let at = 0;
    for (const l of lists) for (let i = 0; i < l.length; i++) all[at++] = l[i];
    slots = all.sort();
  }
  if (parts.size === 0) {
    list = new Array<T>(slots.length);
    for (let i = 0; i < slots.length; i++) list[i] = nodes[slots[i]]!;
    index.selections.set(id, list);
    return list;
  }
  // The parts' lists first, to size the result: after an edit, a module's list is mostly theirs.
  let size = 0;
  const partLists: Array<readonly T[] | undefined> = new Array(slots.length);
  for (let i = 0; i < slots.length; i++) {
    if (nodes[slots[i]] !== null) size++;
    else size += (partLists[i] = selectAs(parts.get(slots[i])!, keys, id)).length;
  }
  list = new Array<T>(size);
  let at = 0;
  for (let i = 0; i < slots.length; i++) {
    const part = partLists[i];
    if (part === undefined) list[at++] = nodes[slots[i]]!;
    else for (let j = 0; j < part.length; j++) list[at++] = part[j];
  }
  index.selections.set(id, list);
  return list;
}

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
  /** The slots of the nodes of each key (a node kind or type), ascending: views of one array. */
  buckets: Map<K, Int32Array>;
  /** The lists `select` made, by the keys asked for. */
  selections: Map<string, T[]>;
  /**
   * The slots `visitKept` walks, by visit id: an index does not change once made, and a kept part
   * (a class the edit did not touch) is walked again at each analysis, by each visit.
   */
  slots?: Map<string, ArrayLike<number>>;
  /** What `visitKept` kept of this subtree, by the visit's id: for the next analysis after an edit, when this index is a kept part. */
  kept?: Map<string, Kept<T>>;
  /** What an adapter knows of the subtree's root for its visits (Python: what kind of statement it is), made once. */
  kind?: number;
  /** The context an adapter made for this part from an outer one, the last time (Python: a class's, with its header): for the next visit in the same outer context. */
  innerContext?: { outer: string; inner: string };
}

/** The nodes a visit found something at, and the context the visit was made in. */
export interface Kept<T> {
  context: string;
  nodes: T[];
}

/**
 * `partOf` may give, for a node under the root, the index of its subtree made before (an adapter
 * keeps those for the statements an incremental re-parse re-uses): it takes one slot, so a re-index
 * after an edit costs the statements, not the nodes, of the parts it keeps.
 *
 * `sizeHint`: about how many nodes the walk will meet (TypeScript's node count, tree-sitter's
 * descendant count). This runs over every node of every file, so it allocates nothing per node:
 * the per-slot arrays are made once at that size (grown by doubling past it), and the buckets are
 * one counting sort of the slots by key at the end instead of an array per key grown a push at a
 * time (the walk was a quarter of a workspace scan's allocations, most of it arrays outgrown).
 */
export function preorder<T, K>(
  root: T,
  forEachChild: (node: T, visit: (child: T) => void) => void,
  keyOf: (node: T) => K,
  partOf?: (node: T) => Preorder<T, K> | undefined,
  sizeHint = 64,
): Preorder<T, K> {
  let capacity = Number.isFinite(sizeHint) ? Math.max(16, Math.ceil(sizeHint) + 1) : 64;
  let nodes: Array<T | null> = new Array<T | null>(capacity);
  // Parent of each slot (-1: the root) and its key's id; numeric keys (TypeScript's SyntaxKind)
  // are their own ids, others get one on first sight.
  let parents: Int32Array = new Int32Array(capacity);
  let ids: Int32Array = new Int32Array(capacity);
  const idOf = new Map<K, number>();
  const keyOfId: K[] = [];
  // A tree's keys are all numbers (TypeScript's kinds) or all not (tree-sitter's type names).
  const numeric = typeof keyOf(root) === 'number';
  const parts = new Map<number, Preorder<T, K>>();
  const stack: T[] = [root];
  const stackParents: number[] = [-1];
  const kids: T[] = [];
  let count = 0;
  let size = 0;
  const collect = (c: T): void => {
    kids[count++] = c;
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    const parent = stackParents.pop()!;
    if (size === capacity) {
      capacity *= 2;
      nodes.length = capacity;
      parents = grown(parents, capacity);
      ids = grown(ids, capacity);
    }
    const at = size++;
    parents[at] = parent;
    const part = parent >= 0 ? partOf?.(n) : undefined;
    if (part) {
      nodes[at] = null;
      ids[at] = -1;
      parts.set(at, part);
      continue;
    }
    nodes[at] = n;
    const key = keyOf(n);
    if (numeric) ids[at] = key as number;
    else {
      let id = idOf.get(key);
      if (id === undefined) {
        idOf.set(key, (id = keyOfId.length));
        keyOfId.push(key);
      }
      ids[at] = id;
    }
    count = 0;
    forEachChild(n, collect);
    for (let i = count - 1; i >= 0; i--) {
      stack.push(kids[i]);
      stackParents.push(at);
    }
  }
  nodes.length = size;
  const buckets = bucketsOf(ids, size, numeric ? undefined : keyOfId);
  // Subtree sizes in slots, children before parents (reverse order), then ends.
  const ends = new Int32Array(size);
  for (let i = size - 1; i >= 0; i--) {
    ends[i] += 1;
    if (parents[i] >= 0) ends[parents[i]] += ends[i];
  }
  for (let i = 0; i < size; i++) ends[i] += i;
  return { nodes, ends, parts, buckets, selections: new Map(), slots: undefined, kept: undefined, kind: undefined, innerContext: undefined };
}

function grown(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** The slots of each key id (-1: a part, in no bucket), ascending, as views of one array sorted by id. */
function bucketsOf<K>(ids: Int32Array, size: number, keyOfId: K[] | undefined): Map<K, Int32Array> {
  let maxId = -1;
  for (let i = 0; i < size; i++) if (ids[i] > maxId) maxId = ids[i];
  const starts = new Int32Array(maxId + 2);
  for (let i = 0; i < size; i++) if (ids[i] >= 0) starts[ids[i] + 1]++;
  for (let k = 0; k <= maxId; k++) starts[k + 1] += starts[k];
  const slots = new Int32Array(starts[maxId + 1]);
  const fill = starts.slice(0, maxId + 1);
  for (let i = 0; i < size; i++) if (ids[i] >= 0) slots[fill[ids[i]]++] = i;
  const buckets = new Map<K, Int32Array>();
  for (let k = 0; k <= maxId; k++) {
    if (starts[k + 1] > starts[k]) buckets.set((keyOfId ? keyOfId[k] : k) as K, slots.subarray(starts[k], starts[k + 1]));
  }
  return buckets;
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
  const { nodes, parts } = index;
  const slots = slotsOf(index, keys);
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

/** The slots of the nodes of the keys and of the parts, ascending. */
function slotsOf<T, K>(index: Preorder<T, K>, keys: readonly K[]): ArrayLike<number> {
  const { parts, buckets } = index;
  const lists: Array<ArrayLike<number>> = [];
  for (const k of keys) {
    const b = buckets.get(k);
    if (b) lists.push(b);
  }
  // A Map keeps insertion order: the parts' slots, ascending.
  if (parts.size > 0) lists.push([...parts.keys()]);
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0];
  const all = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) all[at++] = l[i];
  return all.sort();
}

/**
 * Visits the nodes of the given keys in select()'s order, keeping with each part the nodes `visit`
 * returned true for (a fact found there) and the context `contextOf` gave the part (from the
 * context of the index it is a part of). A part whose kept nodes were found in the same context is
 * not looked at again: only those nodes are visited. After an edit, that is every kept statement
 * but the edited one, so a fact builder whose answer for a node depends only on the node's
 * statement and on what the context says of the rest of the file costs the edited statement and
 * the facts found, not the file. `contextOf` gives undefined for a part whose nodes depend on
 * more than a context says: it is visited whole each time, and so are its parts. A part that
 * `keeps` says no of is visited whole too, but its parts may be kept (a class, whose methods
 * are). `index` itself is kept only with `keep`: a root is new at each analysis.
 */
export function visitKept<T, K>(
  index: Preorder<T, K>,
  keys: readonly K[],
  id: string,
  contextOf: (part: Preorder<T, K>, outer: string | undefined) => string | undefined,
  keeps: (part: Preorder<T, K>) => boolean,
  visit: (n: T) => boolean,
  context: string | undefined,
  keep = false,
  found: T[] = [],
): T[] {
  if (keep) {
    const kept = index.kept?.get(id);
    if (kept && kept.context === context) {
      for (const n of kept.nodes) if (visit(n)) found.push(n);
      return found;
    }
  }
  const from = found.length;
  const { nodes, parts } = index;
  let slots = index.slots?.get(id);
  if (slots === undefined) (index.slots ??= new Map()).set(id, (slots = slotsOf(index, keys)));
  for (let i = 0; i < slots.length; i++) {
    const n = nodes[slots[i]];
    if (n === null) {
      const part = parts.get(slots[i])!;
      const inner = contextOf(part, context);
      const keepPart = inner !== undefined && keeps(part);
      // The common case after an edit, without a call: a part kept in the same context.
      const kept = keepPart ? part.kept?.get(id) : undefined;
      if (kept !== undefined && kept.context === inner) {
        for (const k of kept.nodes) if (visit(k)) found.push(k);
      } else visitKept(part, keys, id, contextOf, keeps, visit, inner, keepPart, found);
    } else if (visit(n)) found.push(n);
  }
  if (keep && context !== undefined) (index.kept ??= new Map()).set(id, { context, nodes: found.slice(from) });
  return found;
}

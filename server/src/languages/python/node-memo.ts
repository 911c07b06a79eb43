/**
 * Node properties of web-tree-sitter read once per node instead of once per read.
 *
 * Each getter of a web-tree-sitter Node (`type`, `endIndex`, `parent`, a field) writes the node
 * into WASM memory and calls into the parser, and the fact builders walk the same tree several
 * times, reading `type` of every node on each walk: a large share of a Python workspace scan went
 * to these crossings. A parsed tree never changes (an incremental re-parse makes a new tree and
 * the adapter deletes the old one), so the answers can be kept on the node object. Named children
 * come from one array per node, and a child's parent is the node it was reached from, so the same
 * object, with what was read of it, comes back on every walk.
 */
import { Node } from 'web-tree-sitter';

/**
 * What is kept, as own properties of the node (one hidden class for all nodes: see ready()). The
 * children arrays are web-tree-sitter's own (`_children`, `_namedChildren`, which it fills on the
 * first read); flags read rarely (`isNamed`, `isError`…) are not kept. Each property is a slot in
 * every node object of a workspace scan: the nodes of the file being analysed are what survives
 * V8's young-generation collections, and copying them was a third of a Python scan.
 */
export interface Memo {
  plType?: string;
  plEndIndex?: number;
  plText?: string;
  plParent?: Node | null;
  /** Fields read so far, as pairs: field id, child (a Map per node cost more than the lookups). */
  plFields?: Array<number | Node | null>;
  /** The last move of the node into a re-parsed tree (see reuse.ts); 0 once the memo is made. */
  plMoved?: number;
  /** web-tree-sitter's caches of the children arrays. */
  _children?: Array<Node | null>;
  _namedChildren?: Array<Node | null>;
}

type Memoized = Node & Memo;

/**
 * The node with all of Memo's properties, made at once in one order the first time anything is
 * kept of it. Made one at a time in the order the fact builders happen to read them, they gave
 * the nodes of one file a dozen hidden classes: every read of them in the builders went through
 * V8's megamorphic lookups, and the properties' backing store grew a few slots at a time.
 */
function ready(n: Memoized): Memoized {
  if (n.plMoved === undefined) {
    n.plMoved = 0;
    n.plType = undefined;
    n.plEndIndex = undefined;
    n.plText = undefined;
    n.plParent = undefined;
    n.plFields = undefined;
  }
  return n;
}

export function memoOf(n: Node): Memo {
  return ready(n as Memoized);
}

let installed = false;

export function installNodeMemo(): void {
  if (installed) return;
  installed = true;
  const proto = Node.prototype as Memoized;
  const original = <T>(name: string): ((this: Node) => T) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d?.get) throw new Error(`web-tree-sitter: Node.${name} is not a getter`);
    return d.get as (this: Node) => T;
  };
  const define = (name: string, get: (this: Memoized) => unknown): void => {
    Object.defineProperty(proto, name, { configurable: true, enumerable: false, get });
  };
  const typeId = original<number>('typeId');
  define('type', function () {
    return (ready(this).plType ??= this.tree.language.types[typeId.call(this)] || 'ERROR');
  });
  const endIndex = original<number>('endIndex');
  define('endIndex', function () {
    return (ready(this).plEndIndex ??= endIndex.call(this));
  });
  const text = original<string>('text');
  define('text', function () {
    return (ready(this).plText ??= text.call(this));
  });
  const parent = original<Node | null>('parent');
  define('parent', function () {
    const m = ready(this);
    return m.plParent !== undefined ? m.plParent : (m.plParent = parent.call(this));
  });
  const link = (owner: Node, kids: Array<Node | null>): Array<Node | null> => {
    for (const k of kids) if (k) ready(k as Memoized).plParent = owner;
    return kids;
  };
  // web-tree-sitter keeps each array on the node; the children learn their parent when it is made.
  const children = original<Array<Node | null>>('children');
  define('children', function () {
    return this._children ?? link(this, children.call(this));
  });
  const namedChildren = original<Array<Node | null>>('namedChildren');
  define('namedChildren', function () {
    return this._namedChildren ?? link(this, namedChildren.call(this));
  });
  // web-tree-sitter looks a field's name up with indexOf over the grammar's field names on each call.
  // The ids of the last language asked for (there is one): a WeakMap lookup per call cost more.
  let lastLanguage: object | undefined;
  let lastIds = new Map<string, number>();
  proto.childForFieldName = function (this: Memoized, name: string): Node | null {
    const language = this.tree.language;
    if (language !== lastLanguage) {
      lastIds = new Map(language.fields.map((f, i) => [f ?? '', i]));
      lastLanguage = language;
    }
    const id = lastIds.get(name);
    return id === undefined || id === 0 ? null : this.childForFieldId(id);
  };
  const childForFieldId = proto.childForFieldId;
  proto.childForFieldId = function (this: Memoized, fieldId: number): Node | null {
    const fields = ready(this).plFields;
    if (fields) for (let i = 0; i < fields.length; i += 2) if (fields[i] === fieldId) return fields[i + 1] as Node | null;
    const child = childForFieldId.call(this, fieldId);
    // The object of the walks when it is a named child, so that what was read of it is kept.
    const found = child ? (this.namedChildren.find((k) => k?.id === child.id && k.startIndex === child.startIndex) ?? child) : null;
    if (found === child && child) ready(child as Memoized).plParent = this;
    // Arrays of their exact size: a push would give each node's array room for 16 more.
    this.plFields = fields ? [...fields, fieldId, found] : [fieldId, found];
    return found;
  };
}

import ts from 'typescript';
import { preorder, select, walkPreorder, type Preorder } from '../preorder';

/**
 * A file's nodes in source order (depth-first, as `ts.forEachChild` visits them), with, for each,
 * the position just past its subtree. The fact builders walk the whole file a dozen times; the
 * first walk builds this and the others read an array instead of calling `forEachChild` on every
 * node again. The index is kept beside the tree and dropped with it; an edit makes a new
 * SourceFile (re-using and moving the old one's nodes), which gets an index of its own.
 */
type Index = Preorder<ts.Node, ts.SyntaxKind>;

/**
 * Kept as properties of the tree's own objects, not in WeakMaps. With the index in a WeakMap keyed
 * by its SourceFile, each file's tree (which the index lists whole) survived V8's young-generation
 * collections after the file was done, and was copied and promoted with the files after it, until
 * a full collection: parsing and indexing the ORM corpus took 3.0 s with a WeakMap (1.4 s of it in
 * scavenges), 1.6 s with a property (0.14 s).
 */
interface Indexed {
  /** The index of a SourceFile, or of a top-level statement of an edited one. */
  plIndex?: Index;
  /** An open document's version (keepStatementIndexes). */
  plEdited?: boolean;
}

/**
 * Also sets each child's parent: a tree from parseFile comes without them (the one walk made
 * anyway sets them, instead of TypeScript's own pass); an incremental re-parse has them already.
 * `visit` returns nothing, so forEachChild never stops early.
 */
const eachChild = (n: ts.Node, visit: (c: ts.Node) => void): void => {
  // The node and the visitor in module state, not in a closure made per node (a closure for each
  // node of a workspace was the largest allocation of a scan); saved and restored, so that a
  // visitor may walk another node's children.
  const outerParent = childParent;
  const outerVisit = childVisit;
  childParent = n;
  childVisit = visit;
  try {
    ts.forEachChild(n, visitChild);
  } finally {
    childParent = outerParent;
    childVisit = outerVisit;
  }
};
let childParent: ts.Node | undefined;
let childVisit: ((c: ts.Node) => void) | undefined;
const visitChild = (c: ts.Node): undefined => {
  (c as { parent: ts.Node }).parent = childParent!;
  childVisit!(c);
  return undefined;
};

/**
 * Parses a whole file. Without TypeScript's parent pass (setParentNodes was ~40% of the parse,
 * measured on the ORM corpus): the index walk, made right away, sets the parents. JSDoc is never
 * read by a rule, so it is not parsed.
 */
export function parseFile(path: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  const sf = ts.createSourceFile(path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  indexOf(sf);
  return sf;
}

/**
 * The index of each top-level statement, kept as long as the statement: an incremental re-parse
 * re-uses the statements the edit did not touch, whole, so typing re-indexes one statement instead
 * of the file.
 */
const kindOf = (n: ts.Node): ts.SyntaxKind => n.kind;

/**
 * The SourceFile of an edit: its index is made of (and keeps) one index per top-level statement, so
 * that the next edit re-indexes only what it touched. A file parsed once (a workspace scan) gets one
 * index, without the cost of the parts.
 */
export function keepStatementIndexes(sf: ts.SourceFile): void {
  (sf as ts.SourceFile & Indexed).plEdited = true;
}

function buildIndex(sf: ts.SourceFile & Indexed): Index {
  // The parser's count of the nodes it made: about the number the walk meets.
  const nodeCount = (sf as ts.SourceFile & { nodeCount?: number }).nodeCount ?? sf.text.length / 8;
  if (!sf.plEdited) return preorder(sf, eachChild, kindOf, undefined, nodeCount);
  return preorder(
    sf,
    eachChild,
    kindOf,
    (n: ts.Node & Indexed) => {
      if (n.parent !== sf) return undefined;
      return (n.plIndex ??= preorder(n, eachChild, kindOf, undefined, (n.end - n.pos) / 8));
    },
    sf.statements.length * 2,
  );
}

function indexOf(sf: ts.SourceFile & Indexed): Index {
  return (sf.plIndex ??= buildIndex(sf));
}

/**
 * The file's nodes of the given kinds, in source order: for fact builders that look at a few kinds
 * of node (calls, declarations), which then visit those instead of every node of the file.
 */
export function nodesOfKind<T extends ts.Node = ts.Node>(sf: ts.SourceFile, ...wanted: ts.SyntaxKind[]): readonly T[] {
  return select(indexOf(sf), wanted) as readonly T[];
}

/**
 * Visits `node` and its descendants depth-first (source order) without recursion: deeply nested
 * input (thousands of brackets) must not overflow the stack. `enter` returns false to skip a subtree.
 * A whole file is visited from its index.
 */
export function walk(node: ts.Node, enter: (n: ts.Node) => boolean | void): void {
  if (ts.isSourceFile(node)) {
    walkPreorder(indexOf(node), enter);
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

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

const indexes = new WeakMap<ts.SourceFile, Index>();

/**
 * Also sets each child's parent: a tree from parseFile comes without them (the one walk made
 * anyway sets them, instead of TypeScript's own pass); an incremental re-parse has them already.
 * `visit` returns nothing, so forEachChild never stops early.
 */
const eachChild = (n: ts.Node, visit: (c: ts.Node) => void): void => {
  ts.forEachChild(n, (c) => {
    (c as { parent: ts.Node }).parent = n;
    visit(c);
  });
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
const statementIndexes = new WeakMap<ts.Node, Index>();

const kindOf = (n: ts.Node): ts.SyntaxKind => n.kind;

/** Versions of an open document (incremental re-parses): only those are worth indexing per statement. */
const edited = new WeakSet<ts.SourceFile>();

/**
 * The SourceFile of an edit: its index is made of (and keeps) one index per top-level statement, so
 * that the next edit re-indexes only what it touched. A file parsed once (a workspace scan) gets one
 * index, without the cost of the parts.
 */
export function keepStatementIndexes(sf: ts.SourceFile): void {
  edited.add(sf);
}

function buildIndex(sf: ts.SourceFile): Index {
  if (!edited.has(sf)) return preorder(sf, eachChild, kindOf);
  return preorder(sf, eachChild, kindOf, (n) => {
    if (n.parent !== sf) return undefined;
    let part = statementIndexes.get(n);
    if (!part) statementIndexes.set(n, (part = preorder(n, eachChild, kindOf)));
    return part;
  });
}

function indexOf(sf: ts.SourceFile): Index {
  let index = indexes.get(sf);
  if (!index) indexes.set(sf, (index = buildIndex(sf)));
  return index;
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

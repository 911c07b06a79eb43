/** Small helpers over tree-sitter nodes, shared by the Python fact builders. */
import type { Node } from 'web-tree-sitter';
import { preorder, select, visitKept, walkPreorder, type Preorder } from '../preorder';

export type { Node };

export function field(n: Node, name: string): Node | null {
  return n.childForFieldName(name);
}

/** An assignment written as a statement of a block or module (`x = …`, `x: T = …`), with its sides. */
export interface AssignmentStatement {
  assign: Node;
  left: Node | null;
  right: Node | null;
}

/** The statements of a block (a class body, a module) that are assignments, in order: how models, settings and stores are declared. */
export function assignmentStatements(block: Node | null | undefined): AssignmentStatement[] {
  const out: AssignmentStatement[] = [];
  for (const st of block?.namedChildren ?? []) {
    const assign = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (assign?.type === 'assignment') out.push({ assign, left: field(assign, 'left'), right: field(assign, 'right') });
  }
  return out;
}

/** The text of a plain string literal (no f-string fields), else undefined. */
export function stringValue(n: Node | undefined | null): string | undefined {
  if (!n || n.type !== 'string' || n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

/** `a.b.c(…)` → 'c'; `f(…)` → 'f'. */
export function calleeName(call: Node): string | undefined {
  const f = field(call, 'function');
  if (!f) return undefined;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'attribute') return field(f, 'attribute')?.text;
  return undefined;
}

export function args(call: Node): Node[] {
  const list = field(call, 'arguments');
  return list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

export function keywordArg(call: Node, name: string): Node | undefined {
  for (const a of args(call)) if (a.type === 'keyword_argument' && field(a, 'name')?.text === name) return field(a, 'value') ?? undefined;
  return undefined;
}

/** The calls of a method chain from the innermost out: `Post.objects.filter().order_by()`. */
export function chainCalls(n: Node): Node[] {
  const calls: Node[] = [];
  let cur: Node | null = n;
  while (cur) {
    if (cur.type === 'call') {
      calls.unshift(cur);
      const f = field(cur, 'function');
      cur = f?.type === 'attribute' ? field(f, 'object') : null;
    } else if (cur.type === 'attribute') cur = field(cur, 'object');
    else if (cur.type === 'subscript') cur = field(cur, 'value');
    else if (cur.type === 'parenthesized_expression') cur = cur.namedChildren[0] ?? null;
    else break;
  }
  return calls;
}

/** The module-level function `n` is in, if it is in one (a method or a nested function is not). */
export function moduleFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      const up = p.parent?.type === 'decorated_definition' ? p.parent.parent : p.parent;
      return up?.type === 'module' ? p : undefined;
    }
  }
  return undefined;
}

export function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

/** The class whose body defines `fn` (decorated or not), if any. */
export function enclosingClass(fn: Node): Node | undefined {
  const p = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition' ? p.parent : undefined;
}

/** Whether `fn` (a function or class, decorated or not) is a statement of the module itself. */
export function isModuleLevel(fn: Node): boolean {
  const p = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return p?.type === 'module';
}

export function decoratorsOf(fn: Node): Node[] {
  const parent = fn.parent;
  return parent?.type === 'decorated_definition' ? parent.namedChildren.filter((c): c is Node => !!c && c.type === 'decorator') : [];
}

/**
 * A tree's named nodes in source order, with the position just past each one's subtree: the fact
 * builders walk the whole module a dozen times, and each walk of the tree itself crosses into WASM
 * for every node. Built on the first whole-module walk and kept beside the root node (a parsed tree
 * never changes; an incremental re-parse makes a new root). The index of each statement of the
 * module or of a class body is kept beside the statement too: typing re-uses the statements it did
 * not touch (reuse.ts), other methods of the class included, and their indexes with them.
 */
type Indexed = Node & {
  /** The index of a root, or of a statement of an edited root (not in a WeakMap: see typescript/walk.ts). */
  plIndex?: Preorder<Node, string>;
  /** A root of an incremental re-parse (keepStatementIndexes). */
  plEdited?: boolean;
};

const typeOf = (n: Node): string => n.type;

const eachNamedChild = (n: Node, visit: (child: Node) => void): void => {
  for (const k of n.namedChildren) if (k) visit(k);
};

/** About how many named nodes a subtree has: tree-sitter counts the anonymous ones (punctuation, keywords) too. */
function namedNodesHint(n: Node): number {
  return n.descendantCount * 0.9;
}

/**
 * The same for a statement of an edited module. A class's statements are parts of its index, one
 * slot each, so its own index is small: sized from the whole class, each edit inside a class of a
 * few thousand lines would allocate arrays for all of its nodes.
 */
function statementHint(n: Node): number {
  const definition = n.type === 'decorated_definition' ? n.childForFieldName('definition') : n;
  return definition?.type === 'class_definition' ? 64 : namedNodesHint(n);
}

function statementIndex(n: Indexed): Preorder<Node, string> | undefined {
  if (!isStatementOfModuleOrClass(n)) return undefined;
  return (n.plIndex ??= preorder<Node, string>(n, eachNamedChild, typeOf, statementIndex, statementHint(n)));
}

/**
 * The root of a re-parse: its index is made of (and keeps) one index per statement. A file parsed
 * once (a workspace scan) gets one index, without the cost of the parts.
 */
export function keepStatementIndexes(root: Node): void {
  (root as Indexed).plEdited = true;
}

function indexOf(root: Indexed): Preorder<Node, string> {
  return (root.plIndex ??= preorder<Node, string>(root, eachNamedChild, typeOf, root.plEdited ? statementIndex : undefined, root.plEdited ? 64 : namedNodesHint(root)));
}

/**
 * The named nodes of one type under `node`, in source order. For a whole module they come from its
 * index: the same node objects as the walks', with what was read of them.
 */
export function nodesOfType(node: Node, type: string): readonly Node[] {
  if (node.type !== 'module') return node.descendantsOfType(type).filter((c): c is Node => !!c);
  return select(indexOf(node), [type]);
}

/**
 * The named nodes of any of these types under `node`, in the order a walk visits them: for a fact
 * builder that looks at a few types, which then visits those instead of every node. After an edit,
 * a module's kept statements answer from their own lists.
 */
export function nodesOfTypes(node: Node, types: readonly string[]): readonly Node[] {
  if (node.type !== 'module') {
    const wanted = new Set(types);
    const out: Node[] = [];
    walk(node, (n) => {
      if (wanted.has(n.type)) out.push(n);
    });
    return out;
  }
  return select(indexOf(node), types);
}

/**
 * How a visit's answer for a node depends on the rest of the file (visitNodesOfTypes): on the
 * node's statement alone, or on the node's function (a value followed to its assignment in it).
 * Either way, on `context` (what the visit reads of the module: its names, its imports) and on
 * the headers of the classes around the node (a method is a GraphQL resolver by its class's bases).
 */
export type Dependence = 'statement' | 'function';

/**
 * Visits the named nodes of these types under `node` in nodesOfTypes()'s order; `visit` says
 * whether it found something at the node. After an edit, a statement the edit did not touch is
 * not looked at again when its context is what it was at the last visit with this `id` (the
 * context given, and the headers of the classes it is in): only the nodes something was found at
 * are visited. With `function` dependence, only functions are kept so; other statements (module
 * code, class attributes) are visited whole every time.
 */
export function visitNodesOfTypes(node: Node, types: readonly string[], id: string, dependence: Dependence, context: string, visit: (n: Node) => boolean): readonly Node[] {
  if (node.type !== 'module') return nodesOfTypes(node, types).filter(visit);
  // A context is a new string at each analysis, compared with the one kept for each statement: it
  // is compared once with the file's last one, and the statements get a short tag for it (with the
  // headers of their classes), the same while it does not change.
  context = contextTag(node.tree, id, context);
  const contextOf = (part: Preorder<Node, string>, outer: string | undefined): string | undefined => {
    if (outer === undefined) return undefined;
    const kind = (part.kind ??= statementKind(part.nodes[0]!));
    if (!(kind & (CLASS | IN_OTHER_CLASS))) return outer;
    // A kept part's class header is what it was: its context is made once per outer context.
    if (part.innerContext?.outer === outer) return part.innerContext.inner;
    let header: string;
    if (kind & CLASS) {
      const st = part.nodes[0]!;
      header = classHeader(st, st.type === 'decorated_definition' ? st.childForFieldName('definition')! : st);
    } else {
      // A statement of a class that is not a part itself (a class in an `if`): its header is not in `outer`.
      const cls = part.nodes[0]!.parent!.parent!;
      header = classHeader(cls.parent?.type === 'decorated_definition' ? cls.parent : cls, cls);
    }
    part.innerContext = { outer, inner: `${outer}\n${header}` };
    return part.innerContext.inner;
  };
  // With function dependence, a class is visited whole (its attributes), its methods are kept.
  const keeps = (part: Preorder<Node, string>): boolean => dependence === 'statement' || ((part.kind ??= statementKind(part.nodes[0]!)) & FUNCTION) !== 0;
  return visitKept(indexOf(node), types, id, contextOf, keeps, visit, context);
}

/** A statement of the module or of a class body: one with an index of its own after an edit (statementIndex). */
function isStatementOfModuleOrClass(n: Node): boolean {
  const parent = n.parent;
  return parent?.type === 'module' || (parent?.type === 'block' && parent.parent?.type === 'class_definition');
}

/** Statement kinds (flags), for visitNodesOfTypes; a statement's kind does not change while its node is kept. */
const FUNCTION = 1;
const CLASS = 2;
/** A statement of a class that has no index of its own (a class in an `if`). */
const IN_OTHER_CLASS = 4;

function statementKind(st: Node): number {
  const definition = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
  let kind = definition?.type === 'function_definition' ? FUNCTION : definition?.type === 'class_definition' ? CLASS : 0;
  const cls = st.parent?.parent;
  if (cls?.type === 'class_definition' && !isStatementOfModuleOrClass(cls.parent?.type === 'decorated_definition' ? cls.parent : cls)) kind |= IN_OTHER_CLASS;
  return kind;
}

/** What a class's methods may read of their class: its decorators and bases (its name is in the module's context). */
function classHeader(st: Node, cls: Node): string {
  const bases = cls.childForFieldName('superclasses')?.text ?? '';
  if (st === cls) return bases;
  let decorators = '';
  for (const d of st.namedChildren) if (d?.type === 'decorator') decorators += d.text + '\n';
  return decorators + bases;
}

/** Each file's last context of each visit, and its tag (by the tree handle all of a file's nodes share). */
const lastContexts = new WeakMap<object, Map<string, { context: string; tag: string }>>();
let tags = 0;

function contextTag(file: object, id: string, context: string): string {
  let byId = lastContexts.get(file);
  if (!byId) lastContexts.set(file, (byId = new Map()));
  const last = byId.get(id);
  if (last?.context === context) return last.tag;
  const tag = `#${++tags}`;
  byId.set(id, { context, tag });
  return tag;
}

/**
 * Visits `node` and its descendants depth-first without recursion: deeply nested input (thousands
 * of brackets) must not overflow the stack. `enter` returns false to skip a node's subtree. Named
 * walks of a whole module read its index.
 */
export function walk(node: Node, enter: (n: Node) => boolean | void, named = true): void {
  if (named && node.type === 'module') {
    walkPreorder(indexOf(node), enter);
    return;
  }
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (enter(n) === false) continue;
    const kids = named ? n.namedChildren : n.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
}

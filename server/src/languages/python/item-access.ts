/**
 * Attribute reads on a loop's item (`post.author` in `for post in posts`), tied to the query the
 * loop iterates: the common part of the Django and SQLAlchemy lazy-loading facts. Each ORM says how
 * to recognise its query and what it already eager-loads.
 */
import type { ItemAccessFact, OrmId } from '../facts';
import { enclosingLoop, loopItemNames } from './loops';
import { field, visitNodesOfTypes, walk, type Node } from './tree';

export interface QuerySource {
  model: string;
  /** The items are a relation of `model`'s objects (`article.comments.all()`): its name. */
  through?: string;
  /** The builder calls of the query (for what it eager-loads). */
  calls: Node[];
  /** Where an eager-loading call goes: the end of the query expression. */
  insertAt: number;
  /** No query expression to add it to (a ListView's `model = Post`): a finding without a fix. */
  noFix?: boolean;
}

export interface IteratedQuery {
  orm: OrmId;
  /** The query an iterable expression is, if it is one of this ORM's. */
  source(expr: Node): QuerySource | undefined;
  /** Relations the query already loads. */
  eagerLoaded(calls: Node[]): string[];
}

/** From the call that starts a query (`select(Post)`, `Tweet.select()`) out through its builder methods, stopping before one that runs it. */
export function builderChain(start: Node, terminal: RegExp): { calls: Node[]; end: Node } {
  let end = start;
  const calls = [start];
  while (end.parent?.type === 'attribute' && end.parent.parent?.type === 'call') {
    if (terminal.test(field(end.parent, 'attribute')?.text ?? '')) break;
    end = end.parent.parent;
    calls.push(end);
  }
  return { calls, end };
}

/** The value last assigned to `id` before it, in its function (or module). */
export function assignedBefore(id: Node): Node | undefined {
  let scope: Node | null = id.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return undefined;
  let found: Node | undefined;
  const root = scope;
  walk(root, (n) => {
    if (n.startIndex >= id.startIndex) return false;
    if (n !== root && (n.type === 'class_definition' || n.type === 'function_definition')) return false;
    // `stmt = stmt.offset(n)`: the assignment that contains the use is not its value.
    if (n.type === 'assignment' && n.endIndex <= id.startIndex && field(n, 'left')?.text === id.text && field(n, 'right')) found = field(n, 'right')!;
  });
  return found;
}

/** Follows a variable to the expression assigned to it (a few levels), then asks `source`. */
export function throughVariables<T>(expr: Node, source: (e: Node) => T | undefined, depth = 0): T | undefined {
  if (depth > 3) return undefined;
  if (expr.type === 'identifier') {
    const value = assignedBefore(expr);
    return value ? throughVariables(value, source, depth + 1) : undefined;
  }
  return source(expr);
}

/** The iterable expression of the loop that starts at `loopStart`, found from inside it. */
function iterableOf(inside: Node, loopStart: number): Node | undefined {
  for (let n = inside.parent; n; n = n.parent) {
    if (n.startIndex !== loopStart) continue;
    if (n.type === 'for_statement') return field(n, 'right') ?? undefined;
    const clause = n.namedChildren.find((c) => c?.type === 'for_in_clause');
    if (clause) return field(clause, 'right') ?? undefined;
  }
  return undefined;
}

/** `post.author` where `post` is the single item of the loop the read is in; not a method call on it (`post.save()`). */
function itemRead(attr: Node, items: ReadonlySet<string>): boolean {
  const obj = field(attr, 'object');
  if (obj?.type !== 'identifier' || !field(attr, 'attribute') || !items.has(obj.text)) return false;
  if (attr.parent?.type === 'call' && field(attr.parent, 'function')?.id === attr.id) return false;
  // `post.author = user` sets the relation: nothing is loaded.
  if (isAssigned(attr)) return false;
  const loop = enclosingLoop(attr);
  return !!loop && loop.fact.variables.length === 1 && loop.fact.variables[0] === obj.text;
}

/** The target of an assignment (`x.a = …`, `x.a, x.b = …`), not a read. */
function isAssigned(attr: Node): boolean {
  let n = attr;
  while (n.parent && (n.parent.type === 'pattern_list' || n.parent.type === 'tuple_pattern' || n.parent.type === 'list_pattern')) n = n.parent;
  const p = n.parent;
  const left = p?.type === 'assignment' ? field(p, 'left') : null;
  return !!left && left.id === n.id && left.startIndex === n.startIndex;
}

/**
 * Whether the loop's body sets `item.field` before this read of it: the ORM keeps the object it was
 * set to (Django's and SQLAlchemy's relation caches), so the read loads nothing.
 */
function setBefore(read: Node, body: Node): boolean {
  const target = read.text;
  let found = false;
  walk(body, (n) => {
    if (found || n.startIndex >= read.startIndex) return false;
    if (n.type === 'attribute' && n.text === target && isAssigned(n)) found = true;
    return undefined;
  });
  return found;
}

export function itemAccesses(root: Node, query: IteratedQuery): ItemAccessFact[] {
  const out: ItemAccessFact[] = [];
  const seen = new Set<string>();
  const items = loopItemNames(root);
  // Whether an attribute is an item's depends on its statement and the loop names: after an edit,
  // the statements it did not touch are not looked at again (visitNodesOfTypes). The query the
  // loop iterates may be elsewhere (a view's get_queryset): it is looked for each time.
  const context = [...items].join(',');
  for (const attr of visitNodesOfTypes(root, ['attribute'], 'item-reads', 'statement', context, (n) => itemRead(n, items))) {
    const name = field(attr, 'attribute')!.text;
    const loop = enclosingLoop(attr)!;
    const key = `${loop.fact.start}:${name}`;
    if (seen.has(key) || setBefore(attr, loop.body)) continue;
    const iterable = iterableOf(attr, loop.fact.start);
    const source = iterable ? throughVariables(iterable, query.source) : undefined;
    if (!source) continue;
    seen.add(key);
    out.push({
      orm: query.orm, loop: loop.fact, model: source.model, ...(source.through ? { through: source.through } : {}), field: name,
      eagerLoaded: query.eagerLoaded(source.calls), eagerInsert: source.noFix ? undefined : source.insertAt, start: attr.startIndex, end: attr.endIndex,
    });
  }
  return out;
}

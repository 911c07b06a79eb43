/**
 * The loop a Python query runs in: a `for` statement or a comprehension/generator, within the same
 * function, and whether the query uses the loop's item.
 */
import type { LoopFact } from '../facts';
import { BEFORE_TABLE } from '../sql/embedded';
import { args, calleeName, decoratorsOf, field, visitNodesOfTypes, walk, type Node } from './tree';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

function targetNames(n: Node | null, out: string[] = []): string[] {
  if (!n) return out;
  if (n.type === 'identifier') out.push(n.text);
  else for (const c of n.namedChildren) if (c) targetNames(c, out);
  return out;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export interface PyLoop {
  fact: LoopFact;
  body: Node;
}

export function enclosingLoop(node: Node): PyLoop | undefined {
  // Read only for a loop found: the root node is a new object (a call into WASM) on each read.
  const text = (): string => node.tree.rootNode.text;
  let child: Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'function_definition') return resolverOf(n, text);
    if (n.type === 'lambda' || n.type === 'class_definition') return undefined;
    if (n.type === 'for_statement') {
      const body = field(n, 'body');
      if (!body || child.id !== body.id) continue;
      const right = field(n, 'right');
      const variables = targetNames(field(n, 'left'));
      const fact: LoopFact = { kind: n.text.startsWith('async') ? 'for-await' : 'for-of', variables, iterable: right?.text, start: n.startIndex, end: body.startIndex, statementStart: lineStart(text(), n.startIndex), concurrent: false };
      if (itemsAreModels(variables, body) || (variables.length === 1 && MODEL_LISTS.test(right?.text ?? ''))) fact.overModels = true;
      if (right && isStream(right)) fact.stream = true;
      return { body, fact };
    }
    if (COMPREHENSIONS.has(n.type)) {
      const clauses = n.namedChildren.filter((c): c is Node => !!c && c.type === 'for_in_clause');
      // The iterable of the first clause is evaluated once (per outer item); the element and conditions per item.
      const first = clauses[0] ? field(clauses[0], 'right') : null;
      if (first && node.startIndex >= first.startIndex && node.endIndex <= first.endIndex) continue;
      const variables = clauses.flatMap((c) => targetNames(field(c, 'left')));
      let stmt: Node = n;
      while (stmt.parent && stmt.parent.type !== 'block' && stmt.parent.type !== 'module') stmt = stmt.parent;
      const fact: LoopFact = { kind: 'comprehension', variables, iterable: clauses[0] ? field(clauses[0], 'right')?.text : undefined, start: n.startIndex, end: n.endIndex, statementStart: lineStart(text(), stmt.startIndex), concurrent: false };
      if (itemsAreModels(variables, n) || (variables.length === 1 && MODEL_LISTS.test(first?.text ?? ''))) fact.overModels = true;
      if (first && isStream(first)) fact.stream = true;
      return { body: n, fact };
    }
  }
  return undefined;
}

/**
 * Whether the loop's one variable is a model class, used as one in the loop: `session.query(model)`,
 * `select(model)`, `model.objects`, `model.__tablename__`, `get_for_model(model)`. Not by what
 * instances have too (`obj._meta`), nor by `x.query`, which other objects have. A loop over a list
 * of models (MODEL_LISTS) is one whatever its body.
 */
function itemsAreModels(variables: readonly string[], body: Node): boolean {
  if (variables.length !== 1) return false;
  const v = variables[0].replace(/[^\w]/g, '');
  if (!v) return false;
  // Asked for each query of the loop: answered once per loop body.
  let answer = overModels.get(body);
  if (answer === undefined) overModels.set(body, (answer = modelUse(v).test(body.text)));
  return answer;
}

const overModels = new WeakMap<Node, boolean>();

function modelUse(v: string): RegExp {
  return new RegExp(`(?<![\\w.])${v}\\.(objects|_default_manager|_base_manager|__tablename__|__table__)\\b|\\b(query|select|get_for_model|get_for_models)\\(\\s*${v}\\s*[,)]`);
}

/** Lists of model classes: Django's `apps.get_models()` (and a command's `self.get_models(options)`), a declarative base's `__subclasses__()`. */
const MODEL_LISTS = /\bget_models\s*\(|\.__subclasses__\s*\(\s*\)/;

/** `iter(queue.get, "STOP")`: items read one at a time until a sentinel. */
function isStream(iterable: Node): boolean {
  return iterable.type === 'call' && field(iterable, 'function')?.text === 'iter' && args(iterable).length === 2;
}

/** An identifier that reads one of `names`: `x.post` names an attribute, not a `post` variable; `f(post=1)` a keyword. */
function readsName(n: Node, names: ReadonlySet<string>): boolean {
  if (n.type !== 'identifier' || !names.has(n.text)) return false;
  const p = n.parent;
  if (p?.type === 'attribute' && field(p, 'attribute')?.id === n.id) return false;
  return !(p?.type === 'keyword_argument' && field(p, 'name')?.id === n.id);
}

function mentions(node: Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (readsName(n, names)) found = true;
  });
  return found;
}

/** An assignment of a loop body that derives names from the item, in source order. */
interface Derived {
  at: Node;
  names: string[];
}

/**
 * The assignments of a loop's body that carry the item, found in one walk of the body: every
 * query of the loop then takes those before it. Walking the body again for each query made a loop
 * of thousands of queries quadratic (30,000 queries in one loop: minutes). Kept per body node (an
 * unchanged body keeps its node across edits); positions are read from the nodes when asked.
 */
type WithDerived = Node & { plDerived?: { variables: string; derived: Derived[] } };

function derivedNames(loop: PyLoop): Derived[] {
  const variables = loop.fact.variables.join(',');
  const body = loop.body as WithDerived;
  const known = body.plDerived;
  if (known?.variables === variables) return known.derived;
  const names = new Set(loop.fact.variables);
  const derived: Derived[] = [];
  walk(loop.body, (n) => {
    if (n.type === 'function_definition') return false;
    if (n.type === 'assignment') {
      const right = field(n, 'right');
      if (right && mentions(right, names)) {
        const added = targetNames(field(n, 'left'));
        for (const v of added) names.add(v);
        derived.push({ at: n, names: added });
      }
    }
  });
  body.plDerived = { variables, derived };
  return derived;
}

/** The assignments of the body before `query` that carry the item. */
function derivedBefore(loop: PyLoop, query: Node): Derived[] {
  const out: Derived[] = [];
  for (const d of derivedNames(loop)) {
    if (d.at.startIndex >= query.startIndex) break;
    out.push(d);
  }
  return out;
}

/** Names carrying the item: loop targets, and locals assigned from them earlier in the body. */
export function usesItem(loop: PyLoop, query: Node): boolean {
  const names = new Set(loop.fact.variables);
  for (const d of derivedBefore(loop, query)) for (const v of d.names) names.add(v);
  return mentions(query, names);
}


/**
 * Does the SQL the call runs name a table from the loop's item (`cursor.execute(f"SELECT count(*)
 * FROM {table}")`)? The f-string is the call's first argument (in `text(…)` or not) or a local of
 * the loop's body.
 */
export function queriesTableOfItem(loop: PyLoop, query: Node): boolean {
  let sql: Node | null | undefined = args(query)[0];
  // SQLAlchemy's `session.execute(text(f"…"))`.
  if (sql?.type === 'call' && calleeName(sql) === 'text') sql = args(sql)[0];
  if (sql?.type === 'identifier') {
    const name = sql.text;
    sql = undefined;
    walk(loop.body, (n) => {
      if (sql !== undefined || n.startIndex >= query.startIndex) return false;
      if (n.type === 'assignment' && field(n, 'left')?.text === name) sql = field(n, 'right');
    });
  }
  if (sql?.type !== 'string') return false;
  const names = new Set(loop.fact.variables);
  for (const d of derivedBefore(loop, query)) for (const v of d.names) names.add(v);
  let before = '';
  for (const part of sql.namedChildren) {
    if (part?.type === 'string_content') before += part.text;
    else if (part?.type === 'interpolation') {
      if (BEFORE_TABLE.test(before) && mentions(part, names)) return true;
      before = '';
    }
  }
  return false;
}

/** `range(start, stop, step)`: the loop's indexes step through a collection a chunk at a time. */
function stepsInChunks(loop: PyLoop): boolean {
  const owner = loop.fact.kind === 'comprehension' ? loop.body.namedChildren.find((c) => c?.type === 'for_in_clause') : loop.body.parent;
  const iterable = owner ? field(owner, 'right') : null;
  const list = iterable?.type === 'call' && field(iterable, 'function')?.text === 'range' ? field(iterable, 'arguments') : null;
  return (list?.namedChildren.filter((c) => c?.type !== 'comment').length ?? 0) === 3;
}

/**
 * `ids[i:i + 500]` under `for i in range(0, len(ids), 500)`, or `ids[k * size:(k + 1) * size]`: a
 * slice of a collection (not of the item) whose bounds move with the loop, one chunk per iteration.
 */
function isChunkSlice(value: Node, names: ReadonlySet<string>, stepped: boolean): boolean {
  const slice = value.type === 'subscript' ? field(value, 'subscript') : null;
  const collection = value.type === 'subscript' ? field(value, 'value') : null;
  if (slice?.type !== 'slice' || !collection || mentions(collection, names)) return false;
  const colon = slice.children.findIndex((c) => c?.type === ':');
  const start = slice.children.slice(0, colon).find((c) => c?.isNamed);
  const stop = slice.children.slice(colon + 1).find((c) => c?.isNamed && c.type !== ':');
  if (!start || !stop || !mentions(start, names)) return false;
  // `ids[i:i + 1]`: a chunk of one key per item is the N+1 itself.
  if (stop.type === 'binary_operator' && field(stop, 'left')?.text === start.text && field(stop, 'right')?.text === '1') return false;
  return stepped || mentions(stop, names);
}

/**
 * A query whose `__in`/`in_()`/`in_bulk()` filter takes a chunk of a collection the loop steps
 * through (`filter(id__in=ids[i:i + 500])`, `Post.id.in_(chunk)` after `chunk = ids[i:i + size]`):
 * one query per batch of keys, the usual way to send a long list of keys, not one per item.
 */
export function queriesAChunk(loop: PyLoop, query: Node): boolean {
  const derived = derivedBefore(loop, query);
  const names = new Set(loop.fact.variables);
  for (const d of derived) for (const v of d.names) names.add(v);
  const stepped = stepsInChunks(loop);
  const isChunk = (value: Node | null | undefined): boolean => {
    if (!value) return false;
    if (value.type !== 'identifier') return isChunkSlice(value, names, stepped);
    // A chunk variable of the body: `chunk = ids[i:i + size]`.
    const assigned = derived.filter((d) => d.names.includes(value.text)).pop();
    const right = assigned && field(assigned.at, 'left')?.type === 'identifier' ? field(assigned.at, 'right') : null;
    return !!right && isChunkSlice(right, names, stepped);
  };
  let found = false;
  walk(query, (n) => {
    if (found || n.type === 'lambda') return false;
    if (n.type === 'keyword_argument' && /__in$/.test(field(n, 'name')?.text ?? '')) found = isChunk(field(n, 'value'));
    else if (n.type === 'call' && /^(in_|in_bulk)$/.test(calleeName(n) ?? '')) found = isChunk(args(n)[0]);
  });
  return found;
}

/** Attributes after a name that make it a model class: Django's managers, Flask-SQLAlchemy's `query`, Peewee's `select`, a ContentType's objects. */
const MODEL_ATTRIBUTES = /^(objects|_default_manager|_base_manager|query|select|get_all_objects_for_this_type)$/;
/** Calls that pick the model by their argument: `session.query(model)`, `select(model)`, `apps.get_model(label)`. */
const MODEL_PICKERS = /^(query|select|get_model)$/;

/**
 * A query of one model of several: the loop goes over models (`for model in apps.get_models()`),
 * or over groups of keys by model (`for model, ids in by_model.items()`, Django's generic foreign
 * keys by content type), and each query reads the item's model, with nothing else of the item or
 * with all of the group's keys (`model.objects.filter(pk__in=ids)`, `select(model).where(
 * model.id.in_(ids))`). Each query is of another table, so one per model is the fewest there can
 * be, not one per row. One model filtered by each item's own list (`filter(id__in=user.friend_ids)`
 * per user), or a model with one key of the item (`pk__in=[pk]`), is still one query per item.
 */
export function queriesAGroup(loop: PyLoop, query: Node): boolean {
  const names = new Set(loop.fact.variables);
  // The value of each local derived from the item: a filter built before the query (`f =
  // cls.id.in_([r.id for r in group])`, Gnocchi's resources by type) is read as if written in it.
  const values = new Map<string, Node>();
  for (const d of derivedBefore(loop, query)) {
    const right = field(d.at, 'right');
    for (const v of d.names) {
      names.add(v);
      if (right) values.set(v, right);
    }
  }
  // The expressions that name the model (`model`, `group.model`).
  const models = new Set<string>();
  let attribute: string | undefined;
  for (let cur: Node | null = query; cur; ) {
    if (cur.type === 'call') {
      if (MODEL_PICKERS.test(calleeName(cur) ?? '')) for (const a of args(cur)) if (a.type !== 'keyword_argument' && mentions(a, names)) models.add(a.text);
      cur = field(cur, 'function');
    } else if (cur.type === 'attribute') {
      attribute = field(cur, 'attribute')?.text;
      cur = field(cur, 'object');
    } else if (cur.type === 'subscript') cur = field(cur, 'value');
    else if (cur.type === 'parenthesized_expression') cur = cur.namedChildren[0] ?? null;
    else {
      if (cur.type === 'identifier' && names.has(cur.text) && (/^[A-Z]/.test(cur.text) || MODEL_ATTRIBUTES.test(attribute ?? ''))) models.add(cur.text);
      break;
    }
  }
  if (models.size === 0) return false;
  // `in_([item.id])`: a list of one key is the per-item query itself.
  const isList = (value: Node | null | undefined): boolean => !!value && value.type !== 'list' && mentions(value, names);
  let list = false;
  let other = false;
  const followed = new Set<string>();
  const scan = (node: Node): void =>
    walk(node, (n) => {
      if (list || n.type === 'lambda') return false;
      // The model again (`model.id` in a filter is a column of it): not a use of the item's data.
      if ((n.type === 'identifier' || n.type === 'attribute') && models.has(n.text)) return false;
      if (n.type === 'keyword_argument' && /__in$/.test(field(n, 'name')?.text ?? '')) list = isList(field(n, 'value'));
      else if (n.type === 'call' && /^(in_|in_bulk)$/.test(calleeName(n) ?? '')) list = isList(args(n)[0]);
      else if (readsName(n, names)) {
        const value = values.get(n.text);
        if (value && !followed.has(n.text) && /\bin_\s*\(|__in\s*=/.test(value.text)) {
          followed.add(n.text);
          scan(value);
        } else other = true;
      }
      return undefined;
    });
  scan(query);
  return list || !other;
}

const ROOT_TYPES = /^(Query|Mutation|Subscription)$/;

/**
 * A GraphQL field resolver runs once per parent object of a list, like a loop body: Graphene's
 * `resolve_<field>(parent, info)` on an `ObjectType` (not Query/Mutation), or a Strawberry
 * `@strawberry.field` method on a `@strawberry.type`. The parent (or `self`) is the per-item variable.
 */
function resolverOf(fn: Node, text: () => string): PyLoop | undefined {
  const parent = resolverParent(fn);
  const body = field(fn, 'body');
  if (!parent || !body) return undefined;
  return {
    body,
    fact: { kind: 'resolver', variables: [parent.name], iterable: parent.className, start: fn.startIndex, end: body.startIndex, statementStart: lineStart(text(), fn.startIndex), concurrent: true },
  };
}

/** The per-item parameter of a GraphQL field resolver, and its type's class name. */
function resolverParent(fn: Node): { name: string; className: string } | undefined {
  const name = field(fn, 'name')?.text ?? '';
  const body = field(fn, 'body');
  const cls = fn.parent?.type === 'decorated_definition' ? fn.parent.parent?.parent : fn.parent?.parent;
  if (!body || cls?.type !== 'class_definition') return undefined;
  const className = field(cls, 'name')?.text ?? '';
  if (ROOT_TYPES.test(className)) return undefined;
  const bases = field(cls, 'superclasses')?.text ?? '';
  const graphene = /^resolve_/.test(name) && /ObjectType/.test(bases);
  const strawberry = decoratorsOf(fn).some((d) => /^@(strawberry\.)?field\b/.test(d.text)) && decoratorsOf(cls).some((d) => /^@strawberry\.(type|django\.type)/.test(d.text));
  if (!graphene && !strawberry) return undefined;
  const first = field(fn, 'parameters')?.namedChildren[0];
  const parent = first?.type === 'identifier' ? first.text : first ? field(first, 'name')?.text : undefined;
  return parent ? { name: parent, className } : undefined;
}

/**
 * Every name a loop of the module binds as its item: `for` and comprehension targets, resolver
 * parents. A superset of the variables `enclosingLoop` can give, so that an expression on any other
 * name needs no walk up its ancestors.
 */
export function loopItemNames(root: Node): Set<string> {
  const names = new Set<string>();
  const add = (n: Node): boolean => {
    if (n.type === 'function_definition') {
      const parent = resolverParent(n);
      if (parent) names.add(parent.name);
      return !!parent;
    }
    const targets = targetNames(field(n, 'left'));
    for (const v of targets) names.add(v);
    return targets.length > 0;
  };
  // After an edit, the statements it did not touch give the names found in them before (visitNodesOfTypes).
  visitNodesOfTypes(root, ['for_statement', 'for_in_clause', 'function_definition'], 'loop-items', 'statement', '', add);
  return names;
}

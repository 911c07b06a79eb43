/**
 * Python ORM queries: Django queryset slicing with a computed start and `Paginator`, and every
 * query chain without pagination (the N+1 rule needs them all). A slice counts only on a queryset
 * (`.objects`, or a variable assigned from one), never on a plain list. Query builders with
 * `.offset()`/`.paginate()` are in offset-calls.ts, DRF pagination classes in drf-pagination.ts.
 */
import { assignedBefore } from './item-access';
import { chainKind, isModuleName, MODEL_NAME, modelOf, moduleBinding, sqlalchemyOrm, type OrmEvidence } from './offset-calls';
import { djangoFilter, sqlalchemyFilter } from './filters';
import { djangoOrderKeys, lastOrderBy } from './ordering';
import { baseFact, setPagination, type PyQueryFact } from './query-fact';
import { args, calleeName, chainCalls, enclosingFunction, field, walk, type Node } from './tree';
import type { OrmId } from '../facts';

export type { PyQueryFact };

const QS_METHODS = new Set(['filter', 'exclude', 'order_by', 'all', 'select_related', 'prefetch_related', 'annotate', 'values', 'values_list', 'distinct', 'only', 'defer', 'using', 'reverse', 'alias']);
/**
 * Methods of lists, sets and dicts that no Django manager has: `objects` named so is a container
 * then (OpenStack's object lists: `inst_list.objects.append(inst)`), not a model's manager.
 */
const CONTAINER_METHODS = /^(append|extend|insert|pop|remove|sort|index|clear|add|discard|keys|items|setdefault|popitem|copy)$/;

/** `X.objects.<method>(…)` as a manager call: not a container's method. */
function managerMethod(call: Node): boolean {
  return !CONTAINER_METHODS.test(calleeName(call) ?? '');
}

/** The calls that built a queryset: its own chain, and (for a variable) the chain it was assigned from. */
function querysetChain(expr: Node, depth = 0): Node[] | undefined {
  if (depth > 3) return undefined;
  if (expr.type === 'identifier') {
    const v = assignedBefore(expr);
    return v ? querysetChain(v, depth + 1) : undefined;
  }
  const calls = chainCalls(expr);
  if (calls.length === 0) return expr.type === 'attribute' && field(expr, 'attribute')?.text === 'objects' ? [] : undefined;
  const rootObj = (() => {
    let f = field(calls[0], 'function');
    while (f && f.type === 'attribute') f = field(f, 'object');
    return f;
  })();
  const text = field(calls[0], 'function')?.text ?? '';
  if (/\.objects\.\w+$|^self\.get_queryset$|^super\(\)\.get_queryset$/.test(text) && managerMethod(calls[0]) && calls.every((c) => QS_METHODS.has(calleeName(c) ?? '') || c === calls[0])) return calls;
  // `qs.filter(...)` where qs is itself a queryset variable.
  if (rootObj?.type === 'identifier' && calls.every((c) => QS_METHODS.has(calleeName(c) ?? ''))) {
    const inner = querysetChain(rootObj, depth + 1);
    return inner ? [...inner, ...calls] : undefined;
  }
  return undefined;
}

/** Django `qs[start:end]` with a start that is not a constant. */
export function fromSubscript(n: Node, root: Node): PyQueryFact | undefined {
  const slice = field(n, 'subscript');
  const value = field(n, 'value');
  if (!slice || slice.type !== 'slice' || !value) return undefined;
  const colon = slice.children.findIndex((c) => c?.type === ':');
  const startNode = slice.children.slice(0, colon).find((c) => c?.isNamed) ?? undefined;
  const endNode = slice.children.slice(colon + 1).find((c) => c?.isNamed && c.type !== ':') ?? undefined;
  if (!startNode) return undefined;
  const calls = querysetChain(value);
  if (!calls) return undefined;
  const model = /^(\w+)\.objects/.exec(calls[0] ? field(calls[0], 'function')?.text ?? '' : value.text)?.[1];
  const call = lastOrderBy(calls);
  const keys = call ? djangoOrderKeys(call) : [];
  const fact = baseFact(n, 'django', model, 'slice');
  const open = n.children.find((c) => c?.type === '[')!;
  setPagination(fact, 'slice', startNode, root, keys, endNode, calls, { start: open.startIndex, end: n.endIndex });
  fact.baseEnd = value.endIndex;
  if (endNode) {
    const end = endNode.type === 'binary_operator' && field(endNode, 'left')?.text === startNode.text && /\+/.test(n.text) ? field(endNode, 'right')!.text : `(${endNode.text}) - (${startNode.text})`;
    fact.limitText = end;
  }
  // Only an order_by in the sliced expression itself can be extended in place.
  if (call && call.startIndex >= value.startIndex && call.endIndex <= value.endIndex) fact.orderCall = { close: call.endIndex - 1, hasArgs: args(call).length > 0, quote: call.text.includes('"') ? '"' : "'" };
  return fact;
}

/**
 * Django `Paginator(qs, n)` whose `.page(x)`/`.get_page(x)` takes a page that is not a constant.
 * In a module of search views (`searchResults`: django-haystack's), only a queryset written as one
 * (`Post.objects…`): the others page a search engine's results.
 */
export function fromPaginator(n: Node, root: Node, searchResults = false): PyQueryFact | undefined {
  if (calleeName(n) !== 'Paginator' || n.parent?.type !== 'assignment') return undefined;
  if (searchResults && !/\.objects\b/.test(args(n)[0]?.text ?? '')) return undefined;
  const name = field(n.parent, 'left')?.text;
  const fn = enclosingFunction(n);
  const scope = fn ? field(fn, 'body') : root;
  let pageArg: Node | undefined;
  if (scope) {
    walk(scope, (m) => {
      if (pageArg) return false;
      if (m.type === 'call' && /^(page|get_page)$/.test(calleeName(m) ?? '') && field(field(m, 'function')!, 'object')?.text === name) pageArg = args(m)[0];
    });
  }
  if (!pageArg) return undefined;
  const fact = baseFact(n, 'django', undefined, 'Paginator');
  fact.style = 'paginator';
  setPagination(fact, 'paginator', pageArg, root, [], args(n)[1], [], { start: n.startIndex, end: n.endIndex });
  return fact;
}

/** Variable names an expression reads (not attribute names). */
function identifiersIn(n: Node): string[] {
  const names: string[] = [];
  walk(n, (k) => {
    if (k.type === 'identifier' && !(k.parent?.type === 'attribute' && field(k.parent, 'attribute')?.id === k.id)) names.push(k.text);
  });
  return names;
}

/** `Model.objects.filter(k=v, …).count()` / `.aggregate(a=Avg(…))` with keyword filters and named aggregates only. */
function djangoGrouping(filter: Node, last: Node, model: string): PyQueryFact['grouping'] {
  const filters = args(filter);
  const aggregates = args(last);
  const named = (list: Node[]) => list.every((a) => a.type === 'keyword_argument');
  if (filters.length === 0 || !named(filters) || !named(aggregates) || (calleeName(last) === 'count') !== (aggregates.length === 0)) return undefined;
  return {
    model,
    filters: filters.map((a) => ({ name: field(a, 'name')!.text, value: field(a, 'value')!.text, names: identifiersIn(field(a, 'value')!) })),
    aggregates: aggregates.length ? aggregates.map((a) => a.text).join(', ') : undefined,
  };
}

/**
 * An `AsyncSession` (its methods return coroutines): a parameter of the enclosing function annotated
 * with it (`session: AsyncSession`, `Annotated[AsyncSession, Depends(…)]`), or a session the
 * function awaits a call of (`await session.execute(…)`).
 */
function isAsyncSession(n: Node, session: string): boolean {
  const fn = enclosingFunction(n);
  if (!fn) return false;
  for (const p of field(fn, 'parameters')?.namedChildren ?? []) {
    if (p?.type !== 'typed_parameter' && p?.type !== 'typed_default_parameter') continue;
    const name = field(p, 'name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
    if (name?.text === session && /\bAsyncSession\b/.test(field(p, 'type')?.text ?? '')) return true;
  }
  let awaited = false;
  walk(fn, (m) => {
    if (awaited || (m.type === 'function_definition' && m.id !== fn.id)) return false;
    const call = m.type === 'await' ? m.namedChildren[0] : undefined;
    const callee = call?.type === 'call' ? field(call, 'function') : null;
    if (callee?.type === 'attribute' && field(callee, 'object')?.text === session) awaited = true;
  });
  return awaited;
}

/** `func.count(…)`, `sa.func.count(…)`, Peewee's `fn.COUNT(…)`, with a `.label(…)` or not: the aggregate's name in lower case. */
function aggregateName(e: Node): string | undefined {
  let call: Node | null = e;
  if (call.type === 'call' && calleeName(call) === 'label') {
    const f = field(call, 'function');
    call = f?.type === 'attribute' ? field(f, 'object') : null;
  }
  const name = call?.type === 'call' ? /^(?:(?:sa|sqlalchemy)\.)?(?:func|fn)\.(count|sum|avg|min|max)$/i.exec(field(call, 'function')?.text ?? '')?.[1] : undefined;
  return name?.toLowerCase();
}

/**
 * A select of aggregates only: SQLAlchemy `select(func.count(Comment.id))`,
 * `session.query(func.sum(Order.total))`, Peewee `Tweet.select(fn.COUNT(Tweet.id))`: 'count' when
 * every column is a count, 'aggregate' when some other aggregate is there; else undefined (rows).
 */
function selectsOnlyAggregates(first: Node): 'count' | 'aggregate' | undefined {
  const name = calleeName(first);
  if (name !== 'select' && name !== 'query') return undefined;
  const columns = args(first);
  if (columns.length === 0) return undefined;
  const names = columns.map(aggregateName);
  if (names.some((x) => x === undefined)) return undefined;
  return names.every((x) => x === 'count') ? 'count' : 'aggregate';
}

/**
 * Manager methods Django answers from a cache of the process after their first call: the current
 * Site (`SITE_CACHE`), and content types (ContentTypeManager's cache, by model, id and natural key),
 * also through `db_manager(alias)`. Called per item, they cost a dictionary lookup, not a query.
 */
const CACHED_BY_DJANGO = new Map<string, RegExp>([
  ['Site', /^get_current$/],
  ['ContentType', /^(get_for_model|get_for_models|get_for_id|get_by_natural_key)$/],
]);

/**
 * A query without pagination: the outermost call of a Django queryset chain, a SQLAlchemy/SQLModel
 * `select()`/`session.query()`/`Model.query` chain or a Peewee `Model.select()` chain.
 */
export function fromQueryChain(n: Node, ev: OrmEvidence): PyQueryFact | undefined {
  const orms = ev.orms;
  const parent = n.parent;
  if (parent?.type === 'attribute' && parent.parent?.type === 'call') return undefined;
  const calls = chainCalls(n);
  if (calls.length === 0 || calls[calls.length - 1] !== n) return undefined;
  // A paging chain is recorded where its .offset()/.paginate() is, with its pagination.
  if (calls.some((c) => /^(offset|paginate)$/.test(calleeName(c) ?? ''))) return undefined;
  const fname = field(calls[0], 'function')?.text ?? '';
  // `get_user_model().objects.get(…)`: the user model's manager, the call that names it first in the chain.
  const userManager = fname === 'get_user_model' && calls.length > 1 && /^get_user_model\(\)\.objects\.\w+$/.test(field(calls[1], 'function')?.text ?? '') && managerMethod(calls[1]);
  const qs = userManager ? calls.slice(1) : calls;
  const django = userManager ? ['', 'User'] : managerMethod(calls[0]) ? /^(\w+)\.objects\.\w+$/.exec(fname) : null;
  if (django && CACHED_BY_DJANGO.get(django[1])?.test(calleeName(n) ?? '')) return undefined;
  if (django || querysetChain(n)) {
    const fact = baseFact(n, 'django', django?.[1], calleeName(n) ?? 'all');
    fact.style = 'query';
    const filter = django ? djangoFilter(qs) : undefined;
    if (filter) fact.filter = filter;
    const a = args(n);
    if (django && qs.length === 2 && calleeName(qs[0]) === 'filter' && /^(count|aggregate)$/.test(calleeName(n) ?? '')) fact.grouping = djangoGrouping(qs[0], n, django[1]);
    if (django && qs.length === 1 && calleeName(n) === 'get' && a.length === 1 && a[0].type === 'keyword_argument') {
      const key = field(a[0], 'value')!;
      fact.lookup = { field: field(a[0], 'name')!.text, key: { start: key.startIndex, end: key.endIndex, text: key.text }, names: identifiersIn(key) };
    }
    return fact;
  }
  // Django's shortcuts: `get_object_or_404(Post, slug=slug)` is `Post.objects.get(slug=slug)`.
  const shortcut = /^(?:shortcuts\.)?(get_object_or_404|get_list_or_404)$/.exec(fname)?.[1];
  const shortcutModel = shortcut && calls.length === 1 && orms.has('django') ? args(n)[0] : undefined;
  if (shortcutModel?.type === 'identifier' && /^[A-Z]/.test(shortcutModel.text)) {
    const fact = baseFact(n, 'django', shortcutModel.text, shortcut!);
    fact.style = 'query';
    const filter = djangoFilter([n], true);
    if (filter) fact.filter = filter;
    return fact;
  }
  // Single-row lookups: SQLAlchemy `session.get(User, id)`, Peewee `User.get(...)`/`get_by_id(...)`.
  const firstArg = args(calls[0])[0]?.text ?? '';
  // Flask-SQLAlchemy: `Product.query.get(i)`, `Product.query.get_or_404(i)`, `db.get_or_404(Product, i)`.
  const flaskGet = /^([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)\.query\.(get|get_or_404)$/.exec(fname) ?? (/^db\.(get_or_404)$/.test(fname) && /^[A-Z]\w*$/.test(firstArg) ? [fname, firstArg, 'get_or_404'] : null);
  const flaskModel = flaskGet && field(field(calls[0], 'function')!, 'object');
  if (flaskGet && calls.length === 1 && (orms.has('sqlalchemy') || ev.flask || /^db\./.test(fname) || (flaskModel?.type === 'attribute' && isModuleName(field(flaskModel, 'object')!)))) {
    const fact = baseFact(n, 'sqlalchemy', flaskGet[1], flaskGet[2]);
    fact.style = 'query';
    fact.legacyQuery = true;
    return fact;
  }
  // Flask views import `db` from the app, not sqlalchemy: Flask is the evidence then.
  if (/(^|\.)(session|db|s)\.get$/.test(fname) && /^[A-Z]\w*$/.test(firstArg) && (orms.has('sqlalchemy') || orms.has('sqlmodel') || (ev.flask && fname === 'db.session.get'))) {
    const fact = baseFact(n, orms.has('sqlmodel') ? 'sqlmodel' : 'sqlalchemy', firstArg, 'get');
    fact.style = 'query';
    const key = args(calls[0])[1];
    if (key && key.type !== 'keyword_argument' && args(calls[0]).length === 2) {
      const session = fname.slice(0, -'.get'.length);
      fact.lookup = { field: 'id', key: { start: key.startIndex, end: key.endIndex, text: key.text }, names: identifiersIn(key), session };
      if (n.parent?.type === 'await') fact.lookup.awaitStart = n.parent.startIndex;
      if (fact.lookup.awaitStart !== undefined || isAsyncSession(n, session)) fact.lookup.asyncSession = true;
    }
    return fact;
  }
  // A SQLAlchemy/SQLModel session's commit: a transaction, one round trip at least.
  const commit = /^((?:\w+\.)*(?:session|db|s|sess|db_session))\.commit$/.exec(fname);
  if (commit && calls.length === 1 && (orms.has('sqlalchemy') || orms.has('sqlmodel'))) {
    const fact = baseFact(n, orms.has('sqlmodel') ? 'sqlmodel' : 'sqlalchemy', undefined, 'commit');
    fact.style = 'query';
    fact.session = commit[1];
    return fact;
  }
  const write = writeStatement(calls, n, ev);
  if (write) {
    const fact = baseFact(n, write.orm, write.model, write.operation);
    fact.style = 'query';
    return fact;
  }
  // A model class (`User`), not a constant (`UDF_COLLECTION.get` is a dict's get).
  const peewee = /^([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)\.(get|get_by_id|get_or_none)$/.exec(fname);
  if (peewee && orms.has('peewee')) {
    const fact = baseFact(n, 'peewee', peewee[1], peewee[2]);
    fact.style = 'query';
    // `User.get(User.email == e)`, `User.get_or_none(email=e)`: the lookup's conditions.
    const filter = peewee[2] === 'get_by_id' ? undefined : sqlalchemyFilter(calls, peewee[1]);
    if (filter) fact.filter = filter;
    return fact;
  }
  const kind = calls.length > 1 || /^(\w+\.)*(select|query)$/.test(fname) ? chainKind(calls, ev) : undefined;
  if (!kind) return undefined;
  const fact = baseFact(n, kind.orm, kind.model, selectsOnlyAggregates(calls[0]) ?? calleeName(n) ?? 'select');
  fact.style = 'query';
  const filter = kind.model ? sqlalchemyFilter(calls, kind.model) : undefined;
  if (filter) fact.filter = filter;
  return fact;
}

/** Peewee's writes that build a query, run by its `.execute()`. */
const PEEWEE_BUILT_WRITES = /^(update|delete|insert|insert_many|insert_from|replace|replace_many)$/;
/** Peewee's writes that run at once. */
const PEEWEE_RUN_WRITES = /^(create|get_or_create|delete_by_id|bulk_create|bulk_update)$/;

/**
 * A write statement: SQLAlchemy's `update(User).where(…).values(…)`, `delete(Post).where(…)`,
 * `insert(Post).values(…)` (a dialect's `insert` with `on_conflict_do_update` too), with the name
 * imported from SQLAlchemy or called on its module (`sa.update`); Peewee's `User.update(…).where(…)
 * .execute()`, `User.insert_many(rows).execute()`, `User.create(…)`, `User.delete_by_id(…)` on a
 * model class. A Peewee query that is built and not executed here writes nothing here.
 */
function writeStatement(calls: readonly Node[], n: Node, ev: OrmEvidence): { orm: OrmId; model?: string; operation: string } | undefined {
  const first = calls[0];
  const fn = field(first, 'function');
  const fname = fn?.text ?? '';
  const sqla = fn?.type === 'identifier' ? ev.sqlWrites?.get(fname) : /^(?:sa|sqlalchemy)\.(update|delete|insert)$/.exec(fname)?.[1];
  if (sqla && (ev.orms.has('sqlalchemy') || ev.orms.has('sqlmodel'))) {
    const target = args(first)[0];
    // `update(User)`, `delete(models.Post)`, `insert(posts_table)`: a table or model, not a string.
    if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return undefined;
    return { orm: sqlalchemyOrm(ev.orms), model: modelOf(target), operation: sqla };
  }
  if (!ev.orms.has('peewee') || fn?.type !== 'attribute') return undefined;
  const model = field(fn, 'object');
  const method = field(fn, 'attribute')?.text ?? '';
  if (model?.type !== 'identifier' || !MODEL_NAME.test(model.text) || !/[a-z]/.test(model.text)) return undefined;
  // `create` is a common name (`Cache.create(…)`): a model of this module or of a models module only.
  if (PEEWEE_RUN_WRITES.test(method) && calls.length === 1 && isModelClass(model)) return { orm: 'peewee', model: model.text, operation: method };
  if (PEEWEE_BUILT_WRITES.test(method) && calls.length > 1 && calleeName(n) === 'execute') return { orm: 'peewee', model: model.text, operation: method };
  return undefined;
}

/** A class the module defines, or imports from a models module (`from .models import Tweet`, `from app.models.user import User`). */
function isModelClass(id: Node): boolean {
  const binding = moduleBinding(id);
  return !!binding && (binding.module === undefined || /(^|\.)models(\.|$)/.test(binding.module));
}

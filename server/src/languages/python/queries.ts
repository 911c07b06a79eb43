/**
 * Python ORM queries with pagination: Django queryset slicing with a computed start, `Paginator`,
 * DRF offset/page-number pagination classes; SQLAlchemy/SQLModel `select()`/`session.query()`
 * and Peewee chains with `.offset()`; Peewee `.paginate()`. A slice counts only on a queryset
 * (`.objects`, or a variable assigned from one), never on a plain list.
 */
import type { OrderKey, OrmId, PaginationFact, QueryFact } from '../facts';
import { args, calleeName, chainCalls, enclosingFunction, field, walk, type Node } from './tree';
import { assignedBefore } from './item-access';
import { isRouteFunction, pyValueFact } from './values';

export interface PyQueryFact extends QueryFact {
  /** How the query pages, if it does: a Django slice, `.offset()`, Peewee `paginate`, a paginator class; `query` when it does not. */
  style: 'query' | 'slice' | 'offset-call' | 'paginate' | 'paginator';
  /** The request object the page was read from (`request.GET`), to read the cursor from. */
  requestObject?: string;
  /** Where the queryset expression being sliced or chained ends (insert `.filter(…)` there). */
  baseEnd?: number;
  /** Slice: the text of the page size (`20` in `[start:start + 20]`). */
  limitText?: string;
  /** The last `order_by(…)` call: the offset of its closing parenthesis and whether it has arguments. */
  orderCall?: { close: number; hasArgs: boolean; quote: string };
  /** SQLAlchemy/SQLModel/Peewee model whose columns the keyset compares (`Post`). */
  modelName?: string;
  /** SQLAlchemy legacy `session.query()` filters with `.filter`, 2.0 `select()` with `.where`. */
  legacyQuery?: boolean;
  /** `Model.objects.get(field=key)`: a single-row lookup that a batch (`in_bulk`) can replace. */
  lookup?: { field: string; key: { start: number; end: number; text: string }; names: string[]; session?: string };
  /** The enclosing function's parameter list: where a cursor parameter can be added. */
  params?: { close: number; empty: boolean; route: boolean };
}

const QS_METHODS = new Set(['filter', 'exclude', 'order_by', 'all', 'select_related', 'prefetch_related', 'annotate', 'values', 'values_list', 'distinct', 'only', 'defer', 'using', 'reverse', 'alias']);

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
  if (/\.objects\.\w+$|^self\.get_queryset$|^super\(\)\.get_queryset$/.test(text) && calls.every((c) => QS_METHODS.has(calleeName(c) ?? '') || c === calls[0])) return calls;
  // `qs.filter(...)` where qs is itself a queryset variable.
  if (rootObj?.type === 'identifier' && calls.every((c) => QS_METHODS.has(calleeName(c) ?? ''))) {
    const inner = querysetChain(rootObj, depth + 1);
    return inner ? [...inner, ...calls] : undefined;
  }
  return undefined;
}

function djangoOrder(calls: Node[]): { keys: OrderKey[]; call?: Node } {
  const call = [...calls].reverse().find((c) => calleeName(c) === 'order_by');
  if (!call) return { keys: [] };
  const keys = args(call).flatMap((a): OrderKey[] => {
    const s = a.type === 'string' ? a.namedChildren.find((c) => c?.type === 'string_content')?.text : undefined;
    if (!s) return [];
    return [{ column: s.replace(/^-/, ''), direction: s.startsWith('-') ? 'desc' : 'asc' }];
  });
  return { keys, call };
}

function sqlalchemyOrder(calls: Node[]): { keys: OrderKey[]; call?: Node } {
  const call = [...calls].reverse().find((c) => calleeName(c) === 'order_by');
  if (!call) return { keys: [] };
  const keys = args(call).flatMap((a): OrderKey[] => {
    let t = a.text.replace(/\s+/g, '');
    let direction: OrderKey['direction'] = 'asc';
    const fn = /^(desc|asc)\((.*)\)$/.exec(t);
    if (fn) [t, direction] = [fn[2], fn[1] as OrderKey['direction']];
    const m = /^(.*?)\.(desc|asc)\(\)$/.exec(t);
    if (m) [t, direction] = [m[1], m[2] as OrderKey['direction']];
    if (t.startsWith('-')) [t, direction] = [t.slice(1), 'desc'];
    const col = t.replace(/^["']|["']$/g, '').split('.').pop();
    return col && /^\w+$/.test(col) ? [{ column: col, direction }] : [];
  });
  return { keys, call };
}

function keysetFilterIn(calls: Node[], columns: Set<string>): boolean {
  return calls.some((c) => {
    const name = calleeName(c);
    if (name !== 'filter' && name !== 'where' && name !== 'exclude') return false;
    return args(c).some((a) => {
      if (a.type === 'keyword_argument') {
        const m = /^(\w+)__(gt|gte|lt|lte)$/.exec(field(a, 'name')?.text ?? '');
        return !!m && columns.has(m[1]);
      }
      return /(\w+)\s*[<>]=?/.test(a.text) && [...a.text.matchAll(/\.?(\w+)\s*\)?\s*[<>]=?/g)].some((m) => columns.has(m[1]));
    });
  });
}

function paramsOf(n: Node): PyQueryFact['params'] {
  const fn = enclosingFunction(n);
  const params = fn ? field(fn, 'parameters') : null;
  if (!fn || !params) return undefined;
  return { close: params.endIndex - 1, empty: params.namedChildren.length === 0, route: isRouteFunction(fn) };
}

function base(n: Node, orm: OrmId, model: string | undefined, operation: string): PyQueryFact {
  const text = n.text.replace(/\s*\n\s*/g, ' ');
  return { orm, model, operation, callee: text.length > 80 ? text.slice(0, 77) + '…' : text, start: n.startIndex, end: n.endIndex, style: 'slice', params: paramsOf(n) };
}

function pagination(kind: PaginationFact['kind'], offsetNode: Node, root: Node, orderBy: OrderKey[], limit: Node | undefined, calls: Node[], span: { start: number; end: number }): PaginationFact & { requestObject?: string } {
  const offset = pyValueFact(offsetNode, root);
  const cols = new Set([...orderBy.map((k) => k.column), 'id', 'pk']);
  const p: PaginationFact & { requestObject?: string } = { kind, offset, orderBy, hasCursor: false, hasKeysetFilter: keysetFilterIn(calls, cols), offsetSpan: span };
  if (offset.requestObject) p.requestObject = offset.requestObject;
  delete offset.requestObject;
  if (limit) p.limit = pyValueFact(limit, root);
  return p;
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
  const { keys, call } = djangoOrder(calls);
  const fact = base(n, 'django', model, 'slice');
  const open = n.children.find((c) => c?.type === '[')!;
  const p = pagination('slice', startNode, root, keys, endNode, calls, { start: open.startIndex, end: n.endIndex });
  fact.requestObject = p.requestObject;
  delete p.requestObject;
  fact.pagination = p;
  fact.baseEnd = value.endIndex;
  if (endNode) {
    const end = endNode.type === 'binary_operator' && field(endNode, 'left')?.text === startNode.text && /\+/.test(n.text) ? field(endNode, 'right')!.text : `(${endNode.text}) - (${startNode.text})`;
    fact.limitText = end;
  }
  // Only an order_by in the sliced expression itself can be extended in place.
  if (call && call.startIndex >= value.startIndex && call.endIndex <= value.endIndex) fact.orderCall = { close: call.endIndex - 1, hasArgs: args(call).length > 0, quote: call.text.includes('"') ? '"' : "'" };
  return fact;
}

function chainOrm(calls: Node[], orms: Set<OrmId>): { orm: OrmId; model?: string; legacy: boolean } | undefined {
  const first = calls[0];
  const fname = field(first, 'function')?.text ?? '';
  const firstArg = args(first)[0]?.text;
  if (/^(\w+\.)*query$/.test(fname) && /session|db|Session/.test(fname)) return { orm: orms.has('sqlmodel') ? 'sqlmodel' : 'sqlalchemy', model: firstArg, legacy: true };
  if (fname === 'select' || fname === 'sa.select' || fname === 'sqlalchemy.select') {
    if (orms.has('sqlmodel')) return { orm: 'sqlmodel', model: firstArg, legacy: false };
    if (orms.has('sqlalchemy')) return { orm: 'sqlalchemy', model: firstArg, legacy: false };
  }
  const m = /^(\w+)\.select$/.exec(fname);
  if (m && orms.has('peewee')) return { orm: 'peewee', model: m[1], legacy: false };
  if (/\.objects\./.test(fname)) return undefined;
  return undefined;
}

/** `.offset(x)` on a SQLAlchemy/SQLModel/Peewee query; Peewee `.paginate(page, n)`. */
export function fromCall(n: Node, root: Node, orms: Set<OrmId>): PyQueryFact | undefined {
  const name = calleeName(n);
  if (name !== 'offset' && name !== 'paginate') return undefined;
  const calls = chainCalls(n);
  if (calls.length < 2) return undefined;
  const kind = chainOrm(calls, orms);
  if (!kind) return undefined;
  const a = args(n);
  if (a.length === 0 || a[0].type === 'keyword_argument') return undefined;
  // The rest of the chain after .offset() is the same query (.limit(), .all()).
  let outer = n;
  const full = [...calls];
  while (outer.parent?.type === 'attribute' && outer.parent.parent?.type === 'call') {
    outer = outer.parent.parent;
    full.push(outer);
  }
  const { keys, call } = sqlalchemyOrder(full);
  const f = field(n, 'function')!;
  const dot = f.children.find((c) => c?.type === '.');
  const fact = base(outer, kind.orm, kind.model, name);
  fact.style = name === 'paginate' ? 'paginate' : 'offset-call';
  const limitCall = full.find((c) => calleeName(c) === 'limit');
  const p = pagination(name === 'paginate' ? 'peewee-paginate' : 'offset-call', a[0], root, keys, name === 'paginate' ? a[1] : limitCall ? args(limitCall)[0] : undefined, full, { start: dot?.startIndex ?? f.startIndex, end: n.endIndex });
  fact.requestObject = p.requestObject;
  delete p.requestObject;
  fact.pagination = p;
  fact.modelName = kind.model;
  fact.legacyQuery = kind.legacy;
  fact.baseEnd = field(f, 'object')!.endIndex;
  if (call) fact.orderCall = { close: call.endIndex - 1, hasArgs: args(call).length > 0, quote: "'" };
  return fact;
}

/** Django `Paginator(qs, n)` whose `.page(x)`/`.get_page(x)` takes a page that is not a constant. */
export function fromPaginator(n: Node, root: Node): PyQueryFact | undefined {
  if (calleeName(n) !== 'Paginator' || n.parent?.type !== 'assignment') return undefined;
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
  const fact = base(n, 'django', undefined, 'Paginator');
  fact.style = 'paginator';
  const p = pagination('paginator', pageArg, root, [], args(n)[1], [], { start: n.startIndex, end: n.endIndex });
  fact.requestObject = p.requestObject;
  delete p.requestObject;
  fact.pagination = p;
  return fact;
}

/** DRF `pagination_class = LimitOffsetPagination` (or PageNumberPagination): the page comes from the query string. */
export function fromPaginationClass(n: Node): PyQueryFact | undefined {
  if (n.type !== 'assignment' || field(n, 'left')?.text !== 'pagination_class') return undefined;
  const right = field(n, 'right');
  if (!right || !/(^|\.)(LimitOffsetPagination|PageNumberPagination)$/.test(right.text)) return undefined;
  const fact = base(n, 'django', undefined, 'pagination_class');
  fact.style = 'paginator';
  fact.pagination = {
    kind: 'paginator',
    offset: { start: right.startIndex, end: right.endIndex, text: right.text, origin: 'request', requestInputs: [/Limit/.test(right.text) ? 'offset' : 'page'] },
    orderBy: [],
    hasCursor: false,
    hasKeysetFilter: false,
    offsetSpan: { start: right.startIndex, end: right.endIndex },
  };
  return fact;
}

/**
 * A query without pagination: the outermost call of a Django queryset chain, a SQLAlchemy/SQLModel
 * `select()`/`session.query()` chain or a Peewee `Model.select()` chain. Later rules (N+1) need every
 * query, not only the paging ones.
 */
/** Variable names an expression reads (not attribute names). */
function identifiersIn(n: Node): string[] {
  const names: string[] = [];
  walk(n, (k) => {
    if (k.type === 'identifier' && !(k.parent?.type === 'attribute' && field(k.parent, 'attribute')?.id === k.id)) names.push(k.text);
  });
  return names;
}

export function fromQueryChain(n: Node, orms: Set<OrmId>): PyQueryFact | undefined {
  const parent = n.parent;
  if (parent?.type === 'attribute' && parent.parent?.type === 'call') return undefined;
  const calls = chainCalls(n);
  if (calls.length === 0 || calls[calls.length - 1] !== n) return undefined;
  // A paging chain is recorded where its .offset()/.paginate() is, with its pagination.
  if (calls.some((c) => /^(offset|paginate)$/.test(calleeName(c) ?? ''))) return undefined;
  const fname = field(calls[0], 'function')?.text ?? '';
  const django = /^(\w+)\.objects\.\w+$/.exec(fname);
  if (django || querysetChain(n)) {
    const fact = base(n, 'django', django?.[1], calleeName(n) ?? 'all');
    fact.style = 'query';
    const a = args(n);
    if (django && calls.length === 1 && calleeName(n) === 'get' && a.length === 1 && a[0].type === 'keyword_argument') {
      const key = field(a[0], 'value')!;
      fact.lookup = { field: field(a[0], 'name')!.text, key: { start: key.startIndex, end: key.endIndex, text: key.text }, names: identifiersIn(key) };
    }
    return fact;
  }
  // Single-row lookups: SQLAlchemy `session.get(User, id)`, Peewee `User.get(...)`/`get_by_id(...)`.
  const firstArg = args(calls[0])[0]?.text ?? '';
  if (/(^|\.)(session|db|s)\.get$/.test(fname) && /^[A-Z]\w*$/.test(firstArg) && (orms.has('sqlalchemy') || orms.has('sqlmodel'))) {
    const fact = base(n, orms.has('sqlmodel') ? 'sqlmodel' : 'sqlalchemy', firstArg, 'get');
    fact.style = 'query';
    const key = args(calls[0])[1];
    if (key && key.type !== 'keyword_argument' && args(calls[0]).length === 2) {
      fact.lookup = { field: 'id', key: { start: key.startIndex, end: key.endIndex, text: key.text }, names: identifiersIn(key), session: fname.slice(0, -'.get'.length) };
    }
    return fact;
  }
  // A model class (`User`), not a constant (`UDF_COLLECTION.get` is a dict's get).
  const peewee = /^([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)\.(get|get_by_id|get_or_none)$/.exec(fname);
  if (peewee && orms.has('peewee')) {
    const fact = base(n, 'peewee', peewee[1], peewee[2]);
    fact.style = 'query';
    return fact;
  }
  const kind = calls.length > 1 || /^(\w+\.)*(select|query)$/.test(fname) ? chainOrm(calls, orms) : undefined;
  if (!kind) return undefined;
  const fact = base(n, kind.orm, kind.model, calleeName(n) ?? 'select');
  fact.style = 'query';
  return fact;
}

/**
 * Offset pagination in query-builder chains: SQLAlchemy 2.0 `select(Post)…offset(x)`, legacy
 * `session.query(Post)…offset(x)`, Flask-SQLAlchemy `Post.query…offset(x)` / `.paginate(page=…)` /
 * `db.paginate(select(…), page=…)`, SQLModel (the same shapes), Peewee `Post.select()…offset(x)` and
 * `.paginate(page, n)`. A chain is a query only with evidence of its library (imports, `select()`,
 * `Model.query`), so `.offset()` on anything else is not one.
 */
import type { OrmId } from '../facts';
import { assignedBefore } from './item-access';
import { columnOrderKeys, lastOrderBy } from './ordering';
import { baseFact, setPagination, type PyQueryFact } from './query-fact';
import { args, calleeName, chainCalls, field, keywordArg, type Node } from './tree';

/** What the file says about its libraries. */
export interface OrmEvidence {
  orms: ReadonlySet<OrmId>;
  /** Flask is imported: `Model.query` is Flask-SQLAlchemy's query property. */
  flask: boolean;
  /**
   * Names bound to SQLAlchemy's write statements (`from sqlalchemy import update`, `insert as
   * pg_insert` from a dialect): local name → update, delete or insert. A bare `update(…)` is one
   * only then: the name is common.
   */
  sqlWrites?: ReadonlyMap<string, string>;
}

export interface ChainKind {
  orm: OrmId;
  model?: string;
  /** A legacy `Query` (filters with `.filter`) rather than a 2.0 `select()` (`.where`). */
  legacy: boolean;
}

const SELECT_CALLEES = new Set(['select', 'sa.select', 'sqlalchemy.select', 'sqlmodel.select']);
const SESSION_QUERY = /^(\w+\.)*query$/;
const SESSION_NAME = /session|db|Session/;
export const MODEL_NAME = /^[A-Z]\w*$/;

export function sqlalchemyOrm(orms: ReadonlySet<OrmId>): OrmId {
  return orms.has('sqlmodel') ? 'sqlmodel' : 'sqlalchemy';
}

/** `Post` from `Post`, `Post.id` (a column of it), `models.Post`. */
export function modelOf(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = field(n, 'object');
    const last = field(n, 'attribute')?.text ?? '';
    return MODEL_NAME.test(last) ? n.text : obj ? modelOf(obj) : undefined;
  }
  return undefined;
}

/**
 * Whether `id` names a class the module imports or defines (`from .models import Post`), not a
 * parameter or a local that happens to be capitalised.
 */
export function isModuleName(id: Node): boolean {
  return moduleBinding(id) !== undefined;
}

/**
 * What binds `id` at the top of its module: a class it defines (`{}`), or an import (`{ module }`:
 * `.models` for `from .models import Post`); undefined for anything else.
 */
export function moduleBinding(id: Node): { module?: string } | undefined {
  let root: Node | null = id;
  while (root?.parent) root = root.parent;
  for (const st of root?.namedChildren ?? []) {
    if (st?.type === 'import_from_statement' || st?.type === 'import_statement') {
      if (st.childrenForFieldName('name').some((n) => n && (n.type === 'aliased_import' ? field(n, 'alias')?.text : n.text) === id.text)) return { module: st.type === 'import_from_statement' ? field(st, 'module_name')?.text ?? '' : '' };
    } else if (st?.type === 'class_definition' && field(st, 'name')?.text === id.text) return {};
  }
  return undefined;
}

/** Which library a chain's first call belongs to, if the file gives evidence of it. */
export function chainKind(calls: readonly Node[], ev: OrmEvidence): ChainKind | undefined {
  const first = calls[0];
  if (!first) return undefined;
  const fn = field(first, 'function');
  const fname = fn?.text ?? '';
  const firstArg = args(first)[0];
  const sqla = ev.orms.has('sqlalchemy') || ev.orms.has('sqlmodel');
  if (SESSION_QUERY.test(fname) && fn?.type === 'attribute' && SESSION_NAME.test(fname) && firstArg && firstArg.type !== 'string') {
    return { orm: sqlalchemyOrm(ev.orms), model: modelOf(firstArg), legacy: true };
  }
  if (SELECT_CALLEES.has(fname) && sqla) return { orm: sqlalchemyOrm(ev.orms), model: modelOf(firstArg), legacy: false };
  // Flask-SQLAlchemy 3's `db.select(Model)`, `db` imported from the app: a Model argument and Flask say which.
  if (fname === 'db.select' && (sqla || ev.flask) && firstArg?.type === 'identifier' && MODEL_NAME.test(firstArg.text)) return { orm: 'sqlalchemy', model: firstArg.text, legacy: false };
  if (fn?.type === 'attribute') {
    const obj = field(fn, 'object');
    // Peewee: `Post.select()`.
    if (calleeName(first) === 'select' && obj?.type === 'identifier' && MODEL_NAME.test(obj.text) && ev.orms.has('peewee')) return { orm: 'peewee', model: obj.text, legacy: false };
    // Flask-SQLAlchemy: `Post.query.filter_by(…)`, `Post.query.paginate()`.
    for (let o: Node | null = obj; o; o = o.type === 'attribute' ? field(o, 'object') : null) {
      const base = o.type === 'attribute' ? field(o, 'object') : null;
      // Services often import only their models: `Model.query.<method>` is Flask-SQLAlchemy's own shape.
      if (o.type === 'attribute' && field(o, 'attribute')?.text === 'query' && base?.type === 'identifier' && MODEL_NAME.test(base.text) && (sqla || ev.flask || (o === obj && isModuleName(base)))) {
        return { orm: sqlalchemyOrm(ev.orms), model: base.text, legacy: true };
      }
    }
  }
  return undefined;
}

/** The innermost object of a chain (`stmt` in `stmt.offset(n).limit(m)`). */
function chainRoot(first: Node): Node | undefined {
  let f = field(first, 'function');
  if (f?.type !== 'attribute') return undefined;
  while (f && f.type === 'attribute') f = field(f, 'object');
  return f ?? undefined;
}

/**
 * A recognised chain, following the variable it starts from when needed
 * (`stmt = select(Post).order_by(…)` … `stmt.offset(skip)`).
 */
export function recognisedChain(expr: Node, ev: OrmEvidence, depth = 0): { calls: Node[]; kind: ChainKind } | undefined {
  const calls = chainCalls(expr);
  if (calls.length === 0) {
    if (expr.type !== 'identifier' || depth > 3) return undefined;
    const value = assignedBefore(expr);
    return value ? recognisedChain(value, ev, depth + 1) : undefined;
  }
  const kind = chainKind(calls, ev);
  if (kind) return { calls, kind };
  const root = chainRoot(calls[0]);
  if (root?.type !== 'identifier' || depth > 3) return undefined;
  const value = assignedBefore(root);
  const inner = value ? recognisedChain(value, ev, depth + 1) : undefined;
  return inner ? { calls: [...inner.calls, ...calls], kind: inner.kind } : undefined;
}

/** The calls that continue the chain after `n` (`.limit(20).all()` after `.offset(x)`). */
function outerCalls(n: Node): Node[] {
  const out: Node[] = [];
  for (let c = n; c.parent?.type === 'attribute' && c.parent.parent?.type === 'call'; ) {
    c = c.parent.parent;
    out.push(c);
  }
  return out;
}

/** The page argument of a `.paginate()`: Peewee `paginate(page, n)`, Flask-SQLAlchemy `paginate(page=…, per_page=…)`. */
function pageArguments(call: Node, statementArg: boolean): { page?: Node; size?: Node } {
  const positional = args(call).filter((a) => a.type !== 'keyword_argument').slice(statementArg ? 1 : 0);
  const page = keywordArg(call, 'page') ?? positional[0];
  const size = keywordArg(call, 'per_page') ?? keywordArg(call, 'paginate_by') ?? positional[1];
  return { page: page?.type === 'none' ? undefined : page, size };
}

function pagedFact(call: Node, outer: Node, chain: { calls: Node[]; kind: ChainKind }, root: Node, statementArg = false): PyQueryFact | undefined {
  const name = calleeName(call)!;
  const full = [...chain.calls, ...outerCalls(call)];
  const order = lastOrderBy(full);
  const keys = order ? columnOrderKeys(order) : [];
  const fn = field(call, 'function')!;
  const dot = fn.type === 'attribute' ? fn.children.find((c) => c?.type === '.') : undefined;
  const span = { start: dot?.startIndex ?? call.startIndex, end: call.endIndex };
  const fact = baseFact(outer, chain.kind.orm, chain.kind.model, name);
  fact.modelName = chain.kind.model;
  fact.legacyQuery = chain.kind.legacy;
  if (fn.type === 'attribute') fact.baseEnd = field(fn, 'object')!.endIndex;
  if (order) fact.orderCall = { close: order.endIndex - 1, hasArgs: args(order).length > 0, quote: "'" };
  if (name === 'offset') {
    const a = args(call);
    if (a.length !== 1 || a[0].type === 'keyword_argument') return undefined;
    const limitCall = full.find((c) => calleeName(c) === 'limit');
    fact.style = 'offset-call';
    setPagination(fact, 'offset-call', a[0], root, keys, limitCall ? args(limitCall)[0] : undefined, full, span);
    return fact;
  }
  fact.style = 'paginate';
  const { page, size } = pageArguments(call, statementArg);
  if (size) fact.limitText = size.text;
  if (page) {
    setPagination(fact, 'peewee-paginate', page, root, keys, size, full, span);
    return fact;
  }
  // Flask-SQLAlchemy reads the page from the query string (`?page=`) when none is given.
  if (chain.kind.orm === 'peewee') return undefined;
  const p = setPagination(fact, 'peewee-paginate', field(call, 'arguments')!, root, keys, size, full, span);
  p.offset = { start: call.startIndex, end: call.endIndex, text: 'page', origin: 'request', requestInputs: ['page'] };
  fact.requestObject = 'request.args';
  return fact;
}

/** `.offset(x)` / `.paginate(…)` on a recognised query chain; `db.paginate(select(…), page=…)`. */
export function fromOffsetCall(n: Node, root: Node, ev: OrmEvidence): PyQueryFact | undefined {
  const name = calleeName(n);
  if (name !== 'offset' && name !== 'paginate') return undefined;
  const fn = field(n, 'function');
  if (fn?.type !== 'attribute') return undefined;
  const chain = recognisedChain(n, ev);
  if (chain) return pagedFact(n, outerMost(n), chain, root);
  // Flask-SQLAlchemy 3: `db.paginate(select(Post)…, page=page, per_page=20)`.
  const first = args(n)[0];
  if (name !== 'paginate' || !first || first.type === 'keyword_argument') return undefined;
  const inner = recognisedChain(first, ev);
  if (!inner || inner.kind.legacy || inner.kind.orm === 'peewee') return undefined;
  const fact = pagedFact(n, n, inner, root, true);
  // The statement is an argument here: a keyset filter goes on it, not on `db`.
  if (fact) fact.baseEnd = undefined;
  return fact;
}

function outerMost(n: Node): Node {
  const outer = outerCalls(n);
  return outer[outer.length - 1] ?? n;
}

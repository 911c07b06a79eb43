/** The Python query fact (what the rules read) and the builders every ORM's recogniser shares. */
import type { Span } from '../../engine/finding';
import type { OrderKey, OrmId, PaginationFact, QueryFact } from '../facts';
import { hasKeysetFilter } from './ordering';
import { enclosingFunction, field, type Node } from './tree';
import { isRouteFunction, pyValueFact } from './values';

export interface PyQueryFact extends QueryFact {
  /** How the query pages, if it does: a Django slice, `.offset()`, `paginate`, a paginator class; `query` when it does not. */
  style: 'query' | 'slice' | 'offset-call' | 'paginate' | 'paginator';
  /** The request object the page was read from (`request.GET`), to read the cursor from. */
  requestObject?: string;
  /** Where the queryset expression being sliced or chained ends (insert `.filter(…)` there). */
  baseEnd?: number;
  /** The text of the page size (`20` in `[start:start + 20]`, in `.paginate(page, 20)`). */
  limitText?: string;
  /** The last `order_by(…)` call: the offset of its closing parenthesis and whether it has arguments. */
  orderCall?: { close: number; hasArgs: boolean; quote: string };
  /** SQLAlchemy/SQLModel/Peewee model whose columns the keyset compares (`Post`). */
  modelName?: string;
  /** SQLAlchemy legacy `Query` (session.query(), Flask-SQLAlchemy `Model.query`) filters with `.filter`, 2.0 `select()` with `.where`. */
  legacyQuery?: boolean;
  /**
   * `Model.objects.get(field=key)`: a single-row lookup that a batch (`in_bulk`) can replace. For a
   * SQLAlchemy `session.get`: the session, whether it is an `AsyncSession`, and where the `await`
   * of the call starts when it is awaited.
   */
  lookup?: { field: string; key: { start: number; end: number; text: string }; names: string[]; session?: string; asyncSession?: boolean; awaitStart?: number };
  /**
   * Django `Model.objects.filter(key=value, …).count()` or `.aggregate(name=Avg(…), …)`: the
   * model, each filter (its value's text and the names it reads) and the aggregates, from which
   * one grouped query over all the items is written.
   */
  grouping?: { model: string; filters: Array<{ name: string; value: string; names: string[] }>; aggregates?: string };
  /** The enclosing function's parameter list: where a cursor parameter can be added. */
  params?: { close: number; empty: boolean; route: boolean };
  /** A session's `commit()`: the session, whose adds in the same loop the commit writes per item. */
  session?: string;
  /** DRF: the view class whose `pagination_class` is set, and where a new class can go before it. */
  viewClass?: { name: string; start: number; indent: string };
}

export function paramsOf(n: Node): PyQueryFact['params'] {
  const fn = enclosingFunction(n);
  const params = fn ? field(fn, 'parameters') : null;
  if (!fn || !params) return undefined;
  return { close: params.endIndex - 1, empty: params.namedChildren.length === 0, route: isRouteFunction(fn) };
}

export function baseFact(n: Node, orm: OrmId, model: string | undefined, operation: string): PyQueryFact {
  const text = n.text.replace(/\s*\n\s*/g, ' ');
  return { orm, model, operation, callee: text.length > 80 ? text.slice(0, 77) + '…' : text, start: n.startIndex, end: n.endIndex, style: 'slice', params: paramsOf(n) };
}

/**
 * Fills `fact.pagination` from the offset (or page) expression, the ordering and the chain's
 * filters; the request object the offset came from goes on the fact, for the cursor.
 */
export function setPagination(fact: PyQueryFact, kind: PaginationFact['kind'], offsetNode: Node, root: Node, orderBy: OrderKey[], limit: Node | undefined, calls: readonly Node[], span: Span): PaginationFact {
  const { requestObject, ...offset } = pyValueFact(offsetNode, root);
  const columns = new Set([...orderBy.map((k) => k.column), 'id', 'pk']);
  const p: PaginationFact = { kind, offset, orderBy, hasCursor: false, hasKeysetFilter: hasKeysetFilter(calls, columns), offsetSpan: span };
  if (limit) {
    const limitFact = pyValueFact(limit, root);
    delete limitFact.requestObject;
    p.limit = limitFact;
  }
  fact.pagination = p;
  if (requestObject) fact.requestObject = requestObject;
  return p;
}

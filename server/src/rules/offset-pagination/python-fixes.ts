/**
 * The keyset rewrite of a Python query (unsafe: page boundaries change). Django slices get a
 * `Q` filter on the ordering plus `id`; SQLAlchemy/SQLModel `.offset()` becomes a `.where()` on the
 * same columns, Peewee `.offset()`/`.paginate()` a `.where()` and `.limit()`. The cursor is
 * optional, so the first page still works. A DRF view's offset pagination class becomes a
 * `CursorPagination` subclass.
 */
import type { Edit, Fix } from '../../engine/finding';
import type { OrderKey } from '../../languages/facts';
import type { PyFacts } from '../../languages/python/adapter';
import { ensureImport } from '../../languages/python/edits';
import type { PyQueryFact } from '../../languages/python/queries';

interface Cursor {
  values: string[];
  edits: Edit[];
}

function cursorNames(keys: readonly OrderKey[]): string[] {
  return keys.length === 1 ? ['after'] : keys.map((k) => `after_${k.column}`);
}

/**
 * Where the cursor's values come from: the request the offset was read from (`request.GET.get(
 * "after")`), or else new optional parameters of the enclosing function.
 */
export function cursorFor(from: { requestObject?: string; params?: PyQueryFact['params'] }, keys: readonly OrderKey[], text: string): Cursor | undefined {
  const names = cursorNames(keys);
  const { requestObject, params } = from;
  if (requestObject) {
    // Werkzeug's MultiDict (Flask `request.args`) converts; Django's QueryDict leaves it to the field.
    const werkzeug = /\.(args|form|values)$/.test(requestObject);
    return { values: names.map((n, i) => `${requestObject}.get("${n}"${werkzeug && /(^|_)id$/.test(keys[i].column) ? ', type=int' : ''})`), edits: [] };
  }
  if (!params) return undefined;
  const decls = names.map((n, i) => (params.route ? `${n}: ${/(^|_)id$/.test(keys[i].column) ? 'int' : 'str'} | None = None` : `${n}=None`));
  const before = text.slice(0, params.close).trimEnd();
  const sep = params.empty || before.endsWith(',') || before.endsWith('(') ? '' : ', ';
  return { values: names, edits: [{ start: params.close, end: params.close, newText: sep + decls.join(', ') }] };
}

function djangoFix(q: PyQueryFact, keys: readonly OrderKey[], cursor: Cursor, facts: PyFacts): Edit[] {
  const lookup = (k: OrderKey) => (k.direction === 'desc' ? 'lt' : 'gt');
  const v = cursor.values;
  const cond = keys.length === 1
    ? `Q(${keys[0].column}__${lookup(keys[0])}=${v[0]})`
    : '(' + keys.map((k, i) => `Q(${[...keys.slice(0, i).map((e, j) => `${e.column}=${v[j]}`), `${k.column}__${lookup(k)}=${v[i]}`].join(', ')})`).join(' | ') + ')';
  const edits: Edit[] = [];
  let prefix = '';
  const p = q.pagination!;
  if (keys.length > p.orderBy.length) {
    const tie = keys[keys.length - 1];
    const quote = q.orderCall?.quote ?? "'";
    const arg = `${quote}${tie.direction === 'desc' ? '-' : ''}${tie.column}${quote}`;
    if (q.orderCall) edits.push({ start: q.orderCall.close, end: q.orderCall.close, newText: q.orderCall.hasArgs ? `, ${arg}` : arg });
    else prefix = `.order_by(${arg})`;
  }
  const slice = q.limitText ? `[:${q.limitText}]` : '';
  edits.push({ start: q.baseEnd!, end: p.offsetSpan.end, newText: `${prefix}.filter(${cond} if ${v[v.length - 1]} is not None else Q())${slice}` });
  edits.push(...ensureImport(facts, 'django.db.models', 'Q'));
  return edits;
}

function sqlalchemyFix(q: PyQueryFact, keys: readonly OrderKey[], cursor: Cursor, facts: PyFacts): Edit[] | undefined {
  const model = q.modelName;
  if (!model || !/^\w+$/.test(model)) return undefined;
  // A row comparison needs one direction for every key.
  if (keys.some((k) => k.direction !== keys[0].direction)) return undefined;
  const op = keys[0].direction === 'desc' ? '<' : '>';
  const v = cursor.values;
  const cond = keys.length === 1 ? `${model}.${keys[0].column} ${op} ${v[0]}` : `tuple_(${keys.map((k) => `${model}.${k.column}`).join(', ')}) ${op} tuple_(${v.join(', ')})`;
  const method = q.legacyQuery ? 'filter' : 'where';
  const edits: Edit[] = [];
  const prefix = tieBreak(q, keys, model, edits);
  const p = q.pagination!;
  // `.where()` with no criteria is a no-op: the first page (no cursor) reads from the start.
  edits.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, newText: `${prefix}.${method}(*([${cond}] if ${v[v.length - 1]} is not None else []))` });
  if (keys.length > 1) edits.push(...ensureImport(facts, q.orm === 'sqlmodel' ? 'sqlmodel' : 'sqlalchemy', 'tuple_'));
  return edits;
}

/** The tie-breaker added to the ordering: in the existing `order_by(…)`, or a new one before the filter. */
function tieBreak(q: PyQueryFact, keys: readonly OrderKey[], model: string, edits: Edit[]): string {
  if (keys.length <= q.pagination!.orderBy.length) return '';
  const tie = keys[keys.length - 1];
  const arg = `${model}.${tie.column}${tie.direction === 'desc' ? '.desc()' : ''}`;
  if (!q.orderCall) return `.order_by(${arg})`;
  edits.push({ start: q.orderCall.close, end: q.orderCall.close, newText: q.orderCall.hasArgs ? `, ${arg}` : arg });
  return '';
}

function peeweeFix(q: PyQueryFact, keys: readonly OrderKey[], cursor: Cursor, facts: PyFacts): Edit[] | undefined {
  const model = q.modelName;
  if (!model || !/^\w+$/.test(model) || keys.some((k) => k.direction !== keys[0].direction)) return undefined;
  const op = keys[0].direction === 'desc' ? '<' : '>';
  const v = cursor.values;
  const cond = keys.length === 1 ? `${model}.${keys[0].column} ${op} ${v[0]}` : `Tuple(${keys.map((k) => `${model}.${k.column}`).join(', ')}) ${op} Tuple(${v.join(', ')})`;
  const edits: Edit[] = [];
  const prefix = tieBreak(q, keys, model, edits);
  // Peewee's where() needs an expression: `True` keeps every row on the first page.
  const limit = q.style === 'paginate' ? `.limit(${q.limitText ?? '20'})` : '';
  const span = q.pagination!.offsetSpan;
  edits.push({ start: span.start, end: span.end, newText: `${prefix}.where((${cond}) if ${v[v.length - 1]} is not None else True)${limit}` });
  if (keys.length > 1) edits.push(...ensureImport(facts, 'peewee', 'Tuple'));
  return edits;
}

/**
 * DRF: `pagination_class = LimitOffsetPagination` → a `CursorPagination` subclass ordered by `-id`
 * (unique and indexed; the cursor encodes the last id), declared before the view.
 */
export function drfCursorFix(q: PyQueryFact, facts: PyFacts): Fix | undefined {
  const view = q.viewClass;
  if (!view) return undefined;
  const name = `${view.name}CursorPagination`;
  const gap = view.indent ? '\n' : '\n\n';
  const span = q.pagination!.offsetSpan;
  const edits: Edit[] = [
    ...ensureImport(facts, 'rest_framework.pagination', 'CursorPagination'),
    { start: view.start, end: view.start, newText: `${view.indent}class ${name}(CursorPagination):\n${view.indent}    ordering = "-id"\n${gap}` },
    { start: span.start, end: span.end, newText: name },
  ];
  return { title: 'Use CursorPagination (keyset) ordered by -id', applicability: 'unsafe', edits: edits.sort((a, b) => a.start - b.start) };
}

export function pythonKeysetFix(q: PyQueryFact, keys: readonly OrderKey[], facts: PyFacts, text: string): Fix | undefined {
  // Flask-SQLAlchemy's paginate() returns a Pagination object (pages, total): no drop-in keyset form.
  if (q.style === 'paginate' && q.orm !== 'peewee') return undefined;
  // `db.paginate(select(…))`: the statement is an argument, not the chain being edited.
  if (q.baseEnd === undefined) return undefined;
  const cursor = cursorFor(q, keys, text);
  if (!cursor) return undefined;
  const edits = q.orm === 'peewee' ? peeweeFix(q, keys, cursor, facts) : q.style === 'slice' ? djangoFix(q, keys, cursor, facts) : sqlalchemyFix(q, keys, cursor, facts);
  if (!edits) return undefined;
  const cols = keys.map((k) => k.column).join(', ');
  return { title: `Rewrite to keyset pagination on (${cols})`, applicability: 'unsafe', edits: [...edits, ...cursor.edits].sort((a, b) => a.start - b.start) };
}

/**
 * Reads on request paths that return every row of a table, in Python (unbounded-result-set):
 * a Django or Peewee queryset that the view evaluates whole (iterates it, lists it, serializes it
 * with `many=True`, hands it to a template) and a SQLAlchemy/SQLModel statement whose rows are
 * all fetched (`.all()`, `.fetchall()`), with no limit, no slice, no paginator, and filters that read
 * nothing of the request or of the function (constants only, or none). A queryset the view returns
 * (`get_queryset`), passes on, or refines further is left alone: what happens to it is elsewhere.
 */
import type { EffectHelperFact, UnboundedReadFact } from '../facts';
import { assignedBefore } from './item-access';
import type { PyFacts } from './adapter';
import { ensureImport } from './edits';
import type { PyReach } from './handlers';
import { requestPathOf } from './handlers';
import { MODEL_NAME, recognisedChain, sqlalchemyOrm, type OrmEvidence } from './offset-calls';
import type { PyQueryFact } from './query-fact';
import { args, calleeName, chainCalls, field, moduleFunction, nodesOfType, walk, type Node } from './tree';

/** The cap the fix writes: a page's worth for a list view. */
const ROW_CAP = 100;

/** Queryset methods that shape rows without choosing them: a request value there does not bound the result. */
const SHAPING = /^(order_by|select_related|prefetch_related|only|defer|values|values_list|annotate|using|distinct|reverse|options|join|outerjoin|joinedload|selectinload|subqueryload|scalars|unique|mappings|tuples|dicts|objects|namedtuples|execution_options|add_columns|with_entities|all|fetchall|execute|exec)$/;
/** Calls that bound a chain: a limit, a page, one row, a count or an aggregate. */
const BOUNDED = /^(limit|offset|slice|paginate|first|one|one_or_none|scalar|scalar_one|scalar_one_or_none|get|get_or_none|get_or_404|first_or_404|one_or_404|count|exists|aggregate|in_bulk|latest|earliest|iterator|yield_per|group_by|having|fetchone|fetchmany|partitions|chunked)$/;
/** Django's chain methods that make a queryset of rows (the outermost call of a fact). */
const DJANGO_ROWS = /^(all|filter|exclude|order_by|select_related|prefetch_related|annotate|values|values_list|distinct|only|defer|alias|using|reverse)$/;
/** Calls that evaluate a queryset they are given whole. */
const EVALUATES = /^(list|tuple|set|sorted|len|serialize|model_to_dict_list)$/;
/** Calls that render a template with a context (the template iterates what it is given). */
const RENDERS = /^(render|render_to_response|render_to_string|TemplateResponse|render_template)$/;

/** Names a function binds: parameters, assignment targets, loop variables, `with … as`, imports. */
function boundNames(fn: Node): Set<string> {
  const names = new Set<string>();
  const targets = (t: Node | null): void => {
    if (!t) return;
    if (t.type === 'identifier') names.add(t.text);
    else if (/^(pattern_list|tuple_pattern|list_pattern|tuple|list|list_splat_pattern|parenthesized_expression)$/.test(t.type)) for (const k of t.namedChildren) targets(k);
  };
  for (const p of field(fn, 'parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') names.add(p.text);
    else targets(field(p, 'name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null);
  }
  walk(field(fn, 'body') ?? fn, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') targets(field(n, 'left'));
    else if (n.type === 'for_statement') targets(field(n, 'left'));
    else if (n.type === 'as_pattern') targets(n.namedChildren[n.namedChildren.length - 1] ?? null);
    else if (n.type === 'named_expression') targets(field(n, 'name'));
    return undefined;
  });
  return names;
}

/** Whether `expr` reads a name the functions around `at` bind (a request's value, or one made from it). */
function readsFunctionValue(expr: Node, at: Node, locals: (fn: Node) => Set<string>): boolean {
  const fns: Node[] = [];
  for (let p = at.parent; p; p = p.parent) if (p.type === 'function_definition') fns.push(p);
  let found = false;
  walk(expr, (k) => {
    if (found) return false;
    // A lambda's or comprehension's own names are not the function's.
    if (k.type === 'lambda') return false;
    if (k.type !== 'identifier') return undefined;
    const p = k.parent;
    if (p?.type === 'attribute' && field(p, 'attribute')?.id === k.id) return undefined;
    if (p?.type === 'keyword_argument' && field(p, 'name')?.id === k.id) return undefined;
    if (k.text === 'self' || k.text === 'cls' || fns.some((fn) => locals(fn).has(k.text))) found = true;
    return undefined;
  });
  return found;
}

/** The node around `n` that its value is used from: outside parentheses. */
function outer(n: Node): Node {
  let e = n;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  return e;
}

type Use = 'evaluated' | 'bounded' | 'other';

/**
 * What the code does with a queryset expression: evaluates it whole (iterates, lists, serializes
 * with `many=True`, renders it), bounds it (slices it, pages it), or something else (returns it,
 * refines it, passes it on). A variable's uses are all looked at: every one must evaluate it.
 */
function useOf(e: Node, depth = 0): Use {
  const n = outer(e);
  const p = n.parent;
  if (!p) return 'other';
  switch (p.type) {
    case 'subscript':
      return field(p, 'value')?.id === n.id ? 'bounded' : 'other';
    case 'for_statement':
      return field(p, 'right')?.id === n.id ? 'evaluated' : 'other';
    case 'for_in_clause': {
      if (field(p, 'right')?.id !== n.id) return 'other';
      // `[(c.pk, c.name) for c in Category.objects.all()]`: a form's choices, from a lookup table a select box shows whole.
      const body = p.parent?.type === 'list_comprehension' ? field(p.parent, 'body') : undefined;
      return body?.type === 'tuple' && body.namedChildren.length === 2 ? 'other' : 'evaluated';
    }
    case 'argument_list': {
      const call = p.parent!;
      const name = calleeName(call) ?? '';
      if (name === 'Paginator' || /paginate/i.test(name)) return 'bounded';
      if (EVALUATES.test(name)) return 'evaluated';
      // `PostSerializer(posts, many=True)`.
      if (/Serializer$/.test(name) && args(call).some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'many' && field(a, 'value')?.text === 'True')) return 'evaluated';
      return 'other';
    }
    case 'pair': {
      // `render(request, 'posts.html', {'posts': posts})`: the template iterates it.
      const dict = p.parent;
      const call = dict?.parent?.type === 'argument_list' ? dict.parent.parent : undefined;
      return field(p, 'value')?.id === n.id && call && RENDERS.test(calleeName(call) ?? '') ? 'evaluated' : 'other';
    }
    case 'keyword_argument': {
      // `render_template('posts.html', posts=posts)`.
      const call = p.parent?.parent;
      return field(p, 'value')?.id === n.id && call && RENDERS.test(calleeName(call) ?? '') ? 'evaluated' : 'other';
    }
    case 'assignment': {
      const left = field(p, 'left');
      if (depth > 0 || field(p, 'right')?.id !== n.id || left?.type !== 'identifier') return 'other';
      const fn = enclosing(p);
      if (!fn) return 'other';
      const uses: Node[] = [];
      walk(fn, (k) => {
        if (k.startIndex < p.endIndex) return k.endIndex > p.endIndex ? undefined : false;
        if (k.type === 'identifier' && k.text === left.text && !(k.parent?.type === 'attribute' && field(k.parent, 'attribute')?.id === k.id) && !(k.parent?.type === 'keyword_argument' && field(k.parent, 'name')?.id === k.id)) uses.push(k);
        return undefined;
      });
      if (uses.length === 0) return 'other';
      const kinds = uses.map((u) => useOf(u, depth + 1));
      return kinds.every((k) => k === 'evaluated') ? 'evaluated' : kinds.includes('bounded') ? 'bounded' : 'other';
    }
    default:
      return 'other';
  }
}

function enclosing(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

/** The call node of a query fact. */
function callAt(root: Node, q: PyQueryFact): Node | undefined {
  let n: Node | null = root.descendantForIndex(q.start, q.end);
  while (n && n.type !== 'call' && n.startIndex === q.start && n.endIndex === q.end) n = n.parent;
  return n?.type === 'call' && n.startIndex === q.start && n.endIndex === q.end ? n : undefined;
}

/** Whether the chain's calls bound it, or read a value of the function in what chooses its rows; else whether it filters at all. */
function chooses(calls: readonly Node[], at: Node, locals: (fn: Node) => Set<string>): 'none' | 'constant' | undefined {
  let filter: 'none' | 'constant' = 'none';
  for (const c of calls) {
    const name = calleeName(c) ?? '';
    if (BOUNDED.test(name)) return undefined;
    if (SHAPING.test(name)) continue;
    const list = args(c);
    if (list.some((a) => readsFunctionValue(a, at, locals))) return undefined;
    if (/^(filter|filter_by|exclude|where)$/.test(name) && list.length) filter = 'constant';
  }
  return filter;
}

/** The statement a SQLAlchemy/SQLModel fetch reads: `session.execute(stmt)…all()`, `session.scalars(stmt).all()`, `session.query(M)….all()`. */
function fetchedStatement(fetch: Node, ev: OrmEvidence): { calls: Node[]; legacy: boolean; orm: UnboundedReadFact['orm']; model?: string; capAt: number } | undefined {
  const receiver = field(field(fetch, 'function')!, 'object');
  if (!receiver) return undefined;
  // Down through `.scalars()`, `.unique()`, `(await …)` to the call that runs the statement.
  let e: Node | null = receiver;
  for (let i = 0; e && i < 6; i++) {
    if (e.type === 'parenthesized_expression' || e.type === 'await') e = e.namedChildren[0] ?? null;
    // `result = await session.execute(stmt)` … `result.scalars().all()`.
    else if (e.type === 'identifier') e = assignedBefore(e) ?? null;
    else if (e.type === 'call' && /^(scalars|unique|mappings|tuples)$/.test(calleeName(e) ?? '') && args(e).length === 0) e = field(field(e, 'function')!, 'object');
    else break;
  }
  if (!e) return undefined;
  const runner = calleeName(e) ?? '';
  if (e.type === 'call' && /^(execute|scalars|exec)$/.test(runner) && field(e, 'function')?.type === 'attribute') {
    const stmt = args(e)[0];
    if (!stmt || stmt.type === 'string' || stmt.type === 'keyword_argument') return undefined;
    const chain = recognisedChain(stmt, ev);
    if (!chain || chain.kind.legacy) return undefined;
    const last = chain.calls[chain.calls.length - 1];
    return { calls: chain.calls, legacy: false, orm: chain.kind.orm, model: chain.kind.model, capAt: last.endIndex };
  }
  // Flask-SQLAlchemy's `Post.query.all()`: the query property, no call before the fetch.
  if (e.type === 'attribute' && field(e, 'attribute')?.text === 'query' && field(e, 'object')?.type === 'identifier' && MODEL_NAME.test(field(e, 'object')!.text) && (ev.flask || ev.orms.has('sqlalchemy'))) {
    return { calls: [], legacy: true, orm: sqlalchemyOrm(ev.orms), model: field(e, 'object')!.text, capAt: e.endIndex };
  }
  if (e.type !== 'call') return undefined;
  const chain = recognisedChain(e, ev);
  if (!chain || !chain.kind.legacy) return undefined;
  return { calls: chain.calls, legacy: true, orm: chain.kind.orm, model: chain.kind.model, capAt: e.endIndex };
}

/** The reads on request paths of this module that return every row their constants match. */
/** A module-level function's read of every row, as an effect other modules' request paths may call (unbounded-result-set across files). */
export type ReadEffect = { call: Node; effect: EffectHelperFact };

/**
 * The reads of this module that return every row their constants match: those on its request
 * paths as facts, and those in its other module-level functions as effects (a view of another
 * module that calls `services.all_posts()` is told at the call).
 */
export function unboundedReads(root: Node, facts: PyFacts, reach: ReadonlyMap<number, PyReach>, ev: OrmEvidence): { reads: UnboundedReadFact[]; effects: ReadEffect[] } {
  const queries = facts.queries;
  const localsByFn = new Map<number, Set<string>>();
  const locals = (fn: Node): Set<string> => {
    let s = localsByFn.get(fn.id);
    if (!s) localsByFn.set(fn.id, (s = boundNames(fn)));
    return s;
  };
  const out = ev.orms.has('django') ? [...listViews(root, locals), ...drfListViews(root, facts, locals)] : [];
  const effects: ReadEffect[] = [];
  // Where a read is looked at: on a request path of this module, or in a module-level function (a helper other modules may call).
  const inScope = (at: Node): boolean => !!requestPathOf(at, reach) || !!moduleFunction(at);
  const add = (at: Node, start: number, end: number, orm: UnboundedReadFact['orm'], model: string | undefined, callee: string, filter: 'none' | 'constant', cap: UnboundedReadFact['cap']): void => {
    const path = requestPathOf(at, reach);
    if (path) out.push({ start, end, orm, model, callee, filter, handler: path.reach.handler.fact, chain: path.reach.chain, ...(cap ? { cap } : {}) });
    else effects.push({ call: at, effect: { name: '', chain: [], kind: 'unbounded-read', api: callee, read: { orm, model, filter } } });
  };
  // Django and Peewee querysets the request path evaluates whole.
  for (const q of queries) {
    if (q.write || q.loop || q.pagination) continue;
    // Raw SQL a client runs (`cursor.execute("SELECT …")`): the statement says whether it reads every row.
    if (q.orm === 'sql') {
      const st = facts.sql.find((x) => x.start >= q.start && x.end <= q.end && x.host === 'string');
      const call = st?.everyRow ? callAt(root, q) : undefined;
      if (!st?.everyRow || !call || !inScope(call)) continue;
      const at = st.everyRow.limitAt;
      const text = `LIMIT ${ROW_CAP}`;
      add(call, q.start, q.end, 'sql', q.model ?? st.tables[0], field(call, 'function')?.text ?? q.callee, st.everyRow.filter, at === undefined ? undefined : { edits: [{ start: at, end: at, newText: ` ${text}` }], text });
      continue;
    }
    if (q.style !== 'query') continue;
    if (!(q.orm === 'django' && DJANGO_ROWS.test(q.operation)) && !(q.orm === 'peewee' && !BOUNDED.test(q.operation))) continue;
    const call = callAt(root, q);
    if (!call || !inScope(call)) continue;
    if (useOf(call) !== 'evaluated') continue;
    const calls = chainCalls(call);
    if (q.orm === 'peewee' && calleeName(calls[0]) !== 'select') continue;
    const filter = chooses(q.orm === 'django' ? calls : calls.slice(1), call, locals);
    if (!filter) continue;
    const cap = q.orm === 'django' ? `[:${ROW_CAP}]` : `.limit(${ROW_CAP})`;
    const callee = (field(calls[0], 'function')?.text ?? q.callee).replace(/\s+/g, '');
    add(call, q.start, q.end, q.orm, q.model, callee, filter, { edits: [{ start: call.endIndex, end: call.endIndex, newText: cap }], text: cap });
  }
  // SQLAlchemy/SQLModel statements whose rows are all fetched.
  if (ev.orms.has('sqlalchemy') || ev.orms.has('sqlmodel') || ev.flask) {
    for (const n of nodesOfType(root, 'call')) {
      if (!/^(all|fetchall)$/.test(calleeName(n) ?? '') || args(n).length > 0 || field(n, 'function')?.type !== 'attribute') continue;
      if (!inScope(n)) continue;
      const stmt = fetchedStatement(n, ev);
      if (!stmt) continue;
      // The select's own call (`select(Post)`, `session.query(Post)`) names what is read; a value of the function there (`select(*columns)`) may be anything.
      const first = stmt.calls[0] as Node | undefined;
      const selects = first && /^(select|query)$/.test(calleeName(first) ?? '');
      const filter = chooses(selects ? stmt.calls.slice(1) : stmt.calls, n, locals);
      if (!filter || (selects && args(first).some((a) => readsFunctionValue(a, n, locals)))) continue;
      const cap = `.limit(${ROW_CAP})`;
      const callee = first ? `${(field(first, 'function')?.text ?? 'select').replace(/\s+/g, '')}(${selects ? args(first).map((a) => a.text).join(', ') : '…'})` : `${stmt.model}.query`;
      add(n, n.startIndex, n.endIndex, stmt.orm, stmt.model, callee.length > 60 ? callee.slice(0, 57) + '…' : callee, filter, { edits: [{ start: stmt.capAt, end: stmt.capAt, newText: cap }], text: cap });
    }
  }
  return { reads: out, effects };
}

/** Django's list views: `ListView` and the generic views made from `MultipleObjectMixin`. */
const LIST_VIEW_BASE = /(^|[\s,.(])(ListView|BaseListView|MultipleObjectMixin|ArchiveIndexView)\b/;

/** What a view class's body says: its attributes (`name = value`), and whether it defines one of `methods`. */
function classBody(cls: Node, methods: RegExp): { attrs: Map<string, { assign: Node; value: Node | null }>; overrides: boolean } {
  const attrs = new Map<string, { assign: Node; value: Node | null }>();
  let overrides = false;
  for (const st of field(cls, 'body')?.namedChildren ?? []) {
    const def = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
    if (def?.type === 'function_definition' && methods.test(field(def, 'name')?.text ?? '')) overrides = true;
    const assign = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    const name = assign?.type === 'assignment' ? field(assign, 'left')?.text : undefined;
    if (assign && name) attrs.set(name, { assign, value: field(assign, 'right') });
  }
  return { attrs, overrides };
}

/** The indentation of the line a node starts on, up to the node. */
function indentOf(root: Node, n: Node): string {
  return root.text.slice(n.startIndex - n.startPosition.column, n.startIndex);
}

/** A class attribute `queryset = Model.objects…` that chooses its rows by constants only: the model and the filter. */
function constantQueryset(value: Node | null | undefined, locals: (fn: Node) => Set<string>): { model?: string; filter: 'none' | 'constant' } | undefined {
  if (value?.type !== 'call') return undefined;
  const filter = chooses(chainCalls(value), value, locals);
  return filter && { model: /^(\w+)\.objects\b/.exec(value.text)?.[1], filter };
}

/**
 * A Django `ListView` with a `model` or a `queryset` and no `paginate_by`: it renders every row
 * (`object_list`). One that overrides `get_queryset` or `get_paginate_by`, or sets `paginate_by`
 * (even to None, on purpose), is left alone.
 */
function listViews(root: Node, locals: (fn: Node) => Set<string>): UnboundedReadFact[] {
  const out: UnboundedReadFact[] = [];
  for (const cls of nodesOfType(root, 'class_definition')) {
    if (!LIST_VIEW_BASE.test(field(cls, 'superclasses')?.text ?? '')) continue;
    const { attrs, overrides } = classBody(cls, /^(get_queryset|get_paginate_by|paginate_queryset)$/);
    if (overrides || attrs.has('paginate_by')) continue;
    const queryset = attrs.get('queryset');
    const model = attrs.get('model');
    const source = queryset ? constantQueryset(queryset.value, locals) : model?.value?.type === 'identifier' ? { model: model.value.text, filter: 'none' as const } : undefined;
    const assign = (queryset ?? model)?.assign;
    if (!source || !assign) continue;
    const statement = assign.parent!;
    const name = field(cls, 'name')?.text ?? 'view';
    const handler = { start: cls.startIndex, end: cls.endIndex, framework: 'django', name, async: false };
    const text = `paginate_by = ${ROW_CAP}`;
    out.push({
      start: assign.startIndex, end: assign.endIndex, orm: 'django', model: source.model, callee: name, filter: source.filter, handler, chain: [name], listView: true,
      cap: { edits: [{ start: statement.endIndex, end: statement.endIndex, newText: `\n${indentOf(root, statement)}${text}` }], text, title: `Page the list: \`${text}\`` },
    });
  }
  return out;
}

/** DRF's generic views and viewsets that list a queryset (their `list` pages it only with a pagination class). */
const DRF_LIST_BASE = /(^|[\s,.(])(ListAPIView|ListCreateAPIView|ModelViewSet|ReadOnlyModelViewSet|ListModelMixin)\b/;

/**
 * A DRF list view (`ListAPIView`, `ModelViewSet`…) with a constant `queryset` and no
 * `pagination_class`: it serializes every row unless the project's settings set a default
 * pagination class (the rule asks the workspace: UnboundedReadFact.drfList). One that overrides
 * `get_queryset`, `list` or `paginate_queryset` is left alone.
 */
function drfListViews(root: Node, facts: PyFacts, locals: (fn: Node) => Set<string>): UnboundedReadFact[] {
  const out: UnboundedReadFact[] = [];
  for (const cls of nodesOfType(root, 'class_definition')) {
    if (!DRF_LIST_BASE.test(field(cls, 'superclasses')?.text ?? '')) continue;
    const { attrs, overrides } = classBody(cls, /^(get_queryset|list|paginate_queryset)$/);
    const queryset = attrs.get('queryset');
    const source = queryset && constantQueryset(queryset.value, locals);
    if (overrides || attrs.has('pagination_class') || !queryset || !source?.model) continue;
    const name = field(cls, 'name')?.text ?? 'view';
    // The class, decorated or not, starts the block the pagination class goes before.
    const classStatement = cls.parent?.type === 'decorated_definition' ? cls.parent : cls;
    const indent = indentOf(root, classStatement);
    const statement = queryset.assign.parent!;
    const pagination = `${name}Pagination`;
    const gap = indent ? '\n' : '\n\n';
    const edits = [
      ...ensureImport(facts, 'rest_framework.pagination', 'CursorPagination'),
      { start: classStatement.startIndex, end: classStatement.startIndex, newText: `class ${pagination}(CursorPagination):\n${indent}    page_size = ${ROW_CAP}\n${indent}    ordering = "-id"\n${gap}${indent}` },
      { start: statement.endIndex, end: statement.endIndex, newText: `\n${indentOf(root, statement)}pagination_class = ${pagination}` },
    ].sort((a, b) => a.start - b.start);
    const handler = { start: cls.startIndex, end: cls.endIndex, framework: 'drf', name, async: false };
    out.push({
      start: queryset.assign.startIndex, end: queryset.assign.endIndex, orm: 'django', model: source.model, callee: name, filter: source.filter, handler, chain: [name], drfList: true,
      cap: { edits, text: `pagination_class = ${pagination}`, title: `Page it with a CursorPagination (${ROW_CAP} per page, ordered by -id)` },
    });
  }
  return out;
}

/**
 * What a Python query filters by (FilterFact): a Django queryset's `filter(…)`/`get(…)` keywords
 * (chained filters all apply, `get_object_or_404(Model, …)` too; `exclude(…)` is left out: a
 * negated condition is not one an index serves), and the conditions of a SQLAlchemy, SQLModel or
 * Peewee `where(…)`.
 */
import type { FilterFact } from '../facts';
import { args, calleeName, field, type Node } from './tree';

const OPS: Record<string, FilterFact['fields'][number]['op']> = {
  exact: 'eq',
  in: 'in',
  gt: 'range',
  gte: 'range',
  lt: 'range',
  lte: 'range',
  range: 'range',
};

/** Django. `shortcut`: `get_object_or_404(Model, …)`, whose first argument is the model (or a queryset). */
export function djangoFilter(calls: readonly Node[], shortcut = false): FilterFact | undefined {
  const out: FilterFact = { fields: [], complete: true };
  for (const call of calls) {
    const method = calleeName(call);
    if (!shortcut && method !== 'filter' && method !== 'get') continue;
    for (const a of shortcut ? args(call).slice(1) : args(call)) {
      // `Q(…) | Q(…)`, `**filters`: conditions not read here.
      if (a.type !== 'keyword_argument') {
        out.complete = false;
        continue;
      }
      const key = field(a, 'name')!;
      const value = field(a, 'value');
      const [name, ...rest] = key.text.split('__');
      // `author__name=…` goes through a relation; `created__date=…` transforms the column.
      if (rest.length > 1 || (rest.length === 1 && !(rest[0] in OPS) && !/^(iexact|contains|icontains|startswith|istartswith|endswith|iendswith|regex|iregex|isnull|search)$/.test(rest[0]))) {
        out.complete = false;
        continue;
      }
      const op = rest.length === 0 ? 'eq' : (OPS[rest[0]] ?? 'other');
      out.fields.push({ name, op: value?.type === 'none' ? 'other' : op, start: key.startIndex, end: key.endIndex });
    }
  }
  return out.fields.length ? out : undefined;
}

const COMPARISONS: Record<string, FilterFact['fields'][number]['op']> = { '==': 'eq', '<': 'range', '<=': 'range', '>': 'range', '>=': 'range' };
const COLUMN_METHODS: Record<string, FilterFact['fields'][number]['op']> = { in_: 'in', between: 'range' };

/** `Post.title`, `models.Post.title`: the column of `model` an expression names, if it does. */
function columnOf(n: Node | null | undefined, model: string): Node | undefined {
  if (n?.type !== 'attribute') return undefined;
  const owner = field(n, 'object');
  const name = owner?.type === 'attribute' ? field(owner, 'attribute')?.text : owner?.text;
  return name === model ? (field(n, 'attribute') ?? undefined) : undefined;
}

/**
 * What a SQLAlchemy/SQLModel statement or legacy query, or a Peewee query, filters `model` by: the
 * conditions of its `where(…)`/`filter(…)` calls (`Post.slug == slug`, `Post.id.in_(ids)`,
 * `and_(…)`, `a & b`), of Peewee's `get(…)`/`get_or_none(…)`, and the keywords of `filter_by(…)`
 * (and of Peewee's `filter(…)`/`get(…)`). A condition on another table (after a join), an `or_`, a negation
 * or anything else not read here makes it incomplete.
 */
export function sqlalchemyFilter(calls: readonly Node[], model: string): FilterFact | undefined {
  const out: FilterFact = { fields: [], complete: true };
  const add = (col: Node, op: FilterFact['fields'][number]['op']): void => {
    out.fields.push({ name: col.text, op, start: col.startIndex, end: col.endIndex });
  };
  const condition = (n: Node): void => {
    if (n.type === 'parenthesized_expression' && n.namedChildren[0]) return condition(n.namedChildren[0]);
    if (n.type === 'comparison_operator' && n.namedChildren.length === 2) {
      const op = n.children.find((c) => c && !c.isNamed)?.text ?? '';
      const [l, r] = n.namedChildren as Node[];
      const col = columnOf(l, model) ?? columnOf(r, model);
      // `Post.author_id == Author.id` joins; `Post.x == None` is `IS NULL`.
      if (col && !(columnOf(l, model) && columnOf(r, model)) && !/^[A-Z]\w*\.\w+$/.test((col.parent === l ? r : l).text)) {
        add(col, (col.parent === l ? r : l).type === 'none' ? 'other' : (COMPARISONS[op] ?? 'other'));
        return;
      }
    } else if (n.type === 'call') {
      const fn = field(n, 'function');
      const method = calleeName(n) ?? '';
      const col = fn?.type === 'attribute' ? columnOf(field(fn, 'object'), model) : undefined;
      if (col) return add(col, COLUMN_METHODS[method] ?? 'other');
      if (/^(?:(?:sa|sqlalchemy)\.)?and_$/.test(fn?.text ?? '')) return args(n).forEach(condition);
    } else if (n.type === 'binary_operator' && field(n, 'operator')?.text === '&') {
      condition(field(n, 'left')!);
      return condition(field(n, 'right')!);
    } else if (n.type === 'attribute' && columnOf(n, model)) {
      // `where(Post.published)`: a boolean column.
      return add(columnOf(n, model)!, 'other');
    }
    out.complete = false;
  };
  for (const call of calls) {
    const method = calleeName(call);
    if (method === 'where' || method === 'filter' || method === 'get' || method === 'get_or_none') {
      // Peewee's `filter(email=e)` and `get(email=e)` take keywords as SQLAlchemy's `filter_by` does.
      for (const a of args(call)) {
        const key = a.type === 'keyword_argument' ? field(a, 'name') : null;
        if (key) out.fields.push({ name: key.text, op: field(a, 'value')?.type === 'none' ? 'other' : 'eq', start: key.startIndex, end: key.endIndex });
        else condition(a);
      }
    } else if (method === 'filter_by') {
      for (const a of args(call)) {
        const key = a.type === 'keyword_argument' ? field(a, 'name') : null;
        if (!key) out.complete = false;
        else out.fields.push({ name: key.text, op: field(a, 'value')?.type === 'none' ? 'other' : 'eq', start: key.startIndex, end: key.endIndex });
      }
    } else if (method && /^(join|outerjoin|join_from|having|group_by)$/.test(method)) out.complete = false;
  }
  return out.fields.length ? out : undefined;
}

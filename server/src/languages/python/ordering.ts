/**
 * Ordering keys and keyset filters of Python query chains, read from the syntax tree: Django
 * `order_by("-created_at")` and `filter(id__lt=…)` / `Q(…)`; SQLAlchemy, SQLModel and Peewee
 * `order_by(Post.created_at.desc())`, `desc(Post.x)`, `-Post.x`, and `where(Post.id > after)`.
 */
import type { OrderKey } from '../facts';
import { args, calleeName, field, walk, stringValue, type Node } from './tree';

/** The last `order_by(…)` of a chain: later calls replace earlier ones. */
export function lastOrderBy(calls: readonly Node[]): Node | undefined {
  for (let i = calls.length - 1; i >= 0; i--) if (calleeName(calls[i]) === 'order_by') return calls[i];
  return undefined;
}

const IDENT = /^\w+$/;

/** `"-created_at"` → created_at desc; `"author__name"` is a join and not a keyset column of this table. */
export function djangoOrderKeys(call: Node): OrderKey[] {
  return args(call).flatMap((a): OrderKey[] => {
    const s = stringValue(a);
    if (!s) return [];
    const column = s.replace(/^[-+]/, '');
    return IDENT.test(column) && column !== '?' ? [{ column, direction: s.startsWith('-') ? 'desc' : 'asc' }] : [];
  });
}

/** One SQLAlchemy/Peewee ordering expression → its column and direction. */
function columnKey(n: Node, direction: OrderKey['direction'] = 'asc', depth = 0): OrderKey | undefined {
  if (depth > 4) return undefined;
  switch (n.type) {
    case 'attribute': {
      const column = field(n, 'attribute')?.text;
      return column && IDENT.test(column) ? { column, direction } : undefined;
    }
    case 'string': {
      const s = stringValue(n);
      return s && IDENT.test(s) ? { column: s, direction } : undefined;
    }
    case 'unary_operator': {
      // Peewee: `-Post.created_at` orders descending.
      const arg = field(n, 'argument');
      return arg && n.text.startsWith('-') ? columnKey(arg, 'desc', depth + 1) : undefined;
    }
    case 'parenthesized_expression':
      return n.namedChildren[0] ? columnKey(n.namedChildren[0], direction, depth + 1) : undefined;
    case 'call': {
      const name = calleeName(n);
      const fn = field(n, 'function');
      const a = args(n);
      // `desc(Post.x)`, `sa.desc(Post.x)`, `nullslast(desc(Post.x))`.
      if ((name === 'desc' || name === 'asc') && a.length === 1 && a[0].type !== 'keyword_argument') return columnKey(a[0], name, depth + 1);
      if ((name === 'nullslast' || name === 'nullsfirst') && a.length === 1) return columnKey(a[0], direction, depth + 1);
      // `Post.x.desc()`, `Post.x.desc().nullslast()`, Peewee `Post.x.desc(nulls="LAST")`.
      const obj = fn?.type === 'attribute' ? field(fn, 'object') : null;
      if (!obj) return undefined;
      if (name === 'desc' || name === 'asc') return columnKey(obj, name, depth + 1);
      if (name === 'nullslast' || name === 'nullsfirst' || name === 'nulls_last' || name === 'nulls_first') return columnKey(obj, direction, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

export function columnOrderKeys(call: Node): OrderKey[] {
  return args(call).flatMap((a) => {
    const k = a.type === 'keyword_argument' ? undefined : columnKey(a);
    return k ? [k] : [];
  });
}

const FILTERS = new Set(['filter', 'where', 'exclude', 'filter_by']);
const RANGE_LOOKUP = /^(\w+)__(gt|gte|lt|lte)$/;
const RANGE_OPERATORS = new Set(['<', '>', '<=', '>=']);

/** Column names an operand of a comparison names: `Post.id`, `tuple_(Post.created_at, Post.id)`. */
function operandColumns(n: Node): string[] {
  const out: string[] = [];
  walk(n, (k) => {
    if (k.type === 'attribute') {
      const name = field(k, 'attribute')?.text;
      if (name) out.push(name);
    }
  });
  return out;
}

/**
 * A range filter on an ordering column (or the primary key): `filter(id__gt=after)`,
 * `filter(Q(created_at__lt=x) | …)`, `where(Post.id > after)`, `where(tuple_(…) < (…))`.
 */
export function hasKeysetFilter(calls: readonly Node[], columns: ReadonlySet<string>): boolean {
  return calls.some((c) => {
    if (!FILTERS.has(calleeName(c) ?? '')) return false;
    let found = false;
    for (const a of args(c)) {
      walk(a, (k) => {
        if (found) return false;
        if (k.type === 'keyword_argument') {
          const m = RANGE_LOOKUP.exec(field(k, 'name')?.text ?? '');
          if (m && columns.has(m[1])) found = true;
        } else if (k.type === 'comparison_operator') {
          const ops = k.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
          if (ops.some((o) => RANGE_OPERATORS.has(o)) && k.namedChildren.some((o) => !!o && operandColumns(o).some((col) => columns.has(col)))) found = true;
        }
      });
    }
    return found;
  });
}

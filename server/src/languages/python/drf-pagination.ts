/**
 * Page-number and limit/offset pagination configured declaratively: DRF `pagination_class =
 * LimitOffsetPagination`, pagination classes derived from those, the `DEFAULT_PAGINATION_CLASS`
 * setting, and Django generic list views with `paginate_by`. All of them page with OFFSET, the
 * page coming from the query string.
 */
import type { PaginationFact } from '../facts';
import { baseFact, type PyQueryFact } from './query-fact';
import { field, stringValue, type Node } from './tree';

const OFFSET_CLASSES = new Set(['LimitOffsetPagination', 'PageNumberPagination']);
const LIST_VIEWS = /(^|\.)(ListView|BaseListView|MultipleObjectMixin|ArchiveIndexView|\w*ArchiveView)$/;

/** `LimitOffsetPagination`, `pagination.LimitOffsetPagination`, `"rest_framework.pagination.LimitOffsetPagination"`. */
function offsetClassName(dotted: string): string | undefined {
  const name = dotted.split('.').pop() ?? '';
  return OFFSET_CLASSES.has(name) ? name : undefined;
}

function declared(n: Node, operation: string, written: Node, input: string): PyQueryFact {
  const fact = baseFact(n, 'django', undefined, operation);
  fact.style = 'paginator';
  const span = { start: written.startIndex, end: written.endIndex };
  const p: PaginationFact = {
    kind: 'paginator',
    offset: { ...span, text: written.text, origin: 'request', requestInputs: [input] },
    orderBy: [],
    hasCursor: false,
    hasKeysetFilter: false,
    offsetSpan: span,
  };
  fact.pagination = p;
  return fact;
}

function inputOf(name: string): string {
  return name === 'LimitOffsetPagination' ? 'offset' : 'page';
}

function enclosingClass(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'class_definition') return p;
    if (p.type === 'function_definition') return undefined;
  }
  return undefined;
}

function superclasses(cls: Node): Node[] {
  return field(cls, 'superclasses')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'keyword_argument') ?? [];
}

/** `pagination_class = LimitOffsetPagination` in a view class, or `paginate_by = 20` in a generic list view. */
function fromClassAttribute(n: Node): PyQueryFact | undefined {
  const left = field(n, 'left')?.text;
  if (left !== 'pagination_class' && left !== 'paginate_by') return undefined;
  const right = field(n, 'right');
  const cls = enclosingClass(n);
  if (!right || !cls) return undefined;
  if (left === 'pagination_class') {
    if (!/^[\w.]+$/.test(right.text)) return undefined;
    const name = offsetClassName(right.text);
    // Any other class (CursorPagination, a keyset subclass): the view still lists with a query.
    if (!name) return baseFact(n, 'django', undefined, 'pagination_class');
    const fact = declared(n, 'pagination_class', right, inputOf(name));
    const start = cls.parent?.type === 'decorated_definition' ? cls.parent : cls;
    const text = start.tree.rootNode.text;
    const lineStart = text.lastIndexOf('\n', start.startIndex - 1) + 1;
    fact.viewClass = { name: field(cls, 'name')?.text ?? 'View', start: lineStart, indent: text.slice(lineStart, start.startIndex) };
    return fact;
  }
  if (left === 'paginate_by' && right.type !== 'none' && superclasses(cls).some((s) => LIST_VIEWS.test(s.text))) {
    return declared(n, 'paginate_by', n, 'page');
  }
  return undefined;
}

/** `class StandardPagination(PageNumberPagination)`: every view that uses it pages with OFFSET. */
function fromSubclass(n: Node): PyQueryFact | undefined {
  const base = superclasses(n).find((s) => /^[\w.]+$/.test(s.text) && offsetClassName(s.text));
  return base ? declared(n, 'pagination-subclass', base, inputOf(offsetClassName(base.text)!)) : undefined;
}

/** `REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination"}`. */
function fromSetting(n: Node): PyQueryFact | undefined {
  const key = field(n, 'key');
  const value = field(n, 'value');
  if (!key || !value || stringValue(key) !== 'DEFAULT_PAGINATION_CLASS') return undefined;
  const name = offsetClassName(stringValue(value) ?? '');
  return name ? declared(n, 'DEFAULT_PAGINATION_CLASS', value, inputOf(name)) : undefined;
}

export function fromDeclaredPagination(n: Node, type: string = n.type): PyQueryFact | undefined {
  if (type === 'assignment') return fromClassAttribute(n);
  if (type === 'class_definition') return fromSubclass(n);
  if (type === 'pair') return fromSetting(n);
  return undefined;
}

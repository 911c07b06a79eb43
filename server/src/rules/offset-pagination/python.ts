/** offset-pagination in Python: Django slices and paginators, SQLAlchemy/SQLModel/Peewee offsets, SQL in strings. */
import type { Detection, Fix } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { BoundValuesFact, OrderKey } from '../../languages/facts';
import type { PyFacts } from '../../languages/python/adapter';
import type { PyQueryFact } from '../../languages/python/queries';
import { isGrowingOffset, keysetKeys, offsetMessage } from './keyset';
import { cursorFor, drfCursorFix, pythonKeysetFix } from './python-fixes';
import { detectSqlStatements, layoutItems, type HostCursor } from './sql';

const DEEP_PAGES = 'deep pages read and discard every earlier row';

/** Declared pagination (DRF classes and settings, Django Paginator and list views): guidance, and for a view's `pagination_class` a CursorPagination rewrite. */
function declaredPagination(q: PyQueryFact, facts: PyFacts): { message: string; fixes: Fix[] } {
  const p = q.pagination!;
  const cursorAdvice = "Use DRF's `CursorPagination` (keyset pagination) with an `ordering` on an indexed, unique column.";
  const guidance = (title: string): Fix[] => [{ title, applicability: 'display-only', edits: [] }];
  switch (q.operation) {
    case 'pagination_class': {
      const fix = drfCursorFix(q, facts);
      return { message: `\`${p.offset.text}\` pages with OFFSET: ${DEEP_PAGES}. ${cursorAdvice}`, fixes: fix ? [fix] : guidance('Use CursorPagination (keyset) with an ordering on an indexed unique column') };
    }
    case 'pagination-subclass':
      return { message: `Pagination classes derived from \`${p.offset.text}\` page with OFFSET: ${DEEP_PAGES}. Derive from \`CursorPagination\` (keyset pagination) with an \`ordering\` on an indexed, unique column.`, fixes: guidance('Derive from CursorPagination with an ordering on an indexed unique column') };
    case 'DEFAULT_PAGINATION_CLASS':
      return { message: `Every paginated DRF view pages with OFFSET (\`${p.offset.text}\`): ${DEEP_PAGES}. ${cursorAdvice}`, fixes: guidance('Use CursorPagination for views whose lists grow') };
    case 'paginate_by':
      return { message: `\`paginate_by\` pages with OFFSET (\`?page=\` from the query string): ${DEEP_PAGES}. For long lists, page with a keyset filter on an indexed column (e.g. \`filter(id__lt=last_id)[:n]\`).`, fixes: guidance('Page with a keyset filter instead of paginate_by') };
    default:
      return { message: `\`Paginator\` pages with OFFSET (\`page\` comes from \`${p.offset.text}\`): ${DEEP_PAGES}. For long lists, page with a keyset filter on an indexed column (e.g. \`filter(id__lt=last_id)[:n]\`).`, fixes: guidance('Page with a keyset filter instead of Paginator') };
  }
}

/** Index advice in the ORM's own terms: Django `Meta.indexes`, SQLAlchemy `Index(…)`, Peewee `Meta.indexes` or `add_index`. */
function indexAdvice(q: PyQueryFact, keys: readonly OrderKey[]): string | undefined {
  const model = q.model ?? q.modelName;
  if (q.orm === 'django') return `\`models.Index(fields=[${keys.map((k) => `"${k.direction === 'desc' ? '-' : ''}${k.column}"`).join(', ')}])\` in ${model ?? 'the model'}.Meta.indexes`;
  if ((q.orm === 'sqlalchemy' || q.orm === 'sqlmodel') && model && /^\w+$/.test(model)) {
    return `\`Index("ix_${model.toLowerCase()}_${keys.map((k) => k.column).join('_')}", ${keys.map((k) => `${model}.${k.column}${k.direction === 'desc' ? '.desc()' : ''}`).join(', ')})\``;
  }
  if (q.orm === 'peewee' && model && /^\w+$/.test(model)) {
    // One direction for all keys: a B-tree index read backwards serves DESC too. Mixed: an index on the expressions.
    if (new Set(keys.map((k) => k.direction)).size === 1) return `\`((${keys.map((k) => `"${k.column}"`).join(', ')}), False)\` in ${model}.Meta.indexes`;
    return `\`${model}.add_index(${keys.map((k) => `${model}.${k.column}${k.direction === 'desc' ? '.desc()' : ''}`).join(', ')})\``;
  }
  return undefined;
}

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    const p = q.pagination;
    if (!p || !isGrowingOffset(p)) continue;
    if (q.style === 'paginator') {
      out.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, ...declaredPagination(q, facts) });
      continue;
    }
    const keys = keysetKeys(p.orderBy, 'id');
    const model = q.model ?? q.modelName;
    const query = q.callee.split('\n')[0];
    let message = offsetMessage({ query, offset: p.offset.text, table: model, keys, index: indexAdvice(q, keys) });
    if (q.style === 'paginate') {
      // `paginate(page, n)` skips (page - 1) * n rows; the message names the page, not a row count.
      message = message.replace(`skips \`${p.offset.text}\` rows`, `pages with OFFSET (page \`${p.offset.text}\`)`);
    }
    const fix = pythonKeysetFix(q, keys, facts, ctx.file.text);
    const fixes: Fix[] = fix ? [fix] : q.style === 'paginate' ? [{ title: `Page with a keyset filter on (${keys.map((k) => k.column).join(', ')}) instead of paginate()`, applicability: 'display-only', edits: [] }] : [];
    out.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, message, fixes });
  }
  out.push(...detectSqlStatements(facts.sql, ctx, boundCursor(ctx.file.text)));
  return out;
};

/**
 * The keyset rewrite of SQL in a string whose values the call binds, written out: a tuple or list
 * (`cursor.execute(sql, (owner, n))`), rewritten in the order the new placeholders take, or named
 * values (`session.execute(text(sql), {"offset": n})`, `dict(…)`, `.bindparams(…)`), where the
 * offset's entry goes and one per cursor value comes. The cursor comes from the request the
 * offset came from, or new parameters.
 */
function boundCursor(text: string): HostCursor {
  return (statement, keys, bound) => {
    const list = statement.boundValues;
    if (!bound || !list) return undefined;
    const named = list.form === 'dict' || list.form === 'keywords';
    if (named !== (bound.kind === 'named')) return undefined;
    let dropped: Array<BoundValuesFact['values'][number]>;
    if (bound.kind === 'named') {
      const names = list.values.map((v) => v.name!);
      // A name the statement binds that is not among the values written out (`**extra`): unknown.
      if (bound.used.some((n) => !names.includes(n)) || bound.added.some((n) => names.includes(n))) return undefined;
      dropped = list.values.filter((v) => bound.dropped.includes(v.name!));
    } else {
      if (list.values.length !== bound.oldCount) return undefined;
      dropped = bound.dropped.map((k) => list.values[k]);
    }
    const requestObject = dropped.map((v) => v.requestObject).find((r) => r !== undefined);
    const cursor = cursorFor({ requestObject, params: list.params }, keys, text);
    if (!cursor) return undefined;
    let items: string[];
    if (bound.kind === 'named') {
      const quote = list.quote ?? '"';
      const entry = (name: string, value: string) => (list.form === 'dict' ? `${quote}${name}${quote}: ${value}` : `${name}=${value}`);
      items = [...list.values.filter((v) => !dropped.includes(v)).map((v) => v.text), ...bound.added.map((n, i) => entry(n, cursor.values[i]))];
    } else items = bound.plan.map((e) => ('old' in e ? list.values[e.old].text : cursor.values[e.cursor]));
    let newText = layoutItems(text.slice(list.start, list.end), items);
    // A tuple of one needs its comma.
    if (list.form === 'tuple' && items.length === 1 && !/,\s*$/.test(newText)) newText = newText.replace(/(\s*)$/, ',$1');
    return { values: cursor.values, edits: [...cursor.edits, { start: list.start, end: list.end, newText }] };
  };
}

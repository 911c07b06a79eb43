/**
 * SQL in Python strings passed to `cursor.execute(…)`, `session.execute(text(…))`, `text(…)`,
 * `Model.objects.raw(…)`, `db.execute_sql(…)`; f-string fields are the holes. Chunks are passed as
 * written in the source (escapes untouched) so offsets map one to one.
 */
import type { BoundValuesFact, SqlDialect, SqlStatementFact } from '../facts';
import { looksLikeSql, sqlFactsFromEmbedded, type SqlHole, type SqlPiece } from '../sql/embedded';
import { paramsOf } from './query-fact';
import { args, calleeName, type Node } from './tree';
import { pyValueFact } from './values';

const SQL_CALLS = new Set(['execute', 'executemany', 'text', 'raw', 'execute_sql', 'exec_driver_sql', 'fetch', 'fetchrow', 'fetchval', 'mogrify']);

function pieces(str: Node): { pieces: SqlPiece[]; holes: SqlHole[] } | undefined {
  // Implicitly concatenated literals ("a" "b") are one string to Python but several nodes here.
  if (str.type !== 'string') return undefined;
  const start = str.namedChildren.find((c) => c?.type === 'string_start');
  const end = str.namedChildren.find((c) => c?.type === 'string_end');
  if (!start || !end) return undefined;
  const out: SqlPiece[] = [];
  const holes: SqlHole[] = [];
  let cursor = start.endIndex;
  const text = str.tree.rootNode.text;
  for (const c of str.namedChildren) {
    if (c?.type !== 'interpolation') continue;
    out.push({ text: text.slice(cursor, c.startIndex), start: cursor });
    const expr = c.namedChildren[0] ?? c;
    holes.push({ start: expr.startIndex, end: expr.endIndex, text: expr.text });
    cursor = c.endIndex;
  }
  out.push({ text: text.slice(cursor, end.startIndex), start: cursor });
  return { pieces: out, holes };
}

export function embeddedSqlAt(call: Node, dialect: SqlDialect | undefined, root: Node): SqlStatementFact[] {
  const name = calleeName(call);
  if (!name || !SQL_CALLS.has(name)) return [];
  const [first, second] = args(call);
  if (!first || first.type !== 'string') return [];
  const parts = pieces(first);
  if (!parts || !looksLikeSql(parts.pieces.map((p) => p.text).join(' '))) return [];
  const statements = sqlFactsFromEmbedded({ ...parts, dialect, host: 'string' });
  // Only paginated statements are rewritten: the values are read for them alone.
  const bound = second && statements.some((s) => s.pagination) ? boundValues(second, call, root) : undefined;
  if (bound) for (const s of statements) if (s.pagination) s.boundValues = bound;
  return statements;
}

/** `(owner, n)` or `[n]` as the call's second argument: each value, and where a request value came from. */
function boundValues(list: Node, call: Node, root: Node): BoundValuesFact | undefined {
  if (list.type !== 'tuple' && list.type !== 'list') return undefined;
  const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (items.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat')) return undefined;
  const values = items.map((c) => {
    const { requestObject } = pyValueFact(c, root);
    return requestObject ? { text: c.text, requestObject } : { text: c.text };
  });
  const fact: BoundValuesFact = { start: list.startIndex + 1, end: list.endIndex - 1, values, tuple: list.type === 'tuple' };
  const params = paramsOf(call);
  if (params) fact.params = params;
  return fact;
}

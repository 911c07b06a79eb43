/**
 * SQL in Python strings passed to `cursor.execute(…)`, `session.execute(text(…))`, `text(…)`,
 * `Model.objects.raw(…)`, `db.execute_sql(…)`; f-string fields are the holes. Chunks are passed as
 * written in the source (escapes untouched) so offsets map one to one.
 */
import type { SqlDialect, SqlStatementFact } from '../facts';
import { looksLikeSql, sqlFactsFromEmbedded, type SqlHole, type SqlPiece } from '../sql/embedded';
import { args, calleeName, type Node } from './tree';

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

export function embeddedSqlAt(call: Node, dialect: SqlDialect | undefined): SqlStatementFact[] {
  const name = calleeName(call);
  if (!name || !SQL_CALLS.has(name)) return [];
  const first = args(call)[0];
  if (!first || first.type !== 'string') return [];
  const parts = pieces(first);
  if (!parts || !looksLikeSql(parts.pieces.map((p) => p.text).join(' '))) return [];
  return sqlFactsFromEmbedded({ ...parts, dialect, host: 'string' });
}

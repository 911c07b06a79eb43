/**
 * SQL in Python strings passed to `cursor.execute(…)`, `session.execute(text(…))`, `text(…)`,
 * `Model.objects.raw(…)`, `db.execute_sql(…)`; f-string fields are the holes. Chunks are passed as
 * written in the source (escapes untouched) so offsets map one to one.
 */
import type { BoundValuesFact, QueryHelperFact, SqlDialect, SqlStatementFact } from '../facts';
import { isSqliteStatement, looksLikeSql, sqlConstantHelper, sqlFactsFromEmbedded, sqlOperation, type SqlHole, type SqlPiece } from '../sql/embedded';
import { baseFact, paramsOf, type PyQueryFact } from './query-fact';
import { assignedBefore } from './item-access';
import { args, calleeName, field, type Node } from './tree';
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
  const values = statements.some((s) => s.pagination) ? valuesOf(call, name, second) : undefined;
  const bound = values ? boundValues(values, call, root) : undefined;
  if (bound) for (const s of statements) if (s.pagination) s.boundValues = bound;
  return statements;
}

/**
 * The node that holds the values the SQL is run with: the call's second argument, or, for
 * SQLAlchemy's `text(sql)`, the second argument of the call it is passed to
 * (`session.execute(text(sql), {"n": n})`) or the arguments of its `.bindparams(n=n)`.
 */
function valuesOf(call: Node, name: string, second: Node | undefined): Node | undefined {
  if (second || name !== 'text') return second;
  const parent = call.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'bindparams') {
    const bindparams = parent.parent;
    if (bindparams?.type === 'call' && bindparams.childForFieldName('function')?.id === parent.id) return bindparams.childForFieldName('arguments') ?? undefined;
  }
  const outer = parent?.type === 'argument_list' ? parent.parent : undefined;
  if (outer?.type !== 'call') return undefined;
  const [first, next] = args(outer);
  return first?.id === call.id ? next : undefined;
}

/**
 * The values as written: `(owner, n)` or `[n]` (positional), `{"n": n}` (named, a dictionary),
 * `dict(n=n)` or `.bindparams(n=n)` (named, keywords); each value, its name, and where a request
 * value came from. Undefined for anything else (a variable, unpacked values).
 */
function boundValues(list: Node, call: Node, root: Node): BoundValuesFact | undefined {
  let form: 'tuple' | 'list' | 'dictionary' | 'keywords';
  let holder = list;
  if (list.type === 'tuple' || list.type === 'list' || list.type === 'dictionary') form = list.type;
  else if (list.type === 'argument_list') form = 'keywords';
  else if (list.type === 'call' && list.childForFieldName('function')?.text === 'dict') {
    holder = list.childForFieldName('arguments') ?? list;
    form = 'keywords';
  } else return undefined;
  if (holder.type !== 'argument_list' && holder.type !== form) return undefined;
  const items = holder.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  let quote: string | undefined;
  const values: BoundValuesFact['values'] = [];
  for (const item of items) {
    let value = item;
    let name: string | undefined;
    if (form === 'dictionary') {
      const key = item.type === 'pair' ? item.childForFieldName('key') : undefined;
      const m = key?.type === 'string' ? /^(["'])(\w+)\1$/.exec(key.text) : null;
      if (!m) return undefined;
      quote ??= m[1];
      name = m[2];
      value = item.childForFieldName('value') ?? item;
    } else if (form === 'keywords') {
      if (item.type !== 'keyword_argument') return undefined;
      name = item.childForFieldName('name')?.text;
      value = item.childForFieldName('value') ?? item;
    } else if (item.type === 'list_splat' || item.type === 'dictionary_splat') return undefined;
    const { requestObject } = pyValueFact(value, root);
    values.push({ text: item.text, ...(requestObject ? { requestObject } : {}), ...(name ? { name } : {}) });
  }
  const fact: BoundValuesFact = { start: holder.startIndex + 1, end: holder.endIndex - 1, values, form: form === 'dictionary' ? 'dict' : form };
  if (quote) fact.quote = quote;
  const params = paramsOf(call);
  if (params) fact.params = params;
  return fact;
}

/** Calls that run the SQL string they are given: DB-API cursors' `execute`, Django's `raw`, Peewee's `execute_sql`, SQLAlchemy's `exec_driver_sql`, asyncpg's fetches. */
const RAW_QUERY_CALLS = /^(execute|raw|execute_sql|exec_driver_sql|fetch|fetchrow|fetchval)$/;
/** Calls that run SQLAlchemy's `text(…)`. */
const TEXT_RUNNERS = /^(execute|scalar|scalars)$/;

/**
 * A SQL string a call runs (`cursor.execute("SELECT … WHERE id = %s", [i])`, `session.execute(
 * text("…"), {…})`): a query of its own, for the rules that count queries (a raw query in a loop
 * is an N+1 as much as an ORM's), at the call that runs it. `executemany` is one batch. Not
 * SQLite's: an in-process database answers many small queries as fast as one large one.
 */
export function rawSqlQuery(call: Node, statement: SqlStatementFact): { fact: PyQueryFact; node: Node } | undefined {
  if (isSqliteStatement(statement)) return undefined;
  const name = calleeName(call) ?? '';
  let node: Node | undefined;
  if (name === 'text') {
    const list = call.parent;
    const runner = list?.type === 'argument_list' ? list.parent : undefined;
    if (runner?.type === 'call' && TEXT_RUNNERS.test(calleeName(runner) ?? '') && args(runner)[0]?.startIndex === call.startIndex) node = runner;
  } else if (RAW_QUERY_CALLS.test(name)) node = call;
  const operation = node && sqlOperation(statement.text);
  if (!node || !operation) return undefined;
  const fact = baseFact(node, 'sql', statement.tables[0], operation);
  fact.style = 'query';
  return { fact, node };
}

/**
 * The SQL of a constant a call runs (`FIND_USER = "SELECT …"` in the module or the function, then
 * `cursor.execute(FIND_USER, [i])`): for counting the query. The SQL rules read the string where it
 * is written, once.
 */
export function constantSqlAt(call: Node, dialect: SqlDialect | undefined, root: Node): SqlStatementFact[] {
  const first = args(call)[0];
  if (first?.type !== 'identifier' || !RAW_QUERY_CALLS.test(calleeName(call) ?? '')) return [];
  const value = assignedBefore(first) ?? moduleConstant(root, first.text);
  const parts = value?.type === 'string' ? pieces(value) : undefined;
  if (!parts || !looksLikeSql(parts.pieces.map((p) => p.text).join(' '))) return [];
  return sqlFactsFromEmbedded({ ...parts, dialect, host: 'string' });
}

/** The string a module-level statement assigns to `name` (`QUERY = "SELECT …"`). */
function moduleConstant(root: Node, name: string): Node | undefined {
  let found: Node | undefined;
  for (const st of root.namedChildren) {
    const assign = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (assign?.type === 'assignment' && field(assign, 'left')?.text === name) found = field(assign, 'right') ?? undefined;
  }
  return found;
}

/** The argument a call runs as SQL (`cursor.execute(FIND_USER, [i])`, `queries.FIND_USER`), when it names something rather than writing the string. */
export function sqlArgument(call: Node): Node | undefined {
  const first = args(call)[0];
  return (first?.type === 'identifier' || first?.type === 'attribute') && RAW_QUERY_CALLS.test(calleeName(call) ?? '') ? first : undefined;
}

/**
 * The module's SQL constants (`FIND_USER = "SELECT …"`), as query helpers that are no functions:
 * another module that imports one and runs it in a loop (`cursor.execute(FIND_USER, [i])`) runs a
 * query per item. Not SQLite's (see rawSqlQuery).
 */
export function moduleSqlConstants(root: Node, dialect: SqlDialect | undefined): QueryHelperFact[] {
  const out: QueryHelperFact[] = [];
  for (const st of root.namedChildren) {
    const assign = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    const left = assign?.type === 'assignment' ? field(assign, 'left') : null;
    const value = assign?.type === 'assignment' ? field(assign, 'right') : null;
    if (left?.type !== 'identifier' || value?.type !== 'string') continue;
    const parts = pieces(value);
    if (!parts || !looksLikeSql(parts.pieces.map((p) => p.text).join(' '))) continue;
    const helper = sqlConstantHelper(left.text, sqlFactsFromEmbedded({ ...parts, dialect, host: 'string' })[0]);
    if (helper) out.push(helper);
  }
  return out;
}

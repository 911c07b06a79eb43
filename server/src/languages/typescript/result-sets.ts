/**
 * Reads on request paths that return every row of a table, in JS/TS (unbounded-result-set): an ORM
 * query that loads many rows (`findMany`, `find`, `findAll`, a builder that is run) with no limit,
 * whose filter reads nothing of the request or of the function around it (no filter, or constants
 * only: `where: { published: true }`). A filter by a value of the request (`where: { authorId }`,
 * `.where('id', 'in', ids)`) is left alone: its rows are a parent's, or the ones asked for.
 */
import ts from 'typescript';
import type { OrmId, QueryFact, SqlStatementFact, UnboundedReadFact } from '../facts';
import { callName } from './builder-calls';
import { addOption } from './edits';
import { requestPathOf, type HandlerReach } from './handlers';
import { bindingNames } from './loops';
import { propertyName } from './ordering';
import type { TsQueryFact, TsTaggedQuery } from './queries';
import { repositoryEntity } from './repositories';
import { findDeclaration } from './values';

/** The cap the fix writes: a page's worth for a list endpoint. */
export const ROW_CAP = 100;

/** Options-style methods that return every row they match, per ORM. */
const READS_MANY: Partial<Record<OrmId, RegExp>> = {
  prisma: /^findMany$/,
  typeorm: /^(find|findBy|findAndCount|findAndCountBy)$/,
  sequelize: /^(findAll|findAndCountAll)$/,
  'mikro-orm': /^(find|findAll|findAndCount)$/,
  mongoose: /^find$/,
  drizzle: /^findMany$/,
};

/** Options that bound the rows (or stream them). */
const LIMIT_OPTIONS = new Set(['take', 'limit', 'first', 'last', 'cursor']);
/**
 * Options and builder calls that shape the rows but do not choose them: a request value there
 * (`orderBy: { [sort]: 'asc' }`, `.select(fields)`) does not bound the result.
 */
const SHAPING = /^(select|selectAll|columns|attributes|include|relations|populate|with|orderBy|order|sort|addOrderBy|lean|fields|exclude|omit|leftJoinAndSelect|innerJoinAndSelect|leftJoinAndMapMany|leftJoinAndMapOne|cache|comment|then|catch|finally|exec|execute|getMany|getManyAndCount|getRawMany|all|toArray)$/;

/** Builder calls after which a chain returns one row, a count or a stream, not every row. */
const BOUNDED_CALLS = /^(limit|take|first|findOne|findById|findUnique|findFirst|executeTakeFirst|executeTakeFirstOrThrow|getOne|getOneOrFail|getRawOne|getCount|getExists|count|countDistinct|countDocuments|estimatedDocumentCount|exists|sum|avg|min|max|distinct|aggregate|groupBy|paginate|stream|cursor|iterate|returning|insert|update|del|delete|set|values|onConflict|merge|increment|decrement)$/;
/** An aggregate selected (`db.select({ n: count() })`, `eb.fn.countAll()`, `knex.count('*')`): one row per group, not per row. */
const AGGREGATE_SELECT = /\b(count|countAll|countDistinct|sum|avg|min|max)\s*[(<]|\bCOUNT\s*\(/i;
/** What runs a chain (awaiting it runs Knex, Drizzle and Mongoose builders too). */
const RUN_CALLS = /^(execute|getMany|getManyAndCount|getRawMany|getRawAndEntities|exec|lean|then|all|toArray)$/;

/** The node a value is used from: outside parentheses, `!` and `as`. */
function outer(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return n;
}

/** The chain's value is awaited, returned, or an element or argument of something that is (`Promise.all([…])`, `res.json(await …)`). */
function isRun(call: ts.CallExpression): boolean {
  if (RUN_CALLS.test(callName(call) ?? '')) return true;
  const n = outer(call);
  const p = n.parent;
  return ts.isAwaitExpression(p) || ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n) || (ts.isArrayLiteralExpression(p) && ts.isCallExpression(outer(p).parent) && /^(all|allSettled)$/.test(callName(outer(p).parent as ts.CallExpression) ?? ''));
}

/** Where a declaration is: inside the query's own arguments (a callback's parameter), in a function around it, or at module level. */
function insideFunctionOf(decl: ts.Node, within: ts.Node): 'inside' | 'function' | 'module' {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (n === within) return 'inside';
    if (ts.isFunctionLike(n)) {
      // A callback inside the query's own arguments (`where: (posts, { eq }) => eq(posts.published, true)`).
      for (let m: ts.Node | undefined = n; m; m = m.parent) if (m === within) return 'inside';
      return 'function';
    }
  }
  return 'module';
}

/** Every name the functions around `within` bind anywhere in them (kept per function). */
const boundByFunction = new WeakMap<ts.Node, Set<string>>();

function boundInFunctions(within: ts.Node, name: string): boolean {
  for (let n: ts.Node | undefined = within.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    let names = boundByFunction.get(n);
    if (!names) {
      const own = new Set<string>();
      for (const p of n.parameters) for (const x of bindingNames(p.name)) own.add(x);
      const visit = (k: ts.Node): void => {
        if (ts.isVariableDeclaration(k) || ts.isBindingElement(k)) for (const x of bindingNames(k.name)) own.add(x);
        else if (ts.isCatchClause(k) && k.variableDeclaration) for (const x of bindingNames(k.variableDeclaration.name)) own.add(x);
        ts.forEachChild(k, visit);
      };
      const body = (n as ts.FunctionLikeDeclaration).body;
      if (body) visit(body);
      boundByFunction.set(n, (names = own));
    }
    if (names.has(name)) return true;
  }
  return false;
}

/**
 * Whether `expr` reads a value of the function the query runs in (a parameter, a local, `this`):
 * a request's value, or one made from it. Module constants, imports, table objects and callbacks'
 * own parameters are not.
 */
function readsFunctionValue(expr: ts.Node, within: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword) {
      found = true;
      return;
    }
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      // A property's name (`a.name`, `{ name: v }`), not a read.
      if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n) || ts.isQualifiedName(p)) return;
      const decl = findDeclaration(n);
      if (decl) {
        if (insideFunctionOf(decl, within) === 'function') found = true;
      } else if (boundInFunctions(within, n.text)) {
        // A binding findDeclaration does not resolve (`const [first] = ids`, a catch variable, a
        // `for…of` over the rows): a value of the function, to be safe.
        found = true;
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

/** The properties of an options object that choose rows: all but those that shape them. A spread (`...page`) may hold a limit: undefined. */
function choosingParts(obj: ts.ObjectLiteralExpression): ts.Node[] | undefined {
  const out: ts.Node[] = [];
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) return undefined;
    const name = propertyName(p);
    if (name && LIMIT_OPTIONS.has(name)) return undefined;
    if (name && SHAPING.test(name)) continue;
    out.push(p);
  }
  return out;
}

interface Read {
  filter: 'none' | 'constant';
  cap?: UnboundedReadFact['cap'];
}

/** The index of the options argument of an options-style read, and of the filter argument when it is apart. */
function optionsLayout(q: TsQueryFact): { options?: number; filter?: number } {
  const call = q.call;
  const firstIsEntity = !!call.arguments[0] && ts.isIdentifier(call.arguments[0]) && /^[A-Z]/.test(call.arguments[0].text) && (q.orm === 'mikro-orm' || q.orm === 'typeorm');
  const e = firstIsEntity ? 1 : 0;
  switch (q.orm) {
    case 'typeorm':
      return /By$/.test(q.operation) ? { filter: e } : { options: e };
    case 'mikro-orm':
      return q.operation === 'findAll' ? { options: e } : { filter: e, options: e + 1 };
    case 'mongoose':
      return { filter: 0, options: 2 };
    default:
      return { options: 0 };
  }
}

function optionsRead(q: TsQueryFact, within: ts.Node): Read | undefined {
  const call = q.call;
  const layout = optionsLayout(q);
  let filter: Read['filter'] = 'none';
  for (let i = 0; i < call.arguments.length; i++) {
    const a = call.arguments[i];
    if (i === layout.options) {
      if (!ts.isObjectLiteralExpression(a)) return undefined;
      const parts = choosingParts(a);
      if (!parts) return undefined;
      if (parts.some((p) => readsFunctionValue(p, within))) return undefined;
      if (parts.some((p) => propertyName(p as ts.ObjectLiteralElementLike) === 'where' && !isEmptyObject((p as ts.PropertyAssignment).initializer))) filter = 'constant';
    } else if (i === layout.filter) {
      if (readsFunctionValue(a, within)) return undefined;
      if (!isEmptyObject(a)) filter = 'constant';
    } else if (readsFunctionValue(a, within)) return undefined;
  }
  return { filter, cap: optionsCap(q, layout) };
}

function isEmptyObject(e: ts.Node | undefined): boolean {
  return !!e && ts.isObjectLiteralExpression(e) && e.properties.length === 0;
}

/** The fix's cap for an options-style read: an option where the ORM takes one, else `.limit()` after Mongoose's find. */
function optionsCap(q: TsQueryFact, layout: { options?: number; filter?: number }): Read['cap'] {
  const call = q.call;
  if (q.orm === 'mongoose') {
    const at = call.getEnd();
    return { edits: [{ start: at, end: at, newText: `.limit(${ROW_CAP})` }], text: `.limit(${ROW_CAP})` };
  }
  const option = q.orm === 'prisma' || q.orm === 'typeorm' ? `take: ${ROW_CAP}` : `limit: ${ROW_CAP}`;
  if (layout.options === undefined) {
    // TypeORM's findBy(where) takes no options: find({ where, take }).
    const where = call.arguments[layout.filter ?? 0];
    const name = (call.expression as ts.PropertyAccessExpression).name;
    if (!where || q.orm !== 'typeorm') return undefined;
    const operation = q.operation.replace(/By$/, '');
    const before = call.arguments.slice(0, layout.filter ?? 0).map((a) => `${a.getText()}, `).join('');
    return {
      edits: [{ start: name.getStart(), end: call.getEnd(), newText: `${operation}(${before}{ where: ${where.getText()}, ${option} })` }],
      text: `${operation}({ where, ${option} })`,
    };
  }
  // MikroORM's find(Entity) needs a filter before its options.
  if (q.orm === 'mikro-orm' && layout.filter !== undefined && call.arguments.length <= layout.filter) {
    const at = call.arguments.length ? call.arguments[call.arguments.length - 1].getEnd() : call.arguments.pos;
    return { edits: [{ start: at, end: at, newText: `${call.arguments.length ? ', ' : ''}{}, { ${option} }` }], text: `{ ${option} }` };
  }
  const edits = addOption(call, layout.options, option);
  return edits?.length ? { edits, text: option } : undefined;
}

function chainRead(q: TsQueryFact, within: ts.Node): Read | undefined {
  const chain = q.chain!;
  if (!isRun(q.call)) return undefined;
  let filter: Read['filter'] = 'none';
  for (const c of chain) {
    const m = callName(c) ?? '';
    if (BOUNDED_CALLS.test(m)) return undefined;
    if (/^(select|columns)$/.test(m) && c.arguments.some((a) => AGGREGATE_SELECT.test(a.getText()))) return undefined;
    if (SHAPING.test(m)) continue;
    // The table or model the chain starts from: `knex('posts')`, `db.selectFrom('post')`, `db.select().from(posts)`.
    if (c === chain[0] && !/^(find|where)$/.test(m)) {
      if (c.arguments.some((a) => readsFunctionValue(a, within))) return undefined;
      continue;
    }
    if (/^(from|createQueryBuilder|table|into)$/.test(m)) {
      if (c.arguments.some((a) => readsFunctionValue(a, within))) return undefined;
      continue;
    }
    if (c.arguments.some((a) => readsFunctionValue(a, within))) return undefined;
    if (/where|find|filter|having|join/i.test(m) && c.arguments.length && !c.arguments.every(isEmptyObject)) filter = 'constant';
  }
  return { filter, cap: chainCap(q) };
}

/** `.limit(100)` (TypeORM's and MikroORM's query builders: `.take(100)`, which counts entities, not joined rows) before the call that runs the chain, else after it. */
function chainCap(q: TsQueryFact): Read['cap'] {
  const chain = q.chain!;
  const limit = q.orm === 'typeorm' ? `.take(${ROW_CAP})` : `.limit(${ROW_CAP})`;
  const last = chain[chain.length - 1];
  const runs = RUN_CALLS.test(callName(last) ?? '') && callName(last) !== 'then' && ts.isPropertyAccessExpression(last.expression);
  // Mongoose runs `Post.find().lean()`: its limit goes before `.lean()` or `.exec()`; Kysely's before `.execute()`.
  const at = runs ? (last.expression as ts.PropertyAccessExpression).expression.getEnd() : q.call.getEnd();
  return { edits: [{ start: at, end: at, newText: limit }], text: limit };
}

/** A read that returns every row its constants match, wherever it runs. */
export interface UnboundedRead {
  q: QueryFact;
  /** The call that runs it (an ORM call, `pool.query(…)`), or the tagged template (`await sql\`…\``). */
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  model?: string;
  filter: 'none' | 'constant';
  cap?: UnboundedReadFact['cap'];
}

/** Raw SQL that a call or a tag runs: the statement inside its span that reads every row (SqlStatementFact.everyRow). */
function sqlRead(q: QueryFact, sql: readonly SqlStatementFact[]): Read | undefined {
  const st = sql.find((s) => s.start >= q.start && s.end <= q.end && s.host === 'string');
  if (!st?.everyRow) return undefined;
  const at = st.everyRow.limitAt;
  const text = `LIMIT ${ROW_CAP}`;
  return { filter: st.everyRow.filter, cap: at === undefined ? undefined : { edits: [{ start: at, end: at, newText: ` ${text}` }], text } };
}

/** The reads of `queries` (and raw SQL: `taggedQueries`, statements in `sql`) that return every row their constants match, on a request path or not. */
export function unboundedCandidates(queries: readonly TsQueryFact[], taggedQueries: readonly TsTaggedQuery[], sql: readonly SqlStatementFact[]): UnboundedRead[] {
  const out: UnboundedRead[] = [];
  for (const q of queries) {
    if (q.write || q.fragment || q.loop || q.pagination || q.inferred) continue;
    if (q.orm === 'sql') {
      const read = sqlRead(q, sql);
      if (read) out.push({ q, node: q.call, model: q.model, ...read });
      continue;
    }
    const options = q.style === 'options' && READS_MANY[q.orm]?.test(q.operation);
    if (!options && q.style !== 'chain') continue;
    const read = options ? optionsRead(q, q.call) : chainRead(q, q.call);
    if (!read) continue;
    // A repository's entity (`Repository<Post>`) names the model better than the property holding it.
    const entity = (q.orm === 'typeorm' || q.orm === 'mikro-orm') && options && ts.isPropertyAccessExpression(q.call.expression) ? repositoryEntity(q.call.expression.expression) : undefined;
    out.push({ q, node: q.call, model: entity ?? q.model, ...read });
  }
  for (const t of taggedQueries) {
    if (t.write || t.loop) continue;
    const read = sqlRead(t, sql);
    if (read) out.push({ q: t, node: t.node, model: t.model, ...read });
  }
  return out;
}

/** The reads that run on a request path of this file. */
export function unboundedReads(candidates: readonly UnboundedRead[], reach: ReadonlyMap<ts.Node, HandlerReach>): UnboundedReadFact[] {
  const out: UnboundedReadFact[] = [];
  if (reach.size === 0) return out;
  for (const { q, node, model, filter, cap } of candidates) {
    const path = requestPathOf(node, reach);
    if (!path) continue;
    out.push({ start: q.start, end: q.end, orm: q.orm, model, callee: q.callee, filter, handler: path.reach.handler.fact, chain: path.reach.chain, ...(cap ? { cap } : {}) });
  }
  return out;
}

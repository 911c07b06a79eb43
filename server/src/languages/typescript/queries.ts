/**
 * ORM and query-builder calls in JS/TS, in two shapes:
 *  - options objects: `prisma.post.findMany({ skip, take, orderBy })`, `Post.findAll({ offset })`,
 *    `repo.find({ skip })`, `em.find(Post, {}, { offset })`;
 *  - builder chains: `knex('posts').orderBy('id').offset(n)`, `db.selectFrom('posts')…offset(n)`,
 *    `db.select().from(posts)…offset(n)`, `qb.skip(n)`, `Post.find().sort(…).skip(n)`.
 * A call counts only with evidence that it is a query (the file's imports, or a method shape no
 * array or stream has), so `.skip()` on other objects is not a query.
 */
import ts from 'typescript';
import { drizzleFilter, mikroOrmFilter, mongooseFilter, prismaFilter, sequelizeFilter, typeormFilter } from './filters';
import { repositoryEntity } from './repositories';
import type { OrderKey, OrmId, PaginationFact, QueryFact, SqlStatementFact } from '../facts';
import type { FileImports } from './imports';
import type { ItemsSource } from './items-source';
import { columnName, findProperty, hasComparisonOn, orderKeysFromCall, orderKeysFromOption, propertyValue } from './ordering';
import { isSqliteStatement, sqlOperation } from '../sql/embedded';
import { RUNS_SQL } from './embedded-sql';
import { valueFact } from './values';

export interface TsQueryFact extends QueryFact {
  call: ts.CallExpression;
  /**
   * A `create(values)` of a model required from the app's models module, in a file whose calls show
   * no library: a query only if the workspace defines the model with Sequelize (the rules ask it).
   */
  sequelizeIfModel?: string;
  style: 'options' | 'chain';
  /** Options style: the options object holding the offset. */
  options?: ts.ObjectLiteralExpression;
  /** Options style: the `skip`/`offset` property. */
  offsetProperty?: ts.ObjectLiteralElementLike;
  /** Chain style: the calls from the root outwards, and the `.offset()`/`.skip()` call. */
  chain?: ts.CallExpression[];
  offsetCall?: ts.CallExpression;
  /** The request object the page was read from (`req.query`), for reading the cursor. */
  requestObject?: string;
  /** The library was inferred from names, not imports: report, but do not rewrite. */
  inferred?: boolean;
  /** Prisma's fluent API on this lookup: `.author()` after `findUnique(…)` reads a relation. */
  fluent?: { name: string; call: ts.CallExpression };
  /** In a loop: the query that produced the loop's items, when the same function shows it. */
  itemsSource?: ItemsSource;
}

const READ_METHODS = [
  'findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'findAll', 'findAndCountAll', 'find',
  'findAndCount', 'findBy', 'findAndCountBy', 'findManyAndCount', 'count', 'aggregate', 'groupBy', 'findOne', 'findOneBy',
  'findOneOrFail', 'findOneByOrFail', 'findByPk', 'findById', 'countDocuments', 'exists', 'findOneAndUpdate',
];
const WRITE_METHODS = [
  'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'save', 'insert', 'destroy',
  'remove', 'updateOne', 'insertOne', 'deleteOne', 'insertMany', 'persistAndFlush', 'bulkCreate', 'increment', 'decrement',
  'replaceOne', 'findByIdAndUpdate', 'findByIdAndDelete', 'findOneAndDelete', 'findOneAndReplace',
  // MikroORM's entity manager, straight to the database (no unit of work).
  'nativeUpdate', 'nativeDelete', 'nativeInsert',
];
const OPTION_METHODS = new Set([...READ_METHODS, ...WRITE_METHODS]);
export const WRITES = new Set(WRITE_METHODS);
const CHAIN_WRITES = new Set(['insert', 'update', 'delete', 'del', 'insertInto', 'updateTable', 'deleteFrom', 'upsert', 'increment', 'decrement']);
const ORM_OPTION_KEYS = new Set(['where', 'order', 'orderBy', 'skip', 'take', 'offset', 'limit', 'relations', 'include', 'attributes', 'select', 'populate', 'sort', 'cursor']);
/** A receiver that holds models or repositories: `Post`, `userRepository`, `this.em`, `models.User`. */
const MODEL_RECEIVER = /(^|\.)([A-Z]\w*|\w*(Repo|Repository|repo|repository|Model|model|Manager|manager)|em|orm|db|dataSource|entityManager|manager)$/;
const OFFSET_KEYS = ['skip', 'offset'];
const ORDER_KEYS = ['orderBy', 'order', 'sort'];
const CHAIN_OFFSET = new Set(['offset', 'skip']);
const QUERY_CHAIN_METHODS = new Set([
  'select', 'selectAll', 'selectFrom', 'from', 'where', 'andWhere', 'orWhere', 'whereIn', 'orderBy', 'addOrderBy', 'sort',
  'limit', 'take', 'createQueryBuilder', 'leftJoin', 'innerJoin', 'leftJoinAndSelect', 'innerJoinAndSelect', 'find', 'table',
  'query', 'populate', 'lean', 'columns', 'distinct', 'groupBy',
]);

/**
 * Write methods: `insertInto(t).values(…)`, `insert(t).values(…)`, `knex(t).insert(…)`. A chain of
 * these alone counts only for a builder named as such (Map#set, Set#delete, and
 * `createHash('md5').update(x)`, a call with one string like Knex's `knex('t')`, are not).
 */
const WRITE_CHAIN_METHODS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'values', 'set', 'insert', 'update', 'del', 'returning']);

/** Source text for messages: one line, short. */
function shortText(node: ts.Node): string {
  const t = node.getText().replace(/\s*\n\s*/g, '').replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

function methodName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
}

/** `a.b().c().offset(x)` → [a.b(), a.b().c(), …, offset call] (innermost first). */
function chainOf(call: ts.CallExpression): ts.CallExpression[] {
  const chain: ts.CallExpression[] = [call];
  let e: ts.Expression = call.expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else if (ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e)) {
      chain.unshift(e);
      e = e.expression;
    } else break;
  }
  return chain;
}

function chainRoot(chain: ts.CallExpression[]): ts.Expression {
  let e: ts.Expression = chain[0].expression;
  while (ts.isPropertyAccessExpression(e)) e = e.expression;
  return e;
}

/** `this.users` where the class's constructor takes `private users: Repository<User>` (NestJS injection). */
function isInjectedRepository(receiver: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(receiver) || receiver.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  let cls: ts.Node | undefined = receiver.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return false;
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  const param = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === receiver.name.text);
  return !!param?.type && /Repository|Model|EntityManager|ModelStatic|ModelCtor|Collection/.test(param.type.getText());
}

function optionsOrm(call: ts.CallExpression, method: string, imports: FileImports, keys: string[]): OrmId | undefined {
  const callee = call.expression.getText();
  if (/\.query\.\w+\.find(Many|First)$/.test(callee) && imports.orms.has('drizzle')) return 'drizzle';
  const prismaMethod = /^(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|count|aggregate|groupBy|create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)$/.test(method);
  if (/prisma|^(tx|db|ctx\.db|this\.db)\.\w+\.\w+$/i.test(callee) && prismaMethod && /\.\w+\.\w+$/.test(callee) && (/prisma/i.test(callee) || imports.orms.has('prisma'))) return 'prisma';
  if (imports.orms.has('prisma') && /^(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow)$/.test(method)) return 'prisma';
  if (imports.orms.has('mikro-orm')) return 'mikro-orm';
  if (imports.orms.has('typeorm')) return 'typeorm';
  if (imports.orms.has('sequelize')) return 'sequelize';
  if (imports.orms.has('mongoose')) return 'mongoose';
  // Sequelize models are often imported from a local models folder: `findAll`/`findAndCountAll`
  // with `offset` is its shape.
  const receiver = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
  const modelName = receiver && (ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : '');
  if ((method === 'findAll' || method === 'findAndCountAll') && keys.includes('offset') && modelName && /^[A-Z]/.test(modelName)) return 'sequelize';
  // Methods only one library has, on a model class: Sequelize's findByPk, Mongoose's findById.
  if (modelName && /^[A-Z]/.test(modelName)) {
    if (/^(findByPk|findOrCreate|bulkCreate)$/.test(method)) return 'sequelize';
    if (/^(findById|countDocuments|findOneAndUpdate|insertMany)$/.test(method)) return 'mongoose';
    // A model imported from the app's own modules (`const { Post } = require('./models')`), the
    // file importing no ORM: methods only Mongoose's models have, or find/findOne with a filter
    // (field names, where Sequelize and TypeORM take `where`/`include`/… options).
    if (ts.isIdentifier(receiver!) && /^\.\.?\//.test(imports.names.get(modelName) ?? '')) {
      if (MONGOOSE_ONLY.test(method)) return 'mongoose';
      // A module of models (sequelize-cli's `require('../models')`, `./models/post`): Sequelize's
      // writes take their filter as `{ where }`, and `create(values)` belongs to the library the
      // file's other calls show. Domain classes elsewhere have `create` factories of their own.
      if (MODELS_MODULE.test(imports.names.get(modelName)!)) {
        const options = method === 'update' ? call.arguments[1] : method === 'destroy' ? call.arguments[0] : undefined;
        if (options && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'where')) return 'sequelize';
        if (method === 'create' && call.arguments.length >= 1 && ts.isObjectLiteralExpression(call.arguments[0])) {
          const orm = localModelsOrm(call.getSourceFile());
          // Not shown: Sequelize's if the workspace defines the model so (sequelizeIfModel).
          return orm ?? UNSURE_SEQUELIZE;
        }
      }
      if (/^(find|findOne)$/.test(method) && keys.length > 0 && !keys.some((k) => ORM_OPTION_KEYS.has(k) || /^(raw|transaction|paranoid|lock)$/.test(k))) return 'mongoose';
    }
    // Sequelize models imported from a local folder: findAll/findOne with its option keys.
    if (/^(findAll|findOne|count)$/.test(method) && keys.some((k) => /^(where|include|attributes|order|raw)$/.test(k))) return 'sequelize';
    // `Post.findAll()` with no options: no other library's model class has findAll.
    if (method === 'findAll' && call.arguments.length === 0) return 'sequelize';
  }
  return undefined;
}

/** optionsOrm's answer for a create on a model of the app whose library only the workspace can tell. */
const UNSURE_SEQUELIZE = 'sequelize?' as OrmId;

/** What a file's calls on its own models' classes show of their library, when they show one only. */
const localModelEvidence = new WeakMap<ts.SourceFile, OrmId | null>();
/** A module of models: `../models`, `./models/index`, `../db/models/post`, `./user.model`. */
const MODELS_MODULE = /(^|\/)models?(\/|$)|\.models?$/;
/** Calls only Sequelize's models have (Bookshelf's have findAll, and Prisma's and others' `where:`). */
const SEQUELIZE_CALLS = /\b[A-Z]\w*\.(findByPk|findAndCountAll|bulkCreate|findOrCreate)\s*\(|\bOp\.[a-z]/;
const MONGOOSE_CALLS = /\b[A-Z]\w*\.(findById|findByIdAndUpdate|findByIdAndDelete|countDocuments|insertMany)\s*\(|\.(populate|lean)\s*\(|\.exec\s*\(\s*\)/;

function localModelsOrm(sf: ts.SourceFile): OrmId | undefined {
  let orm = localModelEvidence.get(sf);
  if (orm === undefined) {
    const sequelize = SEQUELIZE_CALLS.test(sf.text);
    const mongoose = MONGOOSE_CALLS.test(sf.text);
    orm = sequelize === mongoose ? null : sequelize ? 'sequelize' : 'mongoose';
    localModelEvidence.set(sf, orm);
  }
  return orm ?? undefined;
}

/** Methods of Mongoose's models that no other ORM's model classes have. */
const MONGOOSE_ONLY = /^(updateOne|updateMany|deleteOne|deleteMany|replaceOne|findByIdAndUpdate|findByIdAndDelete|findOneAndDelete|findOneAndReplace|exists|bulkWrite)$/;

/** Knex-style, by method names alone (no import says which builder it is). */
const INFERRED_KNEX = 'knex-inferred' as const;

const KNEX_METHODS = new Set(['select', 'where', 'whereIn', 'andWhere', 'first', 'insert', 'update', 'del', 'delete', 'orderBy', 'from', 'join', 'leftJoin', 'innerJoin', 'pluck', 'count', 'increment', 'decrement', 'returning', 'limit', 'offset', 'groupBy', 'upsert', 'onConflict', 'merge']);
const MONGOOSE_ROOTS = new Set(['find', 'findOne', 'findById', 'aggregate', 'countDocuments', 'findOneAndUpdate', 'updateMany', 'updateOne', 'deleteMany', 'deleteOne', 'distinct', 'where']);
const DRIZZLE_ROOTS = new Set(['select', 'selectDistinct', 'insert', 'update', 'delete']);
const KYSELY_ROOTS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto']);

/** The receiver of the chain's first call: `knex` in `knex.select()`, `Post` in `Post.find()`. */
function firstReceiver(chain: ts.CallExpression[]): string | undefined {
  const e = chain[0].expression;
  return ts.isPropertyAccessExpression(e) ? e.expression.getText() : undefined;
}

/**
 * Which builder a chain is, from shapes only builders have. Array and string methods share names
 * with query methods (`find`, `sort`, `from`, `map`), so a name alone is never enough.
 */
function chainOrm(chain: ts.CallExpression[], imports: FileImports): OrmId | typeof INFERRED_KNEX | undefined {
  const methods = new Set(chain.map(methodName).filter((m): m is string => !!m));
  const first = chain[0];
  const firstName = methodName(first) ?? '';
  const receiver = firstReceiver(chain) ?? '';
  if (KYSELY_ROOTS.has(firstName)) return 'kysely';
  if (methods.has('createQueryBuilder')) return imports.orms.has('mikro-orm') && !imports.orms.has('typeorm') ? 'mikro-orm' : 'typeorm';
  if (imports.orms.has('drizzle') && DRIZZLE_ROOTS.has(firstName) && (methods.has('from') || methods.has('values') || methods.has('set') || methods.has('where'))) return 'drizzle';
  // Mongoose: a query started on a model class (`Post.find(…)`), with the import or a Mongoose-only method.
  const onModel = /^([A-Z]\w*|this\.\w*[Mm]odel|\w*Model)$/.test(receiver) && MONGOOSE_ROOTS.has(firstName);
  if (onModel && (imports.orms.has('mongoose') || methods.has('populate') || methods.has('lean') || methods.has('exec') || methods.has('sort'))) return 'mongoose';
  // Knex: `knex('posts')…`, `trx('posts')…`, or `knex.select(…).from(…)`.
  const tableCall = ts.isIdentifier(first.expression) && first.arguments.length === 1 && ts.isStringLiteralLike(first.arguments[0]);
  if (tableCall && [...methods].some((m) => KNEX_METHODS.has(m))) return 'knex';
  if ((imports.orms.has('knex') || /^(knex|trx|db)$/.test(receiver)) && /^(knex|trx|db|tx|this\.knex|this\.db)$/.test(receiver) && KNEX_METHODS.has(firstName)) return 'knex';
  // Builders are often passed around untyped (`applyOffset(rootQuery, n)`); an `.offset()` on a
  // receiver named like one, or next to `.from()`/`.where()`, is Knex-style SQL building.
  const rootName = chainRoot(chain).getText();
  if (methods.has('offset') && (/(query|qb|builder|knex|trx|stmt|select)$/i.test(rootName) || methods.has('from') || methods.has('where') || methods.has('select'))) return INFERRED_KNEX;
  return undefined;
}

function modelOfChain(chain: ts.CallExpression[], orm: OrmId): string | undefined {
  for (const c of chain) {
    const m = methodName(c);
    const a = c.arguments[0];
    if ((m === 'selectFrom' || m === 'from' || m === 'table') && a) return columnName(a.getText().replace(/['"`]/g, '').split(/\s+as\s+/i)[0]);
    if (m === 'createQueryBuilder' && ts.isPropertyAccessExpression(c.expression)) {
      const repo = c.expression.expression.getText();
      if (a && ts.isStringLiteralLike(a) && !/repo|repository/i.test(repo)) return a.text;
      return repo.replace(/^this\./, '').replace(/Repo(sitory)?$/i, '') || (a && ts.isStringLiteralLike(a) ? a.text : undefined);
    }
  }
  const root = chain[0];
  if (orm === 'knex' && ts.isIdentifier(root.expression) && root.arguments[0] && ts.isStringLiteralLike(root.arguments[0])) return root.arguments[0].text;
  const r = chainRoot(chain);
  return ts.isIdentifier(r) ? r.text : undefined;
}

const TIE_COLUMNS = ['id', '_id'];

function pagination(
  kind: PaginationFact['kind'],
  offsetExpr: ts.Expression,
  offsetSpan: { start: number; end: number },
  orderBy: OrderKey[],
  limitExpr: ts.Expression | undefined,
  hasCursor: boolean,
  whereNodes: ts.Node[],
): PaginationFact & { requestObject?: string } {
  const offset = valueFact(offsetExpr);
  const columns = new Set([...orderBy.map((k) => k.column), ...TIE_COLUMNS]);
  const p: PaginationFact & { requestObject?: string } = {
    kind,
    offset,
    orderBy,
    hasCursor,
    hasKeysetFilter: whereNodes.some((n) => hasComparisonOn(n, columns)),
    offsetSpan,
  };
  if (limitExpr) p.limit = valueFact(limitExpr);
  if (offset.requestObject) p.requestObject = offset.requestObject;
  return p;
}

function fromOptions(call: ts.CallExpression, imports: FileImports): TsQueryFact | undefined {
  const method = methodName(call);
  if (!method || !OPTION_METHODS.has(method) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const objects = call.arguments.filter(ts.isObjectLiteralExpression);
  // MikroORM em.find(Entity, where, options): the options object is not the first one.
  const arg = objects.find((o) => findProperty(o, ...OFFSET_KEYS)) ?? objects[0];
  const keys = arg ? arg.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean) : [];
  const receiver = call.expression.expression;
  // Array.prototype.find(x => …), filter callbacks: in-memory work, never a query.
  if (call.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a))) return undefined;
  let orm = optionsOrm(call, method, imports, keys);
  if (!orm) return undefined;
  const unsure = orm === UNSURE_SEQUELIZE;
  if (unsure) orm = 'sequelize';
  // Other ORMs need a receiver that holds models, or options only an ORM takes.
  const ormShaped = keys.some((k) => ORM_OPTION_KEYS.has(k));
  // `dataSource.getRepository(Post).findBy(…)`: a repository made on the spot.
  const repositoryCall = ts.isCallExpression(receiver) && /^(getRepository|getTreeRepository|getCustomRepository)$/.test(methodName(receiver) ?? '');
  // A repository in a variable of any name (`const users = dataSource.getRepository(User)`) says what it is.
  const repositoryVariable = () => ts.isIdentifier(receiver) && (orm === 'typeorm' || orm === 'mikro-orm') && !!repositoryEntity(receiver);
  if (orm !== 'prisma' && orm !== 'drizzle' && !ormShaped && !repositoryCall && !MODEL_RECEIVER.test(receiver.getText()) && receiver.kind !== ts.SyntaxKind.ThisKeyword && !isInjectedRepository(receiver) && !repositoryVariable()) return undefined;
  // `this.find(…)` inside a repository class: the model is not named here. An EntityManager's
  // `em.find(Book, …)` (MikroORM, TypeORM) names it first.
  const first = call.arguments[0];
  const model =
    first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text) && (orm === 'mikro-orm' || orm === 'typeorm') ? first.text
      : receiver.kind === ts.SyntaxKind.ThisKeyword ? undefined
        : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : receiver.getText().replace(/^this\./, '').replace(/Repo(sitory)?$/i, '');
  const fact: TsQueryFact = {
    orm, model, operation: method, callee: shortText(call.expression), start: call.getStart(), end: call.getEnd(), call, style: 'options', options: arg,
  };
  if (unsure) fact.sequelizeIfModel = receiver.getText();
  // `em.find(Book, where)`: the entity first on an EntityManager.
  const entityFirst = !!first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text);
  const filter =
    orm === 'prisma' && arg ? prismaFilter(propertyValue(findProperty(arg, 'where')))
      : orm === 'typeorm' ? typeormFilter(call, method, repositoryEntity(receiver) ?? (entityFirst ? first.text : undefined))
        : orm === 'mongoose' ? mongooseFilter(call, method)
          : orm === 'sequelize' ? sequelizeFilter(call)
            : orm === 'mikro-orm' ? mikroOrmFilter(call, method, entityFirst ? first.text : repositoryEntity(receiver), entityFirst)
              : undefined;
  if (filter) fact.filter = filter;
  const offsetProperty = arg ? findProperty(arg, ...OFFSET_KEYS) : undefined;
  const offsetExpr = propertyValue(offsetProperty);
  if (arg && offsetProperty && offsetExpr) {
    const orderValue = propertyValue(findProperty(arg, ...ORDER_KEYS));
    const orderBy = orderValue ? orderKeysFromOption(orderValue) : [];
    const where = propertyValue(findProperty(arg, 'where'));
    const whereNodes = [where, ...call.arguments.filter((a) => a !== arg)].filter((n): n is ts.Expression => !!n);
    const p = pagination('offset-option', offsetExpr, { start: offsetProperty.getStart(), end: offsetProperty.getEnd() }, orderBy, propertyValue(findProperty(arg, 'take', 'limit')), !!findProperty(arg, 'cursor'), whereNodes);
    fact.requestObject = p.requestObject;
    delete p.requestObject;
    fact.pagination = p;
    fact.offsetProperty = offsetProperty;
  }
  return fact;
}

/** `const k = knex(config)`, `const k = require('knex')(config)` at the top of the file. */
function madeByKnex(name: string, sf: ts.SourceFile, imports: FileImports): boolean {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer || !ts.isCallExpression(d.initializer)) continue;
      const f = d.initializer.expression;
      if (ts.isIdentifier(f) && imports.names.get(f.text) === 'knex') return true;
      if (ts.isCallExpression(f) && /^require\(\s*['"]knex['"]\s*\)$/.test(f.getText())) return true;
    }
  }
  return false;
}

/** Is `call` the outermost call of its chain (`a.b().c()` → the `.c()` call)? */
function isOutermost(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (ts.isNonNullExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return !(ts.isPropertyAccessExpression(n.parent) && ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent);
}

function fromChain(call: ts.CallExpression, imports: FileImports): TsQueryFact | undefined {
  if (!isOutermost(call)) return undefined;
  const chain = chainOf(call);
  // `.find(x => …)`, `.map(x => …)`: arrays, not queries (query builders' callbacks go to where/join).
  if (chain.some((c) => /^(find|filter|map|some|every|sort|reduce|forEach|flatMap)$/.test(methodName(c) ?? '') && c.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)))) return undefined;
  const offsetCall0 = chain.find((c) => methodName(c) === 'offset' && c.arguments.length === 1);
  // A lone `rootQuery.offset(n)` counts when the receiver is named like a query builder.
  const loneOffset = chain.length === 1 && offsetCall0 && /(query|qb|builder)$/i.test(chainRoot(chain).getText());
  const reads = chain.some((c) => QUERY_CHAIN_METHODS.has(methodName(c) ?? ''));
  const writes = !reads && chain.some((c) => WRITE_CHAIN_METHODS.has(methodName(c) ?? ''));
  if (!loneOffset && (chain.length < 2 || (!reads && !writes))) return undefined;
  const offsetCall = chain.find((c) => CHAIN_OFFSET.has(methodName(c) ?? '') && c.arguments.length === 1 && ts.isPropertyAccessExpression(c.expression));
  // `.skip()`/`.offset()` is the sign of a paging query; without one, only unambiguous builders count.
  const resolved = chainOrm(chain, imports);
  if (!resolved) return undefined;
  // Knex known by a table call alone (`x('t').update(…)`): only on a name a builder goes by (a file
  // that imports Knex hashes with `createHash('md5').update(…)` too).
  const builder = ts.isIdentifier(chain[0].expression) ? chain[0].expression.text : firstReceiver(chain) ?? '';
  if (writes && resolved === 'knex' && imports.names.get(builder) !== 'knex' && !/^(knex|trx|db|tx|database)$/.test(builder) && !madeByKnex(builder, call.getSourceFile(), imports)) return undefined;
  const orm: OrmId = resolved === INFERRED_KNEX ? 'knex' : resolved;
  const fact: TsQueryFact = {
    orm, model: modelOfChain(chain, orm), inferred: resolved === INFERRED_KNEX,
    // A builder writes when its chain has insert/update/delete, wherever the chain ends (`.returning()`).
    // A table call names its table (`knex('posts')`), where the callee alone (`knex`) would not say which query.
    operation: chain.map(methodName).find((m) => !!m && CHAIN_WRITES.has(m)) ?? methodName(call) ?? 'select', callee: shortText(ts.isIdentifier(chain[0].expression) ? chain[0] : chain[0].expression), start: call.getStart(), end: call.getEnd(),
    call, style: 'chain', chain,
  };
  const filter = orm === 'drizzle' ? drizzleFilter(chain) : undefined;
  if (filter) fact.filter = filter;
  if (!offsetCall) return fact;
  const orderBy = chain.flatMap((c) => {
    const m = methodName(c) ?? '';
    return m === 'orderBy' || m === 'addOrderBy' || m === 'sort' ? orderKeysFromCall(m, c.arguments) : [];
  });
  const whereNodes = chain.filter((c) => /^(where|andWhere|whereRaw|find|findOne|having|gt|gte|lt|lte)$/.test(methodName(c) ?? ''));
  const limitCall = chain.find((c) => /^(limit|take)$/.test(methodName(c) ?? ''));
  const access = offsetCall.expression as ts.PropertyAccessExpression;
  const p = pagination('offset-call', offsetCall.arguments[0], { start: access.name.getStart() - 1, end: offsetCall.getEnd() }, orderBy, limitCall?.arguments[0], false, whereNodes);
  fact.requestObject = p.requestObject;
  delete p.requestObject;
  fact.pagination = p;
  fact.offsetCall = offsetCall;
  return fact;
}

/** Builder methods that take another builder as a part of their query: set operations, subqueries, joins, CTEs. */
const TAKES_SUBQUERY = /^(union|unionAll|intersect|intersectAll|except|exceptAll|from|as|with|inArray|notInArray|exists|notExists|whereIn|orWhereIn|andWhereIn|whereNotIn|whereExists|whereNotExists|innerJoin|leftJoin|rightJoin|fullJoin|join|selectFrom)$/;
/** What runs a lazy builder (Drizzle, Kysely, Knex): awaiting it, or these. */
const RUNS_BUILDER = /^(then|execute|executeTakeFirst|executeTakeFirstOrThrow|stream|all|get|run|first|pluck|catch|finally)$/;

/** Where a builder's value goes is a part of another query: `.as(…)` of it, a `sql` template's value, a subquery argument. */
function composedHere(expr: ts.Expression): boolean {
  let n: ts.Node = expr;
  while (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isTemplateSpan(p)) return true;
  if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) return TAKES_SUBQUERY.test(methodName(p) ?? '');
  return ts.isPropertyAccessExpression(p) && p.name.text === 'as' && ts.isCallExpression(p.parent);
}

/**
 * A lazy builder's chain (Drizzle, Kysely, Knex) that is composed into another query instead of
 * run: `db.select().from(t).as('sq')`, `` sql`${db.select()…}` ``, `whereIn('id', sub)`, or a
 * variable only ever refined (`q = q.where(…)`), composed (`union.unionAll(q)`, `q.as('sq')`) or
 * gathered into a variable declared before the loop it is in (`unionQuery = q`), never awaited,
 * executed or returned. Such a builder per item is a part of one query (a UNION of one select per
 * table), not a query per item.
 */
export function isComposedBuilder(q: TsQueryFact): boolean {
  if (q.style !== 'chain' || !/^(drizzle|kysely|knex)$/.test(q.orm) || !q.call) return false;
  const call = q.call;
  if (methodName(call) === 'as' || composedHere(call)) return true;
  let target: ts.Identifier | undefined;
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  if (ts.isVariableDeclaration(n.parent) && n.parent.initializer === n && ts.isIdentifier(n.parent.name)) target = n.parent.name;
  else if (ts.isBinaryExpression(n.parent) && n.parent.right === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.parent.left)) target = n.parent.left;
  if (!target) return false;
  let scope: ts.Node | undefined = call.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return false;
  const uses = (namesIn(scope).get(target.text) ?? []).filter((x) => x !== target);
  return uses.length > 0 && uses.every((x) => composedUse(x, target.text, call));
}

/**
 * The identifiers of a function (or file) by name that read a variable: not what a declaration or
 * an assignment sets (`q = q.where(…)`'s left side), nor property names (`a.q`, `{ q: 1 }`). Made
 * once per scope: a function that builds many queries is walked once, not once per builder.
 */
const readsByScope = new WeakMap<ts.Node, Map<string, ts.Identifier[]>>();

function namesIn(scope: ts.Node): Map<string, ts.Identifier[]> {
  let out = readsByScope.get(scope);
  if (out) return out;
  out = new Map();
  const found = out;
  const visit = (x: ts.Node): void => {
    if (ts.isIdentifier(x)) {
      const p = x.parent;
      const written = (ts.isVariableDeclaration(p) && p.name === x) || (ts.isBinaryExpression(p) && p.left === x && p.operatorToken.kind === ts.SyntaxKind.EqualsToken);
      const property = (ts.isPropertyAccessExpression(p) && p.name === x) || (ts.isPropertyAssignment(p) && p.name === x);
      if (!written && !property) {
        const list = found.get(x.text);
        if (list) list.push(x);
        else found.set(x.text, [x]);
      }
      return;
    }
    ts.forEachChild(x, visit);
  };
  ts.forEachChild(scope, visit);
  readsByScope.set(scope, out);
  return out;
}

/** A use of the builder variable `name` that composes it: refined into itself, composed into another query, gathered into an outer variable. */
function composedUse(id: ts.Identifier, name: string, made: ts.Node): boolean {
  let n: ts.Node = id;
  const value = (x: ts.Node): boolean => ts.isParenthesizedExpression(x.parent) || ts.isNonNullExpression(x.parent) || (ts.isConditionalExpression(x.parent) && x.parent.condition !== x);
  while (value(n)) n = n.parent;
  const p = n.parent;
  // `q = q.where(…)`, `q[type](table, on)`: a refinement, assigned back to the variable.
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) {
    const member = ts.isPropertyAccessExpression(p) ? p.name.text : '';
    if (RUNS_BUILDER.test(member)) return false;
    if (member === 'as' && ts.isCallExpression(p.parent)) return true;
    let top: ts.Node = p;
    while ((ts.isCallExpression(top.parent) && top.parent.expression === top) || (ts.isPropertyAccessExpression(top.parent) && top.parent.expression === top)) top = top.parent;
    if (composedHere(top as ts.Expression)) return true;
    const assign = top.parent;
    return ts.isBinaryExpression(assign) && assign.right === top && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(assign.left) && assign.left.text === name;
  }
  if (composedHere(n as ts.Expression)) return true;
  // `unionQuery = q`, gathered into a variable declared before the loop the builder is made in.
  if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(p.left)) {
    const outer = p.left.text;
    for (let a: ts.Node | undefined = made.parent; a && !ts.isFunctionLike(a); a = a.parent) {
      if (ts.isIterationStatement(a, false)) return declaredBefore(a, outer);
    }
  }
  return false;
}

/** Whether `name` is declared by a `let`/`const`/`var` of the blocks around `loop`, before it. */
function declaredBefore(loop: ts.Node, name: string): boolean {
  for (let b: ts.Node | undefined = loop.parent; b; b = b.parent) {
    if (!ts.isBlock(b) && !ts.isSourceFile(b)) continue;
    for (const st of b.statements) {
      if (st.pos >= loop.pos) break;
      if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) return true;
    }
    if (ts.isFunctionLike(b.parent)) break;
  }
  return false;
}

/**
 * A SQL string run by a database client's call (`pool.query('SELECT … WHERE id = $1', [id])`): a
 * query of its own, for the rules that count queries (a raw query in a loop is an N+1 as much as an
 * ORM's). Not SQLite's: an in-process database answers many small queries as fast as one large one.
 */
export function rawSqlQuery(call: ts.CallExpression, statement: SqlStatementFact): TsQueryFact | undefined {
  if (isSqliteStatement(statement) || !RUNS_SQL.test(methodName(call) ?? '')) return undefined;
  // `where(knex.raw('…'))`, `${sql.unsafe('…')}`: a fragment of another query, not one of its own
  // (`promises.push(pool.query(…))` is one).
  const p = call.parent;
  if ((methodName(call) === 'raw' && ts.isCallExpression(p) && p.arguments.includes(call)) || ts.isTemplateSpan(p)) return undefined;
  const operation = sqlOperation(statement.text);
  if (!operation) return undefined;
  // Kysely's `sql\`…\`.execute(db)`: named without the statement.
  const e = call.expression;
  const callee = ts.isPropertyAccessExpression(e) && ts.isTaggedTemplateExpression(e.expression) ? `${shortText(e.expression.tag)}\`…\`.${e.name.text}` : shortText(e);
  return { orm: 'sql', model: statement.tables[0], operation, callee, start: call.getStart(), end: call.getEnd(), call, style: 'options' };
}

/** A raw query written as a tagged template: `await sql\`…\`` (postgres.js, @vercel/postgres, Neon), `prisma.$queryRaw\`…\``. */
export interface TsTaggedQuery extends QueryFact {
  node: ts.TaggedTemplateExpression;
}

/** Tags that run their statement wherever they are (Prisma's, run when awaited or passed to `$transaction`). */
const RUNNING_TAGS = /(^|\.)\$(queryRaw|executeRaw)$/;

/**
 * A tagged template that runs its SQL: Prisma's `$queryRaw`/`$executeRaw`, or `sql\`…\`` awaited
 * as written (postgres.js, @vercel/postgres, Neon run it so). Not Drizzle's or Kysely's `sql`,
 * which build a fragment: the call they are passed to (`db.execute(sql\`…\`)`) or that runs them
 * (`sql\`…\`.execute(db)`) is the query (rawSqlQuery).
 */
export function taggedSqlQuery(node: ts.TaggedTemplateExpression, statement: SqlStatementFact): TsTaggedQuery | undefined {
  if (isSqliteStatement(statement)) return undefined;
  const tag = node.tag.getText();
  let up: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(up)) up = up.parent;
  if (!RUNNING_TAGS.test(tag) && !(tag === 'sql' && ts.isAwaitExpression(up))) return undefined;
  const operation = sqlOperation(statement.text);
  if (!operation) return undefined;
  return { orm: 'sql', model: statement.tables[0], operation, callee: shortText(node.tag), start: node.getStart(), end: node.getEnd(), node };
}

/** The tagged template a call runs: `db.execute(sql\`…\`)`, `pool.query(sql\`…\`)` (Slonik), `sql\`…\`.execute(db)` (Kysely). */
export function taggedTemplateRun(call: ts.CallExpression): ts.TaggedTemplateExpression | undefined {
  const first = call.arguments[0];
  if (first && ts.isTaggedTemplateExpression(first)) return first;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isTaggedTemplateExpression(callee.expression) ? callee.expression : undefined;
}

/**
 * The query a call is part of: a builder chain is one query, reported at its outermost call (inner
 * calls of a recognised chain are skipped via `inChain`); an options call is one query.
 */
export function queryFromCall(call: ts.CallExpression, imports: FileImports, inChain: Set<ts.Node>): TsQueryFact | undefined {
  if (inChain.has(call)) return undefined;
  const chained = fromChain(call, imports);
  if (chained) {
    for (const c of chained.chain!) inChain.add(c);
    // A chain whose first call is an options query (`Post.find({ skip })…`) pages through its options.
    const first = fromOptions(chained.chain![0], imports);
    return !chained.pagination && first?.pagination ? first : chained;
  }
  return fromOptions(call, imports);
}

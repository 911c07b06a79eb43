/**
 * The semantic model ("facts") that language adapters build from one parse of a file, and that
 * rules read. Offsets are into the file's text. Language-specific extras live in each adapter's
 * own facts type, which extends `FileFacts`.
 */
import type { Span } from '../engine/finding';

export type LanguageId = 'typescript' | 'python' | 'sql' | 'prisma';

export type OrmId =
  | 'prisma' | 'typeorm' | 'sequelize' | 'knex' | 'drizzle' | 'kysely' | 'mongoose' | 'mikro-orm'
  | 'django' | 'sqlalchemy' | 'peewee' | 'sqlmodel'
  | 'sql';

export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

/** Where a value comes from, as far as one file can tell. */
export type ValueOrigin =
  | 'literal'   // a constant written in the code
  | 'request'   // request input: req.query.page, request.GET["page"], a handler parameter bound to the query string
  | 'parameter' // a function parameter or SQL bind parameter ($1, ?, :name)
  | 'setting'   // an instance's field set only when it is made (`this.cacheSize`), or arithmetic over such fields and literals
  | 'computed'  // an expression over other values (page * size, (page - 1) * 20)
  | 'unknown';

export interface ValueFact extends Span {
  text: string;
  origin: ValueOrigin;
  /** The value when it is a compile-time constant (after folding simple arithmetic). */
  constant?: number | string | boolean | null;
  /** Names of request inputs it derives from (`page`, `offset`), when origin is request or computed from one. */
  requestInputs?: string[];
}

export interface OrderKey {
  column: string;
  direction: 'asc' | 'desc';
}

export type PaginationKind =
  | 'offset-option'   // { skip: n } / { offset: n } in an options object (Prisma, TypeORM, Sequelize, MikroORM)
  | 'offset-call'     // .offset(n) / .skip(n) in a builder chain (Knex, Drizzle, Kysely, Mongoose, SQLAlchemy, Peewee, TypeORM QueryBuilder)
  | 'slice'           // Django qs[start:end]
  | 'paginator'       // Django Paginator / DRF LimitOffsetPagination / PageNumberPagination
  | 'peewee-paginate' // Peewee .paginate(page, n)
  | 'sql-offset'      // SQL OFFSET expr
  | 'sql-limit-comma';// MySQL LIMIT offset, count

export interface PaginationFact {
  kind: PaginationKind;
  /** The offset expression (for `paginator`/`peewee-paginate`: the page number). */
  offset: ValueFact;
  limit?: ValueFact;
  orderBy: OrderKey[];
  /** Prisma `cursor`, TypeORM/MikroORM cursor helpers: keyset pagination is already in use. */
  hasCursor: boolean;
  /** A filter on the ordering column such as `id > $1` or `{ id: { gt: after } }`. */
  hasKeysetFilter: boolean;
  /** The span to replace to remove the offset (the `skip: n` property, the `.offset(n)` call, …). */
  offsetSpan: Span;
}

/** A loop (or iteration callback) that runs its body once per item. */
export interface LoopFact extends Span {
  /** `resolver`: a GraphQL field resolver, run once per parent object of a list. */
  kind: 'for-of' | 'for-await' | 'for-in' | 'for' | 'callback' | 'comprehension' | 'resolver';
  /** Names bound per item: `post` in `for (const post of posts)`, a callback's parameters, Python targets. */
  variables: string[];
  /** The collection iterated, as written: `posts`, `orders.items`. */
  iterable?: string;
  /** Where the loop statement starts (its line's indentation included): code that must run once goes before it. */
  statementStart: number;
  /** Items run concurrently: `Promise.all(xs.map(async …))`. Prisma batches same-tick findUnique calls. */
  concurrent: boolean;
  /** The per-item calls are sent as one batch: `prisma.$transaction(xs.map((x) => …))`. */
  batched?: boolean;
  /** The most items there can be, when the query that produced them says (`take: 50`). */
  bound?: { count: number; source: string };
  /**
   * The items are model classes, each used as one (`for model in apps.get_models(): model.objects…`,
   * `session.query(model)`): a query per item is one per model, as many as the code defines.
   */
  overModels?: boolean;
  /**
   * The items arrive one at a time from a queue (`for task in iter(queue.get, "STOP")`): each is
   * handled as it comes, with no list of them to load ahead.
   */
  stream?: boolean;
}

export interface QueryFact extends Span {
  orm: OrmId;
  /** Model or table the query reads, when known: `post`, `Post`, `posts`. */
  model?: string;
  /** The operation: findMany, find, findAll, select, filter, all, execute, … */
  operation: string;
  /** Source text of the callee, e.g. `prisma.post.findMany`, `Post.objects.filter`. */
  callee: string;
  pagination?: PaginationFact;
  /** The innermost loop the query runs in, within the same function. */
  loop?: LoopFact;
  /** The query's arguments depend on the loop's item (directly or through a local derived from it). */
  usesLoopItem?: boolean;
  /** The item is a chunk of keys the query filters by (`id__in=ids[i:i + 500]`): one query per batch, not per item. */
  chunked?: boolean;
  /**
   * A builder composed into another query, never run on its own: a subquery (`.as('sq')`,
   * `whereIn('id', sub)`), a part of a UNION, a `sql` template's value. Pages all the same.
   */
  fragment?: boolean;
  /**
   * Raw SQL whose table is the item's (`SELECT last_value FROM ${sequence}`, `… FROM ${tenant}.orders`):
   * each item's query reads another table, which no one query over the items' keys could read.
   */
  tableOfItem?: boolean;
  /** A write (create/update/delete/save) rather than a read. */
  write?: boolean;
  /** Reached through helpers: the call chain from the call site to the query (`loadAuthor` → `prisma.user.findUnique`). */
  via?: string[];
  /** What the query filters by, when it says so plainly (Prisma's `where`, Django's `filter(…)` keywords). */
  filter?: FilterFact;
}

/**
 * The conditions of a query's filter that all rows must meet (its top-level AND): the fields and
 * how each is compared. What an index on a field can serve: `eq` (`= v`, `IS` a value), `in`
 * (`IN (…)`), `range` (`<`, `>=`, between); `other` is what a plain index does not (contains,
 * case-insensitive matches, `IS NULL`, a transform of the column).
 */
export interface FilterFact {
  fields: Array<Span & { name: string; op: 'eq' | 'in' | 'range' | 'other' }>;
  /**
   * Every condition is a field of the model compared to a value: no OR, no condition through a
   * relation, no spread or `Q` object (one of which an index might serve in ways not seen here).
   */
  complete: boolean;
  /** The model the fields are of, when the query names it otherwise (a TypeORM repository's entity). */
  model?: string;
}

/**
 * The values a call binds to SQL in a string, written out as a tuple or list (`cursor.execute(sql,
 * (owner, n))`): what a rewrite of the SQL that changes its placeholders must change with it. The
 * span is the inside of the brackets.
 */
export interface BoundValuesFact extends Span {
  /** Each value (named: each entry, `"offset": n` or `offset=n`, as written, and its name). */
  values: Array<{ text: string; requestObject?: string; name?: string }>;
  /** How they are written: `(a, b)`, `[a, b]`, `{"a": x}`, or keywords (`dict(a=x)`, `.bindparams(a=x)`). */
  form: 'tuple' | 'list' | 'dict' | 'keywords';
  /** A dictionary's quote for a new key. */
  quote?: string;
  /** The enclosing function's parameter list (its closing parenthesis): where a new parameter goes. */
  params?: { close: number; empty: boolean; route: boolean };
}

export interface SqlStatementFact extends Span {
  dialect: SqlDialect;
  /** The statement text (for embedded SQL: the string's contents, placeholders for interpolations). */
  text: string;
  /** Where the SQL came from: a .sql file, or a string in code (`$queryRaw`, `cursor.execute`, …). */
  host: 'file' | 'string';
  tables: string[];
  pagination?: PaginationFact;
  /** Python: the values the call binds, when written out (the TS rules read the call from the syntax tree). */
  boundValues?: BoundValuesFact;
  /**
   * A SELECT that returns every row of its tables, or every row a WHERE of constants matches: no
   * LIMIT, no grouping, aggregates not alone, and no parameter or interpolated value anywhere.
   * `limitAt`: where `LIMIT n` goes in the file (the statement's end, when written literally).
   */
  everyRow?: { filter: 'none' | 'constant'; limitAt?: number };
}

/** A relation of an ORM model, read from its definition (Django models, …). */
export interface RelationFact {
  field: string;
  /** to-one: a foreign key or one-to-one (one row); to-many: many-to-many or a reverse relation. */
  kind: 'to-one' | 'to-many';
  target: string;
  /** Django's reverse accessor on the target (`related_name`, or `<model>_set`). */
  reverseName?: string;
  /** TypeORM: a lazy relation (typed `Promise<T>` or `lazy: true`): reading it awaits a query. */
  lazy?: boolean;
  /** TypeORM `eager: true`: loaded with every find of the model. */
  eager?: boolean;
  /** Sequelize: the association was named with `as` (includes must repeat the alias). */
  aliased?: boolean;
  /** Prisma `@relation(fields: [authorId], references: [id])`: the key columns on this side and the target's. */
  foreignKey?: string[];
  references?: string[];
}

export interface ModelFact extends Span {
  name: string;
  orm: OrmId;
  relations: RelationFact[];
  /**
   * Indexes the model (or, for `orm: 'sql'`, the table of a `CREATE INDEX`) declares, as column or
   * field lists in order: Prisma `@@index`/`@@unique`/`@@id` and `@id`/`@unique` fields, Django's and
   * SQLAlchemy's indexed fields and keys, SQL DDL.
   */
  indexes?: Array<{ columns: string[]; name?: string; /** SQL: the offset of its CREATE INDEX in the file. */ at?: number }>;
  /**
   * Fields with few distinct values (booleans, enums, Django `choices`): an index on one of them
   * alone rarely narrows a read to a few rows.
   */
  lowCardinality?: string[];
  /** SQLAlchemy, Sequelize: the table (`__tablename__`), whose indexes a migration or `.sql` file may make by hand. */
  table?: string;
  /** The database column of a field whose name differs (a Sequelize `underscored` model: `authorId` → `author_id`). */
  columns?: Record<string, string>;
  /** The fields that are foreign keys (`authorId` of a Prisma relation, a SQLAlchemy `ForeignKey` column): unindexed-foreign-key's. */
  foreignKeys?: string[];
  /** SQL tables: the column lists of PRIMARY KEY and UNIQUE constraints, which the database indexes on its own. */
  keys?: string[][];
  /**
   * The type of each scalar field, for fixes that write a value of one: Prisma's (`{ id: 'Int',
   * createdAt: 'DateTime' }`), TypeORM columns' TypeScript types (`{ id: 'number', createdAt: 'Date' }`),
   * Django's field classes (`{ email: 'EmailField', author: 'ForeignKey' }`).
   */
  fieldTypes?: Record<string, string>;
  /**
   * SQL tables: what the file's DDL drops of the table, each at the offset of its statement.
   * A migration that runs later undoes what an earlier one made (unindexed-foreign-key).
   */
  drops?: SqlDropFact[];
  /** An Alembic migration's tables: its `revision` and the `down_revision`(s) it follows, which order the migrations. */
  alembic?: { revision: string; down: string[] };
}

/**
 * `DROP TABLE t`, `ALTER TABLE t DROP COLUMN c`, `ALTER TABLE t DROP CONSTRAINT k`, or the foreign
 * key on these columns (Knex's `dropForeign(['c'])`): one of these, at `at`.
 */
export interface SqlDropFact {
  at: number;
  table?: true;
  column?: string;
  constraint?: string;
  foreignKey?: string[];
  /** `DROP INDEX name` (PostgreSQL's names no table: its entry is the model named ''). */
  index?: string;
}

/**
 * A foreign key of SQL DDL (`author_id bigint REFERENCES authors (id)`, `FOREIGN KEY (a, b)
 * REFERENCES …`, `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`); the span is its REFERENCES clause.
 */
export interface ForeignKeyFact extends Span {
  /** The referencing table as written (`"Post"`) and its bare name (`Post`). */
  table: { text: string; name: string };
  /** The referencing columns, bare names, and as written (quotes kept). */
  columns: string[];
  columnTexts: string[];
  refTable: string;
  /** Where a CREATE INDEX for it goes: the end of its statement. */
  insertAt: number;
  /** The dialect the statement parsed in (MySQL's InnoDB indexes foreign keys on its own). */
  dialect: SqlDialect;
  /** The constraint's name, when the DDL names it (`CONSTRAINT posts_author_fk …`). */
  name?: string;
}

/**
 * An attribute read on a loop's item whose queryset the loop iterates (`post.author` in
 * `for post in Post.objects.all()`): a lazy load per item when the attribute is a relation.
 */
export interface ItemAccessFact extends Span {
  orm: OrmId;
  loop: LoopFact;
  /** Model of the iterated queryset (`Post`). */
  model: string;
  /**
   * The items are the relation `through` of a `model` object (`article.comments.all()`): their
   * model is the relation's target, which the rule looks up.
   */
  through?: string;
  /** The attribute read on the item (`author`). */
  field: string;
  /** Relations already eager-loaded on the queryset (`select_related("author")`, `prefetch_related(...)`). */
  eagerLoaded: string[];
  /** Where `.select_related(...)` goes: the end of the queryset expression, before any slice. */
  eagerInsert?: number;
}

/** A function of this file, importable by others, that issues a query (directly or through helpers). */
export interface QueryHelperFact {
  name: string;
  /** From the function to the query: `['loadAuthor', 'prisma.user.findUnique']`. */
  chain: string[];
  orm: OrmId;
  operation: string;
  write?: boolean;
  /** Not a function: a constant holding the SQL of a query (`export const FIND_USER = 'SELECT …'`), which a client's call runs. */
  constant?: true;
}

/** A call, inside a loop, to a function imported from another file of the workspace. */
export interface ImportedCallFact extends Span {
  /** The imported name as this file calls it, and as the other file exports it. */
  local: string;
  imported: string;
  /**
   * The imported name is the SQL the call runs, not the function called (`pool.query(FIND_USER,
   * [id])`): `local` is the call's callee then, and the other file's constant answers.
   */
  argument?: true;
  /** The module as written: `./users`, `../services/users`, `.services`, `blog.services`. */
  module: string;
  loop: LoopFact;
  usesLoopItem: boolean;
}

/** A function that runs while an HTTP request waits: a route handler, a controller method, a resolver. */
export interface HandlerFact extends Span {
  /** express, fastify, koa, hono, nestjs, nextjs, trpc, graphql, django, drf, flask, fastapi, starlette, aiohttp, http. */
  framework: string;
  /** The function's name, or `GET /posts` for an inline handler. */
  name: string;
  route?: string;
  async: boolean;
}

/**
 * A call on a request path that makes the request (or, for event-loop blockers, every request of
 * the process) wait: `fs.readFileSync`, `time.sleep` in `async def`, sending an email.
 */
export interface BlockingCallFact extends Span {
  /** As written: `fs.readFileSync`, `requests.get`, `transporter.sendMail`. */
  api: string;
  /** event-loop: blocks the whole Node process; sync-in-async: blocks Python's event loop;
   *  third-party: the user waits on an email/SMS/push provider. */
  kind: 'event-loop' | 'sync-in-async' | 'third-party';
  /** What to write instead, in words for the message: `await fs.promises.readFile`. */
  instead: string;
  handler: HandlerFact;
  /** Handler first, then the helpers down to the function that makes the call. */
  chain: string[];
  /** Another file's helper that makes the call, reached from this many more call sites of this file (reported once). */
  more?: number;
}

/**
 * A function other files can import that, when called, blocks, waits on a third party, or calls
 * out over HTTP without a timeout (directly or through helpers of its file).
 */
export interface EffectHelperFact {
  name: string;
  /** The call in this function's body that has the effect (or calls the function that has it). */
  start?: number;
  end?: number;
  /** The function is `async def` / `async function`. */
  async?: boolean;
  /** From the function to the call: `['loadTemplate', 'fs.readFileSync']`. */
  chain: string[];
  /** `sync-io`: blocking I/O that matters only where an event loop runs it (a Python `async def`). */
  /** `unbounded-read`: a read of every row of a table (unbounded-result-set), described by `read`. */
  kind: 'event-loop' | 'sync-io' | 'third-party' | 'untimed' | 'unbounded-read';
  api: string;
  read?: Pick<UnboundedReadFact, 'orm' | 'model' | 'filter'>;
  /** For blocking kinds: what to use instead. */
  instead?: string;
  client?: OutboundCallFact['client'];
}

/** A Django `urls.py` entry routing to a function view: `name` of `module` (`blog.views`, `.views`), as imported there. */
/** A DRF ModelSerializer: what of each object it serializes reads a relation (a query per object unless the queryset loads it). */
export interface SerializerFact {
  name: string;
  /** `Meta.model`. */
  model: string;
  reads: Array<{
    /**
     * The attribute of the model read (`author`), which may be a relation; `*`: every field of the
     * model but `except` (`fields = "__all__"`, `exclude = [...]`).
     */
    field: string;
    except?: string[];
    /** A nested serializer (`comments = CommentSerializer(many=True)`), which reads the relations of its own objects. */
    serializer?: string;
    /** How the serializer reads it: `source="author.name"`, `AuthorSerializer()`, `get_comment_count`. */
    via: string;
    /** `obj.comments.count()`: a COUNT per object (which a prefetch serves). */
    count?: boolean;
    /** Listed in `Meta.fields` without `depth`: DRF reads a foreign key's id from the row, only to-many relations query. */
    toManyOnly?: boolean;
  }>;
}

/** A DRF view class with a `serializer_class` and a `queryset` of a Django model. */
export interface DrfViewFact extends Span {
  /** The serializer as the file names it, and the module it is imported from (absent: this file). */
  serializer: { local: string; module?: string; name: string };
  /** The queryset's model, what it already loads, and where a select_related/prefetch_related call goes. */
  model: string;
  eagerLoaded: string[];
  insertAt: number;
}

export interface RouteFact {
  module: string;
  name: string;
  route?: string;
}

/** A call, on a request path, to a function imported from another file of the workspace. */
export interface RequestPathImportFact extends Span {
  local: string;
  imported: string;
  module: string;
  handler: HandlerFact;
  chain: string[];
}

/** An outbound HTTP call on a request path, and whether it can give up (a timeout or an abort signal). */
export interface OutboundCallFact extends Span {
  api: string;
  client: 'fetch' | 'axios' | 'got' | 'requests' | 'urllib' | 'http';
  handler: HandlerFact;
  chain: string[];
  /** As BlockingCallFact.more. */
  more?: number;
}

/**
 * A process-lifetime store that grows with input and is never evicted: a module-level map written
 * with request-derived keys, an unbounded memoizer, a Redis key written without an expiry.
 */
export interface CacheFact extends Span {
  name: string;
  kind: 'map' | 'set' | 'object' | 'dict' | 'list' | 'memoize' | 'function-cache' | 'method-cache' | 'node-cache' | 'redis-key';
  /** The write that adds entries with a key from input, when the store is a collection. */
  write?: Span & { text: string };
  /** The store is iterated somewhere: evicting entries changes what the iteration sees. */
  iterated?: boolean;
}

/**
 * A read on a request path that returns every row of a table, or every row matching constants only
 * (`where: { published: true }`): nothing the request sends bounds it, so the response, the
 * database's work and the server's memory grow with the table.
 */
export interface UnboundedReadFact extends Span {
  orm: OrmId;
  /** Model or table, when known: `post`, `Post`, `posts`. */
  model?: string;
  /** As written: `prisma.post.findMany`, `Post.objects.all`. */
  callee: string;
  /** `none`: every row of the table; `constant`: a filter of constants only. */
  filter: 'none' | 'constant';
  handler: HandlerFact;
  /** Handler first, then the helpers down to the function that makes the read. */
  chain: string[];
  /**
   * The edit that caps the rows, and how the cap reads in the fix's title (`take: 100`,
   * `.limit(100)`, `[:100]`); absent when the code leaves no place the rule can write one.
   */
  cap?: { edits: Array<Span & { newText: string }>; text: string; /** When the edits do more than cap the rows (Django's `paginate_by`, DRF's pagination class page them). */ title?: string };
  /** A DRF list view with no `pagination_class`: a finding only where the project's settings set no default pagination. */
  drfList?: true;
  /** A Django `ListView` with no `paginate_by`: `callee` is the view class. */
  listView?: true;
  /** As BlockingCallFact.more. */
  more?: number;
}

export interface ParseProblem extends Span {
  message: string;
}

export interface FileFacts {
  language: LanguageId;
  queries: QueryFact[];
  sql: SqlStatementFact[];
  /** Syntax errors the parser recovered from; analysis goes on around them. */
  problems: ParseProblem[];
  /** Why the file was not analysed at all (binary, huge, nested too deeply for the parser). */
  skipped?: string;
  /** Fact builders that threw (languages/guard.ts): their facts are missing, the others stand. */
  failures?: string[];
  /** ORM models the file defines (their relations feed the workspace's knowledge). */
  models?: ModelFact[];
  /** Attribute reads on items of iterated querysets (candidates for lazy loading). */
  itemAccesses?: ItemAccessFact[];
  /** Functions other files can import that issue queries. */
  queryHelpers?: QueryHelperFact[];
  /** Calls in loops to functions imported from other files of the workspace. */
  importedCalls?: ImportedCallFact[];
  /** Request handlers the file defines. */
  handlers?: HandlerFact[];
  /** Calls on request paths that block the event loop or wait on a third party. */
  blockingCalls?: BlockingCallFact[];
  /** Outbound HTTP calls on request paths that have no timeout. */
  untimedCalls?: OutboundCallFact[];
  /** Functions other files can import that block, wait on a third party, or call out without a timeout. */
  effectHelpers?: EffectHelperFact[];
  /** Django `urls.py`: the function views it routes to. */
  routes?: RouteFact[];
  /** DRF ModelSerializers the file declares. */
  serializers?: SerializerFact[];
  /** DRF view classes with a serializer and a queryset. */
  drfViews?: DrfViewFact[];
  /** Calls on request paths to functions imported from other files of the workspace. */
  requestPathImports?: RequestPathImportFact[];
  /** Stores that grow with input and are never evicted. */
  caches?: CacheFact[];
  /** Reads on request paths that nothing in the request bounds (unbounded-result-set). */
  unboundedReads?: UnboundedReadFact[];
  /**
   * A Django settings module (it assigns `INSTALLED_APPS` or `REST_FRAMEWORK`): whether DRF pages
   * list views by default there (`REST_FRAMEWORK['DEFAULT_PAGINATION_CLASS']` set, not None).
   */
  djangoSettings?: { drfPagination: boolean };
}

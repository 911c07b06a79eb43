/**
 * Python adapter: tree-sitter (WASM) with incremental re-parsing per file, so that a keystroke
 * in a 5,000-line file re-parses in milliseconds; one walk builds the facts.
 */
import { Edit, Tree, type ParseOptions, type Parser } from 'web-tree-sitter';
import type { SourceFile } from '../../engine/source-file';
import type { LanguageAdapter } from '../adapter';
import type { FileFacts, OrmId, ParseProblem, SqlDialect } from '../facts';
import { pythonBlockingCalls, type PyBlockingCall, type PyOutboundCall } from './blocking-calls';
import { pythonCaches, type PyCacheFact } from './caches';
import { constantSqlAt, embeddedSqlAt, moduleSqlConstants, rawSqlQuery } from './embedded-sql';
import { djangoRoutes } from './urls';
import { findHandlers, requestPathFunctions } from './handlers';
import { moduleNames } from './imports';
import { fromDeclaredPagination } from './drf-pagination';
import { fromOffsetCall, type OrmEvidence } from './offset-calls';
import { fromPaginator, fromQueryChain, fromSubscript, type PyQueryFact } from './queries';
import { importedModules, importedNames, pythonHelpers, type ModuleImports } from './helpers';
import { drfSerializers, drfViews, mayUseDrf } from './drf-serializers';
import { createPythonParser } from './python-language';
import { foreignKeyColumns, type PyForeignKeyColumn } from './foreign-key-columns';
import { enclosingLoop, queriesAChunk, queriesAGroup, queriesTableOfItem, usesItem } from './loops';
import { itemAccesses } from './item-access';
import { alembicIndexes, ALEMBIC_HINT } from './alembic-indexes';
import { djangoModels, djangoQuerysets } from './models';
import { peeweeModels, peeweeSelects } from './peewee-models';
import { sqlalchemyModels, sqlalchemySelects } from './sqlalchemy-models';
import { keepStatementIndexes, visitNodesOfTypes, walk, type Node } from './tree';
import { textDiff } from '../text-diff';
import { dialectOfPath, looksLikeSql } from '../sql/embedded';
import { installNodeMemo } from './node-memo';
import { adoptUnchanged } from './reuse';
import { unboundedReads } from './result-sets';
import { guarded } from '../guard';

/** Queryset/session operations that write (`log_action`: Django admin's LogEntry manager writes a row). */
const PY_WRITES = /^(create|create_user|create_superuser|update|delete|save|get_or_create|update_or_create|insert|insert_many|insert_from|replace|replace_many|delete_by_id|commit|bulk_create|bulk_update|log_action)$/;

/** `from sqlalchemy import update, delete`, `from sqlalchemy.dialects.postgresql import insert as pg_insert`: the local names of the write statements. */
function sqlWriteNames(st: Node, out: Map<string, string>): void {
  for (const n of st.childrenForFieldName('name')) {
    const name = n?.type === 'aliased_import' ? n.childForFieldName('name')?.text : n?.text;
    const local = n?.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n?.text;
    if (local && name && /^(update|delete|insert)$/.test(name)) out.set(local, name);
  }
}

export interface PyImport {
  module: string;
  names: string[];
  /** Where the imported names end: new names are appended there. */
  namesEnd: number;
}

export interface PyFacts extends FileFacts {
  language: 'python';
  queries: PyQueryFact[];
  imports: PyImport[];
  /** Offset where a new import line goes (after the module docstring and __future__ imports). */
  importInsert: number;
  /** Calls, inside loops, of this file's functions that issue queries. */
  helperCalls?: PyQueryFact[];
  blockingCalls?: PyBlockingCall[];
  untimedCalls?: PyOutboundCall[];
  caches?: PyCacheFact[];
  /** SQLAlchemy/SQLModel foreign key columns, and whether an index serves them. */
  foreignKeyColumns?: PyForeignKeyColumn[];
}

const MAX_CHARS = 5 * 1024 * 1024;
/** `'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.…'` in REST_FRAMEWORK, not `None`. */
const DRF_DEFAULT_PAGINATION = /["']DEFAULT_PAGINATION_CLASS["']\s*(?::|\]\s*=)\s*(?!None\b)\S/;
/**
 * How long one parse may take. tree-sitter is linear on code, but its error recovery can take
 * far longer on some broken input: past this the parse is cancelled (tree-sitter asks about every
 * few hundred bytes) and the file gets no facts, not a server that stops answering.
 */
const PARSE_BUDGET_MS = 5000;
const MAX_PROBLEMS = 20;

/** The nodes queries are read from: chains and slices, and DRF's declared pagination (fromDeclaredPagination). */
const QUERY_NODE_TYPES: readonly string[] = ['call', 'subscript', 'assignment', 'class_definition', 'pair'];

const ORM_MODULES: Array<[RegExp, OrmId]> = [
  [/^django(\.|$)|^rest_framework(\.|$)/, 'django'],
  [/^sqlmodel(\.|$)/, 'sqlmodel'],
  [/^sqlalchemy(\.|$)|^flask_sqlalchemy(\.|$)/, 'sqlalchemy'],
  [/^peewee(\.|$)|^playhouse(\.|$)/, 'peewee'],
];
/** `.select(…)`, `.get_by_id(`, `.get(`, `.get_or_none(`: where a Peewee model's own calls start. */
const PEEWEE_CALLS = /\.(select|get_by_id|get|get_or_none)\(((?:\s*[A-Z][\w.]*\s*,?)*\))?/g;

/**
 * Calls only Peewee's models have: `Tweet.select()`, `Tweet.select(Tweet, User.username)`,
 * `User.get_by_id(…)`, `User.get(User.username == …)` (SQLAlchemy's select is a function; Django's
 * queries go through `.objects`). Scanned from each call's name back to its receiver: a regex that
 * starts at every capitalised word costs far more on a long file.
 */
function hasPeeweeShape(text: string): boolean {
  PEEWEE_CALLS.lastIndex = 0;
  for (let m = PEEWEE_CALLS.exec(text); m; m = PEEWEE_CALLS.exec(text)) {
    let i = m.index;
    while (i > 0 && /\w/.test(text[i - 1])) i--;
    const model = text.slice(i, m.index);
    if (!/^[A-Z]/.test(model)) continue;
    if (m[1] === 'get_by_id' || (m[1] === 'select' && m[2] !== undefined)) return true;
    // `User.get(User.username == …)`: a comparison of the same model's field.
    if (m[1] !== 'select' && new RegExp(`^\\s*${model}\\.\\w+\\s*[=!<>]=`).test(text.slice(PEEWEE_CALLS.lastIndex, PEEWEE_CALLS.lastIndex + 200))) return true;
  }
  return false;
}
const DIALECTS: Array<[RegExp, SqlDialect]> = [
  [/^(psycopg2?|asyncpg|pg8000|psycopg_pool)(\.|$)/, 'postgresql'],
  [/^(MySQLdb|pymysql|mysql\.connector|aiomysql|asyncmy)(\.|$)/, 'mysql'],
  [/^(sqlite3|aiosqlite|apsw)(\.|$)/, 'sqlite'],
];

interface Cached {
  text: string;
  tree: Tree;
  /** What every node object of the file refers to as its tree: the current tree's address (treeHandle). */
  handle: Tree;
  /** The root node the facts read: its nodes keep what was read of them (node-memo), and typing re-uses them (reuse.ts). */
  root: Node;
  /** The tree before this one, deleted at the next parse, so that a node object still pointing into it never reads freed memory. */
  retired?: Tree;
}

interface TreeInternals {
  0: number;
  language: unknown;
  textCallback: unknown;
}

/**
 * A stand-in for the file's current tree that the node objects refer to (`node.tree`), instead of
 * the Tree object of the parse that made them: after an incremental re-parse, the node objects
 * moved into the new tree (reuse.ts) need no update of their own, only the handle does. Not made by
 * Tree's constructor, so no finalizer frees its address: the parse's own Tree object owns that.
 */
function treeHandle(tree: Tree): Tree {
  const handle = Object.create(Tree.prototype) as Tree;
  pointAt(handle, tree);
  return handle;
}

function pointAt(handle: Tree, tree: Tree): void {
  const h = handle as unknown as TreeInternals;
  const t = tree as unknown as TreeInternals;
  h[0] = t[0];
  h.language = t.language;
  // The callback that reads the text this tree was parsed from (a node's text comes from it).
  h.textCallback = t.textCallback;
}

/**
 * Deletes the file's tree; a node object still held somewhere then reads no tree at all (address
 * 0, as web-tree-sitter leaves a deleted Tree), not freed memory.
 */
function retire(cached: Cached): void {
  cached.tree.delete();
  (cached.handle as unknown as TreeInternals)[0] = 0;
}

/** The tree's root node, referring to `handle` (and so every node reached from it). */
function rootOf(tree: Tree, handle: Tree): Node {
  const root = tree.rootNode;
  (root as { tree: Tree }).tree = handle;
  return root;
}

interface Point {
  row: number;
  column: number;
}

/**
 * Where `offset` is in `text` (web-tree-sitter counts columns in UTF-16 code units, like JS
 * strings), counting lines from `from`, a point at or before it: the edit's end is found from its
 * start, not from the top of the file again.
 */
function point(text: string, offset: number, from?: { offset: number; point: Point }): Point {
  let row = from?.point.row ?? 0;
  let lineStart = from ? from.offset - from.point.column : 0;
  for (let i = text.indexOf('\n', from?.offset ?? 0); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

export class PythonAdapter implements LanguageAdapter<PyFacts> {
  readonly language = 'python' as const;
  private parser?: Parser;
  private loading?: Promise<void>;
  private readonly trees = new Map<string, Cached>();
  /** Why the last parse gave no tree, when it was cancelled. */
  private parseFailure?: string;
  /** PARSE_BUDGET_MS; tests make it tiny. */
  parseBudgetMs = PARSE_BUDGET_MS;

  constructor(private readonly assetDir?: string) {}

  init(): Promise<void> {
    return (this.loading ??= (async () => {
      installNodeMemo();
      const parser = await createPythonParser(this.assetDir);
      this.parser = parser;
    })());
  }

  forget(file: string): void {
    const cached = this.trees.get(file);
    if (cached) retire(cached);
    cached?.retired?.delete();
    this.trees.delete(file);
  }

  /** tree-sitter's parse, cancelled past PARSE_BUDGET_MS. */
  private parseWithin(parser: Parser, text: string, old?: Tree): Tree | null {
    const deadline = performance.now() + this.parseBudgetMs;
    // web-tree-sitter types the callback as returning nothing; returning true cancels the parse.
    const progressCallback = (() => performance.now() > deadline) as unknown as ParseOptions['progressCallback'];
    const tree = parser.parse(text, old, { progressCallback });
    if (!tree) {
      // A cancelled parse would otherwise resume with the next text given.
      parser.reset();
      this.parseFailure = `parsing took longer than ${this.parseBudgetMs / 1000} s`;
    }
    return tree;
  }

  private parse(file: SourceFile): Cached | undefined {
    const parser = this.parser;
    if (!parser) throw new Error('the Python grammar is not loaded');
    this.parseFailure = undefined;
    const old = this.trees.get(file.path);
    if (old && old.text === file.text) return old;
    let next: Cached | undefined;
    if (old) {
      const d = textDiff(old.text, file.text);
      // The texts are the same up to the edit's start.
      const start = { offset: d.start, point: point(old.text, d.start) };
      const oldEnd = point(old.text, d.oldEnd, start);
      const newEnd = point(file.text, d.newEnd, start);
      old.tree.edit(new Edit({ startIndex: d.start, oldEndIndex: d.oldEnd, newEndIndex: d.newEnd, startPosition: start.point, oldEndPosition: oldEnd, newEndPosition: newEnd }));
      const tree = this.parseWithin(parser, file.text, old.tree);
      old.retired?.delete();
      if (tree) {
        // The old tree's nodes, through the handle, now read the new tree (the old one stays
        // alive until the next parse: what the new one shares with it, and what they were read from).
        pointAt(old.handle, tree);
        let root = rootOf(tree, old.handle);
        try {
          adoptUnchanged(old.root, root, d, { old: oldEnd.row, new: newEnd.row });
          keepStatementIndexes(root);
        } catch {
          // Nothing is lost but time: a root of fresh nodes.
          root = rootOf(tree, old.handle);
        }
        next = { text: file.text, tree, handle: old.handle, root, retired: old.tree };
      } else retire(old);
    } else {
      const tree = this.parseWithin(parser, file.text);
      if (tree) {
        const handle = treeHandle(tree);
        next = { text: file.text, tree, handle, root: rootOf(tree, handle) };
      }
    }
    if (next) this.trees.set(file.path, next);
    else this.trees.delete(file.path);
    return next;
  }

  /** The file's syntax tree (the cached one when the text is unchanged); valid until the file is parsed twice more. */
  syntaxTree(file: SourceFile): Tree | undefined {
    return this.parse(file)?.tree;
  }

  facts(file: SourceFile): PyFacts {
    const facts: PyFacts = { language: 'python', queries: [], sql: [], problems: [], imports: [], importInsert: 0 };
    if (file.text.length > MAX_CHARS) {
      facts.skipped = `file larger than ${MAX_CHARS / 1024 / 1024} MB`;
      facts.problems.push({ start: 0, end: 0, message: `${facts.skipped}: not analysed` });
      return facts;
    }
    if (file.text.slice(0, 8192).includes('\0')) {
      facts.skipped = 'binary file';
      facts.problems.push({ start: 0, end: 0, message: 'binary file: not analysed' });
      return facts;
    }
    const root = this.parse(file)?.root;
    if (!root) {
      if (this.parseFailure) {
        facts.skipped = this.parseFailure;
        facts.problems.push({ start: 0, end: 0, message: `${facts.skipped}: not analysed` });
      }
      return facts;
    }
    const orms = new Set<OrmId>();
    const sqlWrites = new Map<string, string>();
    const evidence: OrmEvidence = { orms, flask: false, sqlWrites };
    let dialect: SqlDialect | undefined;
    let searchResults = false;
    // What a function's queries read of the rest of the module: its imports, class names
    // (isModuleName) and SQL constants (constantSqlAt).
    let moduleContext = '';
    for (const st of root.namedChildren) {
      if (!st) continue;
      const definition = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
      if (definition?.type === 'class_definition') moduleContext += `class ${definition.childForFieldName('name')?.text}\n`;
      const assign = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
      const value = assign?.type === 'assignment' ? assign.childForFieldName('right') : undefined;
      // The string's text after its prefix and opening quotes.
      if (value?.type === 'string' && looksLikeSql(value.text.replace(/^[a-zA-Z]*("{3}|'{3}|"|')/, ''))) moduleContext += `${assign!.text}\n`;
      // A Django settings module, and DRF's default pagination (`REST_FRAMEWORK = {…}`, `REST_FRAMEWORK["…"] = …`, `REST_FRAMEWORK.update({…})`).
      const target = assign?.type === 'assignment' ? assign.childForFieldName('left') : assign?.type === 'call' ? assign.childForFieldName('function') : undefined;
      if (target && /^(INSTALLED_APPS|REST_FRAMEWORK)\b/.test(target.text)) {
        facts.djangoSettings ??= { drfPagination: false };
        if (/^REST_FRAMEWORK\b/.test(target.text) && DRF_DEFAULT_PAGINATION.test(assign!.text)) facts.djangoSettings.drfPagination = true;
      }
      if (st.type === 'import_statement' || st.type === 'import_from_statement') {
        moduleContext += st.text + '\n';
        const module = st.type === 'import_from_statement' ? st.childForFieldName('module_name')?.text ?? '' : st.namedChildren[0]?.text ?? '';
        for (const [re, orm] of ORM_MODULES) if (re.test(module)) orms.add(orm);
        for (const [re, d] of DIALECTS) if (re.test(module)) dialect ??= d;
        if (/^flask(\.|$)/.test(module)) evidence.flask = true;
        if (st.type === 'import_from_statement' && /^(sqlalchemy|sqlmodel)(\.|$)/.test(module)) sqlWriteNames(st, sqlWrites);
        // django-haystack: its views page search results (Solr, Elasticsearch), not a database's rows.
        if (/^haystack(\.|$)/.test(module)) searchResults = true;
        const names = st.childrenForFieldName('name').filter((n): n is Node => !!n);
        if (st.type === 'import_from_statement') facts.imports.push({ module, names: names.map((n) => n.text.split(' as ').pop()!.trim()), namesEnd: names[names.length - 1]?.endIndex ?? st.endIndex });
        facts.importInsert = st.endIndex + 1;
      } else if (st.type === 'expression_statement' && facts.imports.length === 0 && st.namedChildren[0]?.type === 'string') {
        facts.importInsert = st.endIndex + 1;
      }
    }
    // No driver imported: a folder may say (`migrations/sqlite/`).
    dialect ??= dialectOfPath(file.path);
    // Views often import only their models (`from .models import Tweet`): Peewee's own shapes are the evidence then.
    if (orms.size === 0 && hasPeeweeShape(file.text)) orms.add('peewee');
    const problems: ParseProblem[] = facts.problems;
    // Calls already part of a recorded query's chain (node ids), so one query is one fact.
    const counted = new Set<number>();
    const markChain = (call: Node) => {
      for (let c: Node | null = call; c; ) {
        counted.add(c.id);
        const f = c.childForFieldName('function');
        c = f?.type === 'attribute' ? f.childForFieldName('object') : null;
        while (c && c.type !== 'call' && (c.type === 'attribute' || c.type === 'subscript')) c = c.childForFieldName(c.type === 'attribute' ? 'object' : 'value');
      }
    };
    /** Whether a query or SQL was found at the node. */
    const visit = (n: Node, type: string): boolean => {
      let q: PyQueryFact | undefined;
      let found = false;
      if (type === 'subscript') {
        q = fromSubscript(n, root);
        // The sliced queryset is this query, not another one.
        const sliced = n.childForFieldName('value');
        if (q && sliced?.type === 'call') markChain(sliced);
      } else if (type === 'call' && !counted.has(n.id)) {
        q = fromOffsetCall(n, root, evidence) ?? fromPaginator(n, root, searchResults);
        if (q) markChain(n);
        else {
          q = fromQueryChain(n, evidence);
          if (q) markChain(n);
        }
      }
      // Where the query runs: the call itself, or for SQL the call that runs it (`execute(text(…), {…})`).
      let at = n;
      if (type === 'call') {
        const sql = embeddedSqlAt(n, dialect, root);
        if (sql.length) {
          facts.sql.push(...sql);
          found = true;
        }
        // SQL a client runs (`cursor.execute("SELECT …", [i])`, or a constant's), when no ORM query is here.
        const run = q ? [] : sql.length ? sql : constantSqlAt(n, dialect, root);
        const raw = run.length ? rawSqlQuery(n, run[0]) : undefined;
        if (raw) {
          ({ fact: q, node: at } = raw);
          found = true;
        }
      } else if (!searchResults) q ??= fromDeclaredPagination(n, type);
      if (q) {
        const loop = enclosingLoop(at);
        if (loop) {
          q.loop = loop.fact;
          // A commit names no item: it writes one per item when the loop adds to its session.
          q.usesLoopItem = q.operation === 'commit' ? new RegExp(`\\b${q.session!.replace(/\./g, '\\.')}\\.(add|add_all|merge|delete)\\(`).test(loop.body.text) : usesItem(loop, at);
          if (q.usesLoopItem && q.operation !== 'commit' && (queriesAChunk(loop, at) || queriesAGroup(loop, at))) q.chunked = true;
          if (q.usesLoopItem && q.orm === 'sql' && queriesTableOfItem(loop, at)) q.tableOfItem = true;
        }
        if (PY_WRITES.test(q.operation)) q.write = true;
        facts.queries.push(q);
        found = true;
      }
      return found;
    };
    if (root.hasError) {
      // Every node, tokens included (a broken tree's MISSING tokens are anonymous), but only in
      // subtrees that have an error: after an edit, that is the edited statement, not the file.
      walk(root, (n) => {
        if (!n.hasError) return false;
        if (n.isError || n.isMissing) {
          if (problems.length < MAX_PROBLEMS) problems.push({ start: n.startIndex, end: n.endIndex, message: n.isMissing ? `missing ${n.type}` : 'syntax error' });
          if (n.isMissing) return false;
        }
        return undefined;
      }, false);
    }
    // Only the node types queries are read from (ERROR nodes' named children too). After an edit,
    // the functions the edit did not touch are not looked at again (in the same context: the ORMs,
    // the dialect and the module's imports and class names), only where they had queries or SQL:
    // what is found in a function depends on the function and those (values are followed to their
    // assignments in the function, not in the module).
    const context = `${[...orms].sort().join(',')}|${evidence.flask}|${dialect}\n${moduleContext}`;
    visitNodesOfTypes(root, QUERY_NODE_TYPES, 'queries', 'function', context, (n) => visit(n, n.type));
    const imports: ModuleImports = { imported: importedNames(root), modules: importedModules(root) };
    const helpers = pythonHelpers(root, facts.queries, imports);
    facts.helperCalls = helpers.calls;
    facts.queryHelpers = [...helpers.exported, ...moduleSqlConstants(root, dialect)];
    facts.importedCalls = helpers.imported;
    // Request paths: handlers, and what they call in this module.
    const names = moduleNames(root);
    const handlers = findHandlers(root, file.path, names);
    facts.handlers = handlers.map((h) => h.fact);
    const reach = requestPathFunctions(root, handlers);
    const reads = guarded(facts, 'reads of every row', () => unboundedReads(root, facts, reach, evidence), { reads: [], effects: [] });
    const calls = pythonBlockingCalls(root, names, imports, reach, reads.effects);
    facts.blockingCalls = calls.blocking;
    facts.untimedCalls = calls.untimed;
    facts.effectHelpers = calls.helpers;
    facts.requestPathImports = calls.imports;
    facts.caches = guarded(facts, 'caches', () => pythonCaches(root, names, reach), []);
    facts.unboundedReads = reads.reads;
    if (/(^|[\\/])urls\.py$/.test(file.path)) facts.routes = djangoRoutes(root);
    // Views often import only their app's models (`from .models import Post`): `.objects` is evidence too.
    if (orms.has('django') || file.text.includes('.objects.')) {
      facts.models = djangoModels(root);
      facts.itemAccesses = itemAccesses(root, djangoQuerysets);
    }
    // Repositories often import only their models; `select(`/`.query(` is the evidence then.
    if (orms.has('sqlalchemy') || orms.has('sqlmodel') || /\b(relationship|select|query)\(/i.test(file.text) || /\b[A-Z]\w*\.query\./.test(file.text)) {
      (facts.models ??= []).push(...sqlalchemyModels(root));
      (facts.itemAccesses ??= []).push(...itemAccesses(root, sqlalchemySelects));
    }
    if (/\bForeignKey\(|\bforeign_key\s*=/.test(file.text) && (orms.has('sqlalchemy') || orms.has('sqlmodel') || /\b(Column|mapped_column)\(/.test(file.text))) {
      // Flask-SQLAlchemy models import `db` from the app, not sqlalchemy: `db.Column(…)` says it.
      facts.foreignKeyColumns = foreignKeyColumns(root);
    }
    // An Alembic migration's indexes: the foreign keys of models it indexes by hand are indexed.
    if (ALEMBIC_HINT.test(file.text)) (facts.models ??= []).push(...alembicIndexes(root));
    if (orms.has('peewee')) {
      (facts.models ??= []).push(...peeweeModels(root));
      (facts.itemAccesses ??= []).push(...itemAccesses(root, peeweeSelects));
    }
    // DRF: the relations serializers read per object, and the views that serialize querysets with them.
    if (orms.has('django') && mayUseDrf(file.text)) {
      const serializers = drfSerializers(root);
      if (serializers.length) facts.serializers = serializers;
      const views = drfViews(root, imports.imported);
      if (views.length) facts.drfViews = views;
    }
    return facts;
  }
}

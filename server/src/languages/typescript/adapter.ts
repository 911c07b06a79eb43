/**
 * JS/TS adapter: TypeScript's own parser (it keeps a usable tree for half-typed code, where
 * others throw), one walk, facts for the rules: ORM queries with their pagination, and SQL in
 * strings and tagged templates.
 */
import ts from 'typescript';
import { dialectOfPath } from '../sql/embedded';
import type { SourceFile } from '../../engine/source-file';
import type { LanguageAdapter } from '../adapter';
import type { FileFacts, ModelFact, ParseProblem } from '../facts';
import { textDiff, type TextChange } from '../text-diff';
import { constantSqlAt, embeddedSqlAt, sqlConstants } from './embedded-sql';
import { findDeclaration } from './values';
import { readImports, type FileImports } from './imports';
import { exportedNames, exportedQueryHelpers, helperCallsInLoops, importedCallsInLoops, queryHelpers } from './helpers';
import { enclosingLoop, queriesAChunk, queriesAGroup, queriesTableOfItem, usesItem } from './loops';
import { itemsSource } from './items-source';
import { fluentRelation, lazyAccesses, type TsLazyAccess } from './lazy-access';
import { kyselyModels } from './kysely-models';
import { mongooseModels } from './mongoose-models';
import { sequelizeModels } from './sequelize-models';
import { mikroOrmModels, typeormModels } from './typeorm-models';
import { columnTsType, drizzleTables } from './drizzle-tables';
import { schemaBuilders, type BuilderForeignKey } from './schema-builders';
import { keepStatementIndexes, nodesOfKind, parseFile } from './walk';
import { blockingCalls, type TsBlockingCall, type TsOutboundCall } from './blocking-calls';
import { unboundedCaches, type TsCacheFact } from './caches';
import { findHandlers, requestPathFunctions } from './handlers';
import { unboundedCandidates, unboundedReads } from './result-sets';
import { guarded } from '../guard';
import { isComposedBuilder, queryFromCall, rawSqlQuery, taggedSqlQuery, taggedTemplateRun, WRITES, type TsQueryFact, type TsTaggedQuery } from './queries';

export interface TsFacts extends FileFacts {
  language: 'typescript';
  queries: TsQueryFact[];
  /** Absent for files that could not be parsed at all (binary). */
  sourceFile?: ts.SourceFile;
  /** `create(values)` calls of models of the app whose library the file does not show (TsQueryFact.sequelizeIfModel). */
  modelCreates?: TsQueryFact[];
  /** Calls, inside loops, of this file's functions that issue queries. */
  helperCalls?: TsQueryFact[];
  /** Raw queries written as tagged templates that run (`await sql\`…\``, `prisma.$queryRaw\`…\``). */
  taggedQueries?: TsTaggedQuery[];
  blockingCalls?: TsBlockingCall[];
  untimedCalls?: TsOutboundCall[];
  caches?: TsCacheFact[];
  /** Reads on loop items that may load a relation lazily (`await post.author`, `post.getAuthor()`). */
  lazyAccesses?: TsLazyAccess[];
  /** Foreign keys that Knex, Kysely and Sequelize migrations create (their tables are in `models`). */
  builderForeignKeys?: BuilderForeignKey[];
}

/** Above this, a file is generated or minified code, not something a person is typing. */
const MAX_CHARS = 5 * 1024 * 1024;

function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/i.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function skippedFacts(reason: string): TsFacts {
  return { language: 'typescript', queries: [], sql: [], problems: [{ start: 0, end: 0, message: `${reason}: not analysed` }], skipped: reason };
}

/**
 * JavaScript in a folder whose files a web server sends as they are (Express's `public/`, Django's
 * `static/`, a theme's or a bundler's `assets/`): it runs in browsers, not in the backend. TypeScript
 * there is compiled first, so it may be anything (Budibase keeps controllers in `controllers/static/`).
 */
const BROWSER_ASSET = /(^|[\\/])(public|static|assets)[\\/](.+[\\/])?[^\\/]+\.(js|mjs|cjs|jsx)$/;

/** TypeScript's parser recurses per bracket and overflows the stack past a few thousand levels. */
const MAX_NESTING = 1000;

/** A tree with the bound on its bracket nesting (nestingBound), kept on it (not in a WeakMap: see walk.ts). */
type Nested = ts.SourceFile & { plNesting?: number };

/** The deepest bracket nesting in `text`, counted roughly (strings and comments included): a guard, not a parse. */
function bracketDepth(text: string): number {
  return bracketsIn(text, 0, text.length).maxDepth;
}

/** Opening and closing brackets in text[start, end), and the deepest nesting counted from start. */
function bracketsIn(text: string, start: number, end: number): { opens: number; closes: number; maxDepth: number } {
  let opens = 0;
  let closes = 0;
  let depth = 0;
  let max = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      opens++;
      if (++depth > max) max = depth;
    } else if (c === 41 || c === 93 || c === 125) {
      closes++;
      if (depth > 0) depth--;
    }
  }
  return { opens, closes, maxDepth: max };
}

/**
 * A bound on the bracket nesting of `text`, from the bound of the text it was edited from: each
 * bracket typed in and each one deleted deepens what follows by one at most. Typing is spared a
 * whole-file count until the bound passes the limit; then the exact count replaces it.
 */
function nestingBound(previous: { text: string; bound: number | undefined } | undefined, text: string, diff: TextChange | undefined): number {
  if (previous?.bound === undefined) return bracketDepth(text);
  if (!diff) return previous.bound;
  const bound = previous.bound + bracketsIn(text, diff.start, diff.newEnd).opens + bracketsIn(previous.text, diff.start, diff.oldEnd).closes;
  return bound <= MAX_NESTING ? bound : bracketDepth(text);
}

/**
 * Minified or bundled output (most of the text on lines of hundreds of characters): not code a
 * person wrote or can act on, and its one-letter names defeat every heuristic.
 */
function looksMinified(text: string): boolean {
  if (text.length < 4096) return false;
  let long = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > 500) long += end - start;
    start = end + 1;
  }
  return long > text.length * 0.3;
}

export function parseTypescript(path: string, text: string): ts.SourceFile {
  return parseFile(path, text, scriptKind(path));
}

/**
 * How many items a loop can have, when they come from a query with a constant limit in the same
 * function (`const posts = await prisma.post.findMany({ take: 50 })`): the message can then say
 * "51 queries where 2 would do".
 */
function boundLoops(queries: readonly TsQueryFact[]): void {
  const byCall = new Map<ts.Node, TsQueryFact>(queries.map((q) => [q.call, q]));
  for (const q of queries) {
    const loop = q.loop;
    if (!loop?.iterable || !/^\w+$/.test(loop.iterable)) continue;
    const id = findIterableIdentifier(q.call, loop.iterable);
    const decl = id ? findDeclaration(id) : undefined;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) continue;
    let init: ts.Expression = decl.initializer;
    while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
    const source = byCall.get(init);
    const limit = source?.pagination?.limit ?? limitOption(source);
    if (limit && typeof limit.constant === 'number') loop.bound = { count: limit.constant, source: limit.text };
  }
}

function limitOption(q: TsQueryFact | undefined): { constant?: unknown; text: string } | undefined {
  const prop = q?.options?.properties.find((p) => /^(take|limit)$/.test(p.name?.getText() ?? ''));
  if (!prop || !ts.isPropertyAssignment(prop) || !ts.isNumericLiteral(prop.initializer)) return undefined;
  return { constant: Number(prop.initializer.text), text: prop.getText() };
}

/** The identifier the loop iterates, found by walking up from a node inside the loop. */
function findIterableIdentifier(inside: ts.Node, name: string): ts.Identifier | undefined {
  for (let n = inside.parent; n; n = n.parent) {
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && ts.isIdentifier(n.expression) && n.expression.text === name) return n.expression;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name) return n.expression.expression;
  }
  return undefined;
}

/** Sequelize models are often defined without importing the package (sequelize-cli's `(sequelize, DataTypes) =>`). */
const SEQUELIZE_HINT = /\bDataTypes\b|sequelize/i;

/** ORM models the file defines, for the workspace's knowledge of relations. */
function definedModels(sf: ts.SourceFile, imports: FileImports, text: string): ModelFact[] {
  const models: ModelFact[] = [];
  if (imports.orms.has('typeorm')) models.push(...typeormModels(sf));
  // MikroORM entities, for their properties' types (relations are read where they are loaded).
  else if (imports.orms.has('mikro-orm')) models.push(...mikroOrmModels(sf));
  if (imports.orms.has('sequelize') || SEQUELIZE_HINT.test(text)) models.push(...sequelizeModels(sf));
  if (imports.orms.has('mongoose')) models.push(...mongooseModels(sf));
  // Kysely's database interface: its tables' column types.
  if (imports.orms.has('kysely')) models.push(...kyselyModels(sf));
  // Drizzle tables, for their columns' types (relations are Drizzle's `relations()`, not read here).
  if (imports.orms.has('drizzle')) {
    for (const t of drizzleTables(sf)) {
      const typed = t.columns.map((c) => [c.property, columnTsType(c)] as const).filter((e): e is readonly [string, string] => e[1] !== undefined);
      // Flags (`boolean()`, SQLite's `integer({ mode: 'boolean' })`): few values (unindexed-filter).
      const flags = t.columns.filter((c) => c.builder === 'boolean' || /\bmode\s*:\s*['"]boolean['"]/.test(c.options?.getText() ?? '')).map((c) => c.property);
      if (!typed.length && !flags.length) continue;
      models.push({
        name: t.name,
        orm: 'drizzle',
        relations: [],
        start: t.call.getStart(),
        end: t.call.getEnd(),
        fieldTypes: Object.fromEntries(typed),
        indexes: t.indexed.map((ix) => ({ columns: ix.keys })),
        lowCardinality: flags,
        foreignKeys: t.foreignKeys.flatMap((fk) => fk.keys),
      });
    }
  }
  return models;
}

export class TypescriptAdapter implements LanguageAdapter<TsFacts> {
  readonly language = 'typescript' as const;
  /**
   * The last tree of each file, for incremental re-parsing as the user types: TypeScript re-uses
   * the unchanged nodes. Re-parsing moves the old tree's nodes, so an old tree (and facts made from
   * it) is not read after its file's next parse. The CLI and the workspace index forget a file
   * once they have its facts.
   */
  private readonly trees = new Map<string, ts.SourceFile>();

  init(): Promise<void> {
    return Promise.resolve();
  }

  forget(path: string): void {
    this.trees.delete(path);
  }

  /** `diff`: from the text of `old`, the path's tree so far. */
  private parse(path: string, text: string, old: ts.SourceFile | undefined, d: TextChange | undefined): ts.SourceFile {
    if (old?.text === text) return old;
    let sf: ts.SourceFile | undefined;
    if (old && d) {
      // The old tree is consumed either way: an update that fails half-way leaves it moved.
      this.trees.delete(path);
      try {
        sf = ts.updateSourceFile(old, text, ts.createTextChangeRange(ts.createTextSpan(d.start, d.oldEnd - d.start), d.newEnd - d.start));
        keepStatementIndexes(sf);
      } catch {
        // TypeScript's own assertions (aggressive checks are off): a full parse gives the same tree.
      }
    }
    sf ??= parseTypescript(path, text);
    this.trees.set(path, sf);
    return sf;
  }

  facts(file: SourceFile): TsFacts {
    const text = file.text;
    if (text.length > MAX_CHARS) return skippedFacts(`file larger than ${MAX_CHARS / 1024 / 1024} MB`);
    if (text.slice(0, 8192).includes('\0')) return skippedFacts('binary file');
    if (looksMinified(text)) return skippedFacts('minified or bundled code');
    if (BROWSER_ASSET.test(file.path)) return skippedFacts('browser JavaScript, served from a public/, static/ or assets/ folder');
    const old = this.trees.get(file.path);
    const diff = old && old.text !== text ? textDiff(old.text, text) : undefined;
    const depth = nestingBound(old && { text: old.text, bound: (old as Nested).plNesting }, text, diff);
    if (depth > MAX_NESTING) return skippedFacts(`brackets nested ${depth} deep`);
    const sf = this.parse(file.path, text, old, diff);
    (sf as Nested).plNesting = depth;
    // parseDiagnostics is internal but stable; the public API needs a Program for the same list.
    const diagnostics = ((sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? []);
    const problems: ParseProblem[] = diagnostics.map((d) => ({
      start: d.start ?? 0,
      end: (d.start ?? 0) + (d.length ?? 0),
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    const imports = readImports(sf);
    // No driver imported: a folder may say (n8n's `migrations/sqlite/`).
    imports.dialect ??= dialectOfPath(file.path);
    const facts: TsFacts = { language: 'typescript', queries: [], sql: [], problems, sourceFile: sf };
    const inChain = new Set<ts.Node>();
    const loopBodies = new Map<TsQueryFact, ts.Node>();
    nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.TaggedTemplateExpression).forEach((node) => {
      const sql = embeddedSqlAt(node, imports.dialect);
      if (sql.length) facts.sql.push(...sql);
      if (ts.isTaggedTemplateExpression(node) && sql.length) {
        const t = taggedSqlQuery(node, sql[0]);
        if (t) {
          const loop = enclosingLoop(node);
          if (loop) {
            t.loop = loop.fact;
            t.usesLoopItem = usesItem(loop, node);
            if (t.usesLoopItem && queriesAChunk(loop, node)) t.chunked = true;
            if (t.usesLoopItem && queriesTableOfItem(loop, node)) t.tableOfItem = true;
          }
          if (WRITES.has(t.operation)) t.write = true;
          (facts.taggedQueries ??= []).push(t);
        }
      }
      if (ts.isCallExpression(node)) {
        // An ORM's query, else SQL a client runs (`pool.query('SELECT …', [id])`, `db.execute(sql\`…\`)`).
        const tagged = sql.length ? undefined : taggedTemplateRun(node);
        const run = tagged ? embeddedSqlAt(tagged, imports.dialect) : sql.length ? sql : constantSqlAt(node, imports.dialect);
        const q = queryFromCall(node, imports, inChain) ?? (run.length && !inChain.has(node) ? rawSqlQuery(node, run[0]) : undefined);
        // TypeORM's and MikroORM's `create` builds an entity in memory: not a query (save/flush is).
        const inMemory = q?.operation === 'create' && (q.orm === 'typeorm' || q.orm === 'mikro-orm');
        if (q && !inMemory) {
          const loop = enclosingLoop(q.call);
          if (loop) {
            q.loop = loop.fact;
            q.usesLoopItem = usesItem(loop, q.call);
            if (q.usesLoopItem && (queriesAChunk(loop, q.call) || queriesAGroup(loop, q.call))) q.chunked = true;
            if (q.usesLoopItem && q.orm === 'sql' && queriesTableOfItem(loop, q.call)) q.tableOfItem = true;
            q.fluent = fluentRelation(q);
            // Where the items came from: for the fluent API and for Prisma lookups by an item's key (include fixes).
            if (q.fluent || (q.orm === 'prisma' && /^(findUnique|findFirst)$/.test(q.operation))) loopBodies.set(q, loop.body);
          }
          if (WRITES.has(q.operation) || /^(insertInto|updateTable|deleteFrom|del|decrement)$/.test(q.operation)) q.write = true;
          if (isComposedBuilder(q)) q.fragment = true;
          if (q.sequelizeIfModel) (facts.modelCreates ??= []).push(q);
          else facts.queries.push(q);
        }
      }
    });
    boundLoops(facts.queries);
    // Relations loaded per item: the models this file defines, and reads that may be lazy loads.
    const byCall = new Map<ts.Node, TsQueryFact>(facts.queries.map((q) => [q.call, q]));
    for (const [q, body] of loopBodies) q.itemsSource = itemsSource(body, byCall);
    facts.models = definedModels(sf, imports, text);
    const built = schemaBuilders(sf);
    facts.models.push(...built.tables, ...built.columnTypes);
    if (built.foreignKeys.length) facts.builderForeignKeys = built.foreignKeys;
    facts.lazyAccesses = lazyAccesses(sf, facts.queries, imports);
    // Queries behind helper functions of this file, called per item.
    const helpers = queryHelpers(sf, facts.queries);
    facts.helperCalls = helperCallsInLoops(sf, helpers);
    facts.queryHelpers = [...exportedQueryHelpers(sf, helpers), ...sqlConstants(sf, exportedNames(sf), imports.dialect)];
    facts.importedCalls = importedCallsInLoops(sf, helpers);
    // Request paths: handlers, and what they call in this file.
    const handlers = findHandlers(sf, imports);
    facts.handlers = handlers.map((h) => h.fact);
    const reach = requestPathFunctions(sf, handlers);
    const reads = guarded(facts, 'reads of every row', () => unboundedCandidates(facts.queries, facts.taggedQueries ?? [], facts.sql), []);
    const readEffects = reads.flatMap(({ q, node, model, filter }) => (ts.isCallExpression(node) ? [{ call: node, effect: { name: '', chain: [], kind: 'unbounded-read' as const, api: q.callee, read: { orm: q.orm, model, filter } } }] : []));
    const calls = blockingCalls(sf, imports, reach, readEffects);
    facts.blockingCalls = calls.blocking;
    facts.untimedCalls = calls.untimed;
    facts.effectHelpers = calls.helpers;
    facts.requestPathImports = calls.imports;
    facts.caches = guarded(facts, 'caches', () => unboundedCaches(sf, imports, reach), []);
    facts.unboundedReads = guarded(facts, 'reads of every row', () => unboundedReads(reads, reach), []);
    return facts;
  }
}

/**
 * Lazy loading per item in JS/TS: a relation read on each item of a loop issues a query with no
 * query call in sight — TypeORM lazy relations (`await post.author`), Sequelize association
 * getters (`post.getAuthor()`), Mongoose `doc.populate()`, Prisma's fluent API
 * (`prisma.post.findUnique(…).author()`). The relations come from the workspace's models (and
 * this file's own); the fix eager-loads the relation in the query that produced the items.
 */
import ts from 'typescript';
import type { Detection, Edit, Fix } from '../../engine/finding';
import type { DetectContext } from '../../engine/rule';
import { WorkspaceModels, type ModelRelation } from '../../engine/workspace-models';
import type { OrmId } from '../../languages/facts';
import type { TsFacts } from '../../languages/typescript/adapter';
import type { ItemsSource } from '../../languages/typescript/items-source';
import type { TsLazyAccess } from '../../languages/typescript/lazy-access';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { sequelizeGetter } from '../../languages/typescript/sequelize-models';
import { addOption, dropPopulateLoop, dropStatementOrRead, mergeInto, mongoosePopulateEdit, prismaIncludeEdit, replaceRead, sequelizeIncludeEdit, typeormRelationsEdit } from './typescript-eager-fixes';

/** The workspace's models and this file's own (a file linted alone still knows its entities). */
class ModelsView {
  private readonly sources: WorkspaceModels[];

  constructor(ctx: DetectContext, facts: TsFacts) {
    this.sources = ctx.models ? [ctx.models] : [];
    if (facts.models?.length) {
      const local = new WorkspaceModels();
      local.set(ctx.file.path, facts.models);
      this.sources.push(local);
    }
  }

  isModel(orm: OrmId, hint: string): boolean {
    return ModelsView.variants(hint).some((name) => this.sources.some((s) => s.relationsOf(name, orm).length > 0));
  }

  /** `Post`, `post`, `PostModel`, `postRepository`, `PostDocument` → the names a model may have. */
  private static variants(hint: string): string[] {
    const base = hint.replace(/^this\./, '').replace(/(Model|Document|Entity|Repo|Repository)$/, '');
    const upper = base.charAt(0).toUpperCase() + base.slice(1);
    return [...new Set([hint, base, upper])].filter(Boolean);
  }

  /**
   * The relation of one of the item's models that `match` accepts. When no hint is a known model,
   * every model of the ORM is searched, and the relation counts only if all matches agree.
   */
  resolve(orm: OrmId, hints: readonly string[], match: (r: ModelRelation) => boolean): ModelRelation | undefined {
    let knownModel = false;
    for (const hint of hints) {
      for (const name of ModelsView.variants(hint)) {
        const found = this.sources.flatMap((s) => s.relationsOf(name, orm));
        if (found.length === 0) continue;
        knownModel = true;
        const rel = found.find(match);
        if (rel) return rel;
      }
    }
    if (knownModel) return undefined;
    const all = this.sources.flatMap((s) => s.relations(orm, match));
    if (all.length === 0) return undefined;
    const same = all.every((r) => r.target === all[0].target && r.kind === all[0].kind && !!r.lazy === !!all[0].lazy && r.field === all[0].field);
    if (!same) return undefined;
    const models = new Set(all.map((r) => r.model));
    return models.size === 1 ? all[0] : { ...all[0], model: '' };
  }
}

/** Is the query that produced the items one of `orm`'s (for a guessed query: is its model one of `orm`'s)? */
function sourceFits(source: ItemsSource | undefined, orm: OrmId, view: ModelsView): boolean {
  if (!source) return true;
  if (source.guessed) return !!source.model && view.isModel(orm, source.model);
  return source.query.orm === orm;
}

function itemsText(loop: { iterable?: string }): string {
  return loop.iterable ? `\`${loop.iterable}\`` : 'the loop';
}

function fixOf(title: string, safe: boolean, edits: Array<Edit | undefined>): Fix[] {
  if (edits.some((e) => !e)) return [];
  // One fix's edits apply together, at offsets of the text before any of them: an edit inside the
  // range another removes (the query in the header of the loop the fix drops) would corrupt it.
  const sorted = (edits as Edit[]).slice().sort((a, b) => a.start - b.start || a.end - b.end);
  if (sorted.some((e, i) => i > 0 && e.start < sorted[i - 1].end)) return [];
  return [{ title, applicability: safe ? 'safe' : 'unsafe', edits: edits as Edit[] }];
}

function typeormLazy(a: TsLazyAccess, view: ModelsView, sf: ts.SourceFile): Detection | undefined {
  if (!sourceFits(a.source, 'typeorm', view)) return undefined;
  const rel = view.resolve('typeorm', a.itemModels, (r) => r.field === a.name);
  if (!rel?.lazy || a.source?.loaded.includes(rel.field)) return undefined;
  const owner = rel.model ? `${rel.model}.${rel.field}` : rel.field;
  const message = `\`${a.item}.${a.name}\` loads the lazy relation \`${owner}\` (${rel.target}) once per item of ${itemsText(a.loop)}: N+1 queries. Load it with the items: add \`relations: { ${rel.field}: true }\` to the query that loads them.`;
  // Loaded with the find, the lazy relation's promise resolves to the loaded value: `await post.author` stays.
  const edit = a.source && typeormRelationsEdit(sf, a.source, rel.field);
  const access = (a.expr as ts.AwaitExpression).expression;
  return { start: access.getStart(), end: access.getEnd(), message, fixes: edit ? fixOf(`Load ${rel.field} with the items (relations)`, true, [edit]) : [] };
}

function sequelizeGetterCall(a: TsLazyAccess, view: ModelsView, sf: ts.SourceFile): Detection | undefined {
  if (!sourceFits(a.source, 'sequelize', view)) return undefined;
  const dollarGet = ts.isPropertyAccessExpression(a.call!.expression) && a.call!.expression.name.text === '$get';
  const accessor = /^(count|has)([A-Z]\w*)$/.exec(a.name);
  if (accessor) return sequelizeCounter(a, view, accessor[1] as 'count' | 'has', accessor[2]);
  const rel = view.resolve('sequelize', a.itemModels, (r) => (dollarGet ? r.field === a.name : sequelizeGetter(r.field) === a.name));
  if (!rel) return undefined;
  const callText = `${a.item}.${dollarGet ? `$get('${a.name}')` : `${a.name}()`}`;
  const included = !!a.source && (a.source.loadsAll || a.source.loaded.includes(rel.field) || (!rel.aliased && a.source.loaded.includes(`model:${rel.target}`)));
  const includeText = rel.aliased ? `{ model: ${rel.target}, as: '${rel.field}' }` : rel.target;
  const message = included
    ? `\`${callText}\` queries the \`${rel.field}\` association (${rel.target}) again once per item of ${itemsText(a.loop)}, though the query that loaded them includes it: N+1 queries. Read \`${a.item}.${rel.field}\` instead.`
    : `\`${callText}\` queries the \`${rel.field}\` association (${rel.target}) once per item of ${itemsText(a.loop)}: N+1 queries. Include it in the query that loads them (\`include: [${includeText}]\`) and read \`${a.item}.${rel.field}\`.`;
  const callee = a.call!.expression;
  let fixes: Fix[] = [];
  if (a.source && a.call!.arguments.length === (dollarGet ? 1 : 0)) {
    const read = replaceRead(a.expr, a.call!, `${a.item}.${rel.field}`);
    // A JOIN over a to-many association multiplies rows, and with `limit` Sequelize rewrites the
    // query into a subquery: the same rows, another plan. To-one includes only add columns.
    if (included) fixes = fixOf(`Read ${a.item}.${rel.field}, already included`, true, [read]);
    else fixes = fixOf(`Include ${rel.field} in the query and read ${a.item}.${rel.field}`, rel.kind === 'to-one', [sequelizeIncludeEdit(sf, a.source, rel), read]);
  }
  return { start: callee.getStart(), end: callee.getEnd(), message, fixes };
}

/** `comments` → `Comment`, `categories` → `Category`: Sequelize's singular accessors (`hasComment`). */
function singular(name: string): string {
  if (/ies$/.test(name)) return name.slice(0, -3) + 'y';
  if (/(s|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  return name.replace(/s$/, '');
}

/**
 * Sequelize's `post.countComments()` and `user.hasRole(role)` per item: a COUNT or an EXISTS query
 * each. No exact rewrite (counts grouped in one query, or the association included and counted in
 * memory), so the message says what to do.
 */
function sequelizeCounter(a: TsLazyAccess, view: ModelsView, verb: 'count' | 'has', suffix: string): Detection | undefined {
  if (!sourceFits(a.source, 'sequelize', view)) return undefined;
  const upper = (f: string) => f.charAt(0).toUpperCase() + f.slice(1);
  const rel = view.resolve('sequelize', a.itemModels, (r) => r.kind === 'to-many' && (upper(r.field) === suffix || upper(singular(r.field)) === suffix));
  if (!rel) return undefined;
  const callText = `${a.item}.${a.name}(${a.call!.arguments.map((x) => x.getText()).join(', ')})`;
  const advice =
    verb === 'count'
      ? `Count them for all items in one query (\`${rel.target}.count({ where: { <key>: ids }, group: ['<key>'] })\`) or include \`${rel.field}\` and read \`${a.item}.${rel.field}.length\``
      : `Load the pairs for all items in one query (include \`${rel.field}\`, or one \`findAll\` over the join with \`Op.in\`) and test membership in memory`;
  const message = `\`${callText}\` queries the \`${rel.field}\` association (${rel.target}) once per item of ${itemsText(a.loop)}: N+1 queries. ${advice}.`;
  const callee = a.call!.expression;
  return { start: callee.getStart(), end: callee.getEnd(), message, fixes: [] };
}

/**
 * MikroORM per item: `book.author.load()` (a Reference), `book.tags.init()` / `loadItems()` (a
 * Collection) issue a query each. Fix: populate the relation on the `find` that loaded the items
 * (`populate: ['author']`); the per-item load then resolves from the identity map.
 */
function mikroLoad(a: TsLazyAccess, sf: ts.SourceFile): Detection | undefined {
  const method = ts.isPropertyAccessExpression(a.call!.expression) ? a.call!.expression.name.text : 'load';
  const populated = !!a.source && (a.source.loaded.includes(a.name) || a.source.loadsAll);
  if (populated && method !== 'loadCount' && method !== 'matching') return undefined;
  const what = `\`${a.item}.${a.name}.${method}()\``;
  const message = `${what} loads \`${a.name}\` once per item of ${itemsText(a.loop)}: N+1 queries. Populate it with the items: \`populate: ['${a.name}']\` on the query that loads them.`;
  let fixes: Fix[] = [];
  const q = a.source?.query;
  if (q && q.orm === 'mikro-orm' && /^(find|findAll)$/.test(q.operation) && (method === 'load' || method === 'init' || method === 'loadItems')) {
    // `em.find(Book, where, options)` / `repo.find(where, options)`: options follow the where.
    const whereIndex = q.call.arguments.length > 0 && ts.isIdentifier(q.call.arguments[0]) && /^[A-Z]/.test(q.call.arguments[0].text) && q.operation === 'find' ? 1 : 0;
    const options = q.call.arguments[whereIndex + 1];
    const where = q.call.arguments[whereIndex];
    const edit = options
      ? ts.isObjectLiteralExpression(options)
        ? addOption(sf, q.call, options, 'populate', `['${a.name}']`, (e) => (ts.isArrayLiteralExpression(e) ? mergeInto(sf, e, `'${a.name}'`, '') : undefined))
        : undefined
      : where
        ? { start: where.getEnd(), end: where.getEnd(), newText: `, { populate: ['${a.name}'] }` }
        : q.operation === 'findAll' && q.call.arguments.length === 0
          ? { start: q.call.arguments.pos, end: q.call.arguments.end, newText: `{ populate: ['${a.name}'] }` }
          : undefined;
    fixes = fixOf(`Populate ${a.name} with the items`, true, [edit]);
  }
  const callee = a.call!.expression;
  return { start: callee.getStart(), end: callee.getEnd(), message, fixes };
}

function mongoosePopulate(a: TsLazyAccess, view: ModelsView, sf: ts.SourceFile): Detection | undefined {
  if (!sourceFits(a.source, 'mongoose', view)) return undefined;
  const field = a.name.split('.')[0];
  const rel = view.resolve('mongoose', a.itemModels, (r) => r.field === field);
  if (!a.mongooseImported && !(a.source && !a.source.guessed) && !rel) return undefined;
  if (a.source?.loaded.includes(a.name) || a.source?.loaded.includes(field)) return undefined;
  const args = a.call!.arguments.map((x) => x.getText()).join(', ');
  const target = rel ? ` (${rel.target})` : '';
  const message = `\`${a.item}.populate(${args})\` queries \`${a.name}\`${target} once per item of ${itemsText(a.loop)}: N+1 queries. Populate it on the query that loads them: \`.populate(${args})\`.`;
  const fixes = a.source ? fixOf(`Populate ${a.name} on the query`, true, [mongoosePopulateEdit(a.source, args), dropPopulateLoop(sf, a.expr) ?? dropStatementOrRead(sf, a.expr, a.call!, a.item)]) : [];
  const callee = a.call!.expression;
  return { start: callee.getStart(), end: callee.getEnd(), message, fixes };
}

export function lazyLoads(facts: TsFacts, ctx: DetectContext): Detection[] {
  const sf = facts.sourceFile;
  if (!sf || !facts.lazyAccesses?.length) return [];
  const view = new ModelsView(ctx, facts);
  const out: Detection[] = [];
  // One fix per query: a second relation's edit would land at the same place in the same options.
  const fixedSources = new Set<ts.Node>();
  for (const a of facts.lazyAccesses) {
    const d =
      a.kind === 'awaited-property' ? typeormLazy(a, view, sf)
      : a.kind === 'getter' ? sequelizeGetterCall(a, view, sf)
      : a.kind === 'mikro-load' ? mikroLoad(a, sf)
      : mongoosePopulate(a, view, sf);
    if (!d) continue;
    if (a.source && d.fixes.length) {
      if (fixedSources.has(a.source.query.call)) d.fixes = [];
      else fixedSources.add(a.source.query.call);
    }
    out.push(d);
  }
  return out;
}

/**
 * Prisma's fluent API per item: `prisma.post.findUnique({ where: { id: post.id } }).author()`.
 * When the items are that model's rows from a `findMany` in the same function, the fix includes
 * the relation there and reads `post.author`.
 */
export function prismaFluent(q: TsQueryFact, facts: TsFacts, ctx: DetectContext): Detection {
  const fluent = q.fluent!;
  const view = new ModelsView(ctx, facts);
  const model = q.model ? q.model.charAt(0).toUpperCase() + q.model.slice(1) : '';
  const rel = model ? view.resolve('prisma', [model], (r) => r.field === fluent.name) : undefined;
  const target = rel ? ` (${rel.target})` : '';
  const loop = q.loop!;
  const item = loopItemById(q);
  const source = q.itemsSource;
  const included = !!source && source.query.model === q.model && source.loaded.includes(fluent.name);
  const what = `\`${q.callee}(…).${fluent.name}()\` loads \`${fluent.name}\`${target}`;
  const message = included
    ? `${what} again once per item of ${itemsText(loop)} (Prisma's fluent API: a query per call), though the query that loaded them includes it: N+1 queries. Read \`${item ?? 'item'}.${fluent.name}\` instead.`
    : `${what} once per item of ${itemsText(loop)} (Prisma's fluent API: a query per call): N+1 queries. Load it with the items: \`include: { ${fluent.name}: true }\` on the query that loads them, then read \`${item ?? 'item'}.${fluent.name}\`.`;
  let fixes: Fix[] = [];
  const args = fluent.call.arguments;
  if (item && source && source.query.orm === 'prisma' && source.query.model === q.model && args.length <= 1 && (!args[0] || ts.isObjectLiteralExpression(args[0]))) {
    const value = args[0] ? args[0].getText() : 'true';
    const expr = awaitedOf(fluent.call);
    const read = replaceRead(expr, fluent.call, `${item}.${fluent.name}`);
    fixes = included
      ? fixOf(`Read ${item}.${fluent.name}, already included`, true, [read])
      : fixOf(`Include ${fluent.name} in the query and read ${item}.${fluent.name}`, true, [prismaIncludeEdit(facts.sourceFile!, source, fluent.name, value), read]);
  }
  return { start: q.call.getStart(), end: fluent.call.expression.getEnd(), message, fixes };
}

function awaitedOf(e: ts.Expression): ts.Expression {
  let n: ts.Node = e;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isAwaitExpression(n.parent) ? n.parent : e;
}

/** The loop item whose own row the lookup reads: `post` in `findUnique({ where: { id: post.id } })`. */
function loopItemById(q: TsQueryFact): string | undefined {
  const arg = q.call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg) || arg.properties.length !== 1) return undefined;
  const where = arg.properties[0];
  if (!ts.isPropertyAssignment(where) || where.name.getText() !== 'where' || !ts.isObjectLiteralExpression(where.initializer) || where.initializer.properties.length !== 1) return undefined;
  const id = where.initializer.properties[0];
  if (!ts.isPropertyAssignment(id) || id.name.getText() !== 'id') return undefined;
  const m = /^(\w+)\.id$/.exec(id.initializer.getText());
  return m && q.loop!.variables.includes(m[1]) ? m[1] : undefined;
}

/**
 * A Prisma lookup per item by the item's foreign key — `prisma.user.findUnique({ where: { id:
 * post.authorId } })` over posts from `prisma.post.findMany` — when `schema.prisma` says that key
 * is the `author` relation: include the relation in the findMany and read `post.author`. Safe: the
 * same row (or null), read with the items.
 */
export function prismaForeignKeyInclude(q: TsQueryFact, facts: TsFacts, ctx: DetectContext): { fix?: Fix; relation: { field: string; model: string; item: string; include: string } } | undefined {
  const source = q.itemsSource;
  const loop = q.loop;
  if (q.orm !== 'prisma' || !loop || !source || source.query.orm !== 'prisma' || source.query.operation !== 'findMany' || !source.query.model || !q.model) return undefined;
  if (!/^(findUnique|findFirst)$/.test(q.operation)) return undefined;
  const arg = q.call.arguments[0];
  if (q.call.arguments.length !== 1 || !arg || !ts.isObjectLiteralExpression(arg) || arg.properties.length !== 1) return undefined;
  const where = arg.properties[0];
  if (!ts.isPropertyAssignment(where) || where.name.getText() !== 'where' || !ts.isObjectLiteralExpression(where.initializer) || where.initializer.properties.length !== 1) return undefined;
  const key = where.initializer.properties[0];
  if (!ts.isPropertyAssignment(key)) return undefined;
  const m = /^(\w+)\.(\w+)$/.exec(key.initializer.getText());
  if (!m || !loop.variables.includes(m[1])) return undefined;
  const [, item, foreignKey] = m;
  const referenced = key.name.getText();
  const itemsModel = source.query.model.charAt(0).toUpperCase() + source.query.model.slice(1);
  const view = new ModelsView(ctx, facts);
  const rel = view.resolve('prisma', [itemsModel], (r) => r.kind === 'to-one' && r.foreignKey?.length === 1 && r.foreignKey[0] === foreignKey && (r.references?.[0] ?? 'id') === referenced && r.target.toLowerCase() === q.model!.toLowerCase());
  if (!rel || !rel.model) return undefined;
  const read = replaceRead(awaitedOf(q.call), q.call, `${item}.${rel.field}`);
  const relation = { field: rel.field, model: rel.model, item, include: `include: { ${rel.field}: true }` };
  if (source.loaded.includes(rel.field)) return { relation, fix: fixOf(`Read ${item}.${rel.field}, already included`, true, [read])[0] };
  return { relation, fix: fixOf(`Include ${rel.field} in the ${source.query.model} query and read ${item}.${rel.field}`, true, [prismaIncludeEdit(facts.sourceFile!, source, rel.field, 'true'), read])[0] };
}

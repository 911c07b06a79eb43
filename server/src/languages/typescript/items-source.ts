/**
 * The query that produced a loop's items, when the same function shows it
 * (`const posts = await this.posts.find({ relations: … }); for (const post of posts) …`): its
 * ORM, the model its rows are, and the relations it already loads (`include`, `relations`,
 * `leftJoinAndSelect`, `.populate()`). Lazy-loading checks need all three, and eager-loading
 * fixes edit that query.
 */
import ts from 'typescript';
import { findProperty, propertyName, propertyValue } from './ordering';
import type { TsQueryFact } from './queries';
import { findDeclaration } from './values';

export interface ItemsSource {
  query: TsQueryFact;
  /** The model the rows are, as code names it (`Post`), when known. */
  model?: string;
  /** Relations the query loads: association names, and `model:User` for Sequelize includes by model. */
  loaded: string[];
  /** Sequelize `include: { all: true }`. */
  loadsAll?: boolean;
  /** The file does not say which ORM the query is (`Post.find()` on an imported model): the models must. */
  guessed?: boolean;
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** The expression a loop iterates, from its body: `posts` in `for (const p of posts)` or `posts.map(…)`. */
export function iterableOf(body: ts.Node): ts.Expression | undefined {
  const p = body.parent;
  if (ts.isForOfStatement(p) || ts.isForInStatement(p)) return p.expression;
  if (ts.isFunctionLike(p) && ts.isCallExpression(p.parent) && ts.isPropertyAccessExpression(p.parent.expression)) return p.parent.expression.expression;
  return undefined;
}

/** `Post[]`, `Array<Post>`, `Post` → `Post`. */
function elementType(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (ts.isArrayTypeNode(type)) return elementType(type.elementType);
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (/^(Array|ReadonlyArray|Promise)$/.test(name)) return elementType(type.typeArguments?.[0]);
    return /^[A-Z]\w*$/.test(name) ? name : undefined;
  }
  return undefined;
}

/** Models the items may be, from type annotations: the loop variable's, the iterable's declaration. */
export function itemTypeHints(body: ts.Node, item: string): string[] {
  const hints: string[] = [];
  const p = body.parent;
  if (ts.isFunctionLike(p)) {
    const param = p.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === item);
    const t = elementType(param?.type);
    if (t) hints.push(t);
  }
  const iterable = iterableOf(body);
  const inner = iterable && unwrap(iterable);
  if (inner && ts.isIdentifier(inner)) {
    const decl = findDeclaration(inner);
    const t = decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) ? elementType(decl.type) : undefined;
    if (t) hints.push(t);
  }
  return hints;
}

/** The query fact whose call is `expr`, following local variables a few steps. */
function queryBehind(expr: ts.Expression, byCall: ReadonlyMap<ts.Node, TsQueryFact>, depth = 0): TsQueryFact | undefined {
  const e = unwrap(expr);
  const q = byCall.get(e);
  if (q) return q;
  if (depth < 3 && ts.isIdentifier(e)) {
    const decl = findDeclaration(e);
    if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) return queryBehind(decl.initializer, byCall, depth + 1);
  }
  return undefined;
}

const GUESSED_METHODS = /^(find|findAll)$/;

/**
 * `Post.find(…)…` / `db.Post.findAll(…)` in a file that imports only its models: which ORM is the
 * workspace's models' call, so the source is a guess (`guessed`), read for every ORM's loading options.
 */
function guessedQuery(expr: ts.Expression, depth = 0): TsQueryFact | undefined {
  const e = unwrap(expr);
  if (depth < 3 && ts.isIdentifier(e)) {
    const decl = findDeclaration(e);
    return decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer ? guessedQuery(decl.initializer, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const chain: ts.CallExpression[] = [e];
  for (let c: ts.Expression = e.expression; ts.isPropertyAccessExpression(c) && ts.isCallExpression(c.expression); c = c.expression.expression) chain.unshift(c.expression);
  const root = chain[0];
  if (!ts.isPropertyAccessExpression(root.expression) || !GUESSED_METHODS.test(root.expression.name.text)) return undefined;
  const receiver = root.expression.expression;
  const model = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) && ts.isIdentifier(receiver.expression) ? receiver.name.text : undefined;
  if (!model || !/^[A-Z]/.test(model)) return undefined;
  const method = root.expression.name.text;
  return {
    orm: method === 'findAll' ? 'sequelize' : 'mongoose', model, operation: method, callee: root.expression.getText(), start: e.getStart(), end: e.getEnd(),
    call: chain.length > 1 ? e : root, style: chain.length > 1 ? 'chain' : 'options', chain: chain.length > 1 ? chain : undefined,
    options: root.arguments.find(ts.isObjectLiteralExpression),
  };
}

/** `Repository<Post>` → `Post`. */
function repositoryEntity(type: ts.TypeNode | undefined): string | undefined {
  if (type && ts.isTypeReferenceNode(type) && /Repository$/.test(type.typeName.getText())) return elementType(type.typeArguments?.[0]);
  return undefined;
}

/** `getRepository(Post)`, `dataSource.getRepository(Post)`, `manager.getRepository(Post)`. */
function getRepositoryEntity(e: ts.Expression): string | undefined {
  if (!ts.isCallExpression(e) || !/(^|\.)getRepository$/.test(e.expression.getText())) return undefined;
  const a = e.arguments[0];
  return a && ts.isIdentifier(a) ? a.text : undefined;
}

/** The entity a TypeORM repository expression serves: typed, injected, or built with getRepository. */
function typeormEntity(receiver: ts.Expression, call: ts.CallExpression): string | undefined {
  const r = unwrap(receiver);
  // em.find(Post, …) / manager.findOne(Post, …)
  const first = call.arguments[0];
  if (first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text)) return first.text;
  if (ts.isIdentifier(r) && /^[A-Z]/.test(r.text)) return r.text;
  const fromCall = getRepositoryEntity(r);
  if (fromCall) return fromCall;
  if (ts.isIdentifier(r)) {
    const decl = findDeclaration(r);
    if (decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl))) return repositoryEntity(decl.type) ?? (ts.isVariableDeclaration(decl) && decl.initializer ? getRepositoryEntity(unwrap(decl.initializer)) : undefined);
  }
  if (ts.isPropertyAccessExpression(r) && r.expression.kind === ts.SyntaxKind.ThisKeyword) {
    let cls: ts.Node | undefined = r.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls)) return undefined;
    const name = r.name.text;
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    const param = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
    const prop = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name);
    for (const holder of [param, prop]) {
      if (!holder) continue;
      const typed = repositoryEntity(holder.type);
      if (typed) return typed;
      // @InjectRepository(Post) private posts
      const deco = ts.canHaveDecorators(holder) ? ts.getDecorators(holder)?.find((d) => /InjectRepository|InjectModel/.test(d.expression.getText())) : undefined;
      const arg = deco && ts.isCallExpression(deco.expression) ? deco.expression.arguments[0] : undefined;
      if (arg) return ts.isIdentifier(arg) ? arg.text : ts.isPropertyAccessExpression(arg) && arg.name.text === 'name' ? arg.expression.getText() : undefined;
      if (ts.isPropertyDeclaration(holder) && holder.initializer) return getRepositoryEntity(unwrap(holder.initializer));
    }
  }
  return undefined;
}

function stringsOf(e: ts.Expression | undefined): string[] {
  if (!e) return [];
  if (ts.isStringLiteralLike(e)) return e.text.split(/\s+/).filter(Boolean);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => stringsOf(x));
  if (ts.isObjectLiteralExpression(e)) return stringsOf(propertyValue(findProperty(e, 'path')));
  return [];
}

function keysOf(e: ts.Expression | undefined): string[] {
  if (!e || !ts.isObjectLiteralExpression(e)) return [];
  return e.properties.map(propertyName).filter((n): n is string => !!n);
}

function methodName(c: ts.CallExpression): string {
  return ts.isPropertyAccessExpression(c.expression) ? c.expression.name.text : '';
}

/** What the query already loads, per ORM. */
function loadedBy(q: TsQueryFact, guessed = false): { loaded: string[]; loadsAll?: boolean } {
  if (guessed) {
    const all = (['typeorm', 'sequelize', 'mongoose'] as const).map((orm) => loadedBy({ ...q, orm }));
    return { loaded: all.flatMap((x) => x.loaded), loadsAll: all.some((x) => x.loadsAll) };
  }
  const opts = q.options;
  const chain = q.chain ?? [q.call];
  switch (q.orm) {
    case 'prisma':
      return { loaded: opts ? [...keysOf(propertyValue(findProperty(opts, 'include'))), ...keysOf(propertyValue(findProperty(opts, 'select')))] : [] };
    case 'typeorm': {
      const loaded: string[] = [];
      const relations = opts && propertyValue(findProperty(opts, 'relations'));
      if (relations && ts.isArrayLiteralExpression(relations)) loaded.push(...relations.elements.filter(ts.isStringLiteralLike).map((s) => s.text.split('.')[0]));
      else loaded.push(...keysOf(relations));
      const join = opts && propertyValue(findProperty(opts, 'join'));
      if (join && ts.isObjectLiteralExpression(join)) {
        for (const kind of ['leftJoinAndSelect', 'innerJoinAndSelect']) {
          const j = propertyValue(findProperty(join, kind));
          if (j && ts.isObjectLiteralExpression(j)) for (const p of j.properties) { const v = propertyValue(p); if (v && ts.isStringLiteralLike(v)) loaded.push(v.text.split('.').pop()!); }
        }
      }
      for (const c of chain) {
        if (/^(leftJoinAndSelect|innerJoinAndSelect|leftJoinAndMapOne|leftJoinAndMapMany)$/.test(methodName(c)) && c.arguments[0] && ts.isStringLiteralLike(c.arguments[0])) loaded.push(c.arguments[0].text.split('.').pop()!);
      }
      return { loaded };
    }
    case 'sequelize': {
      const include = opts && propertyValue(findProperty(opts, 'include'));
      const loaded: string[] = [];
      let loadsAll = false;
      const visit = (e: ts.Expression) => {
        if (ts.isStringLiteralLike(e)) loaded.push(e.text);
        else if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) loaded.push(`model:${ts.isIdentifier(e) ? e.text : e.name.text}`);
        else if (ts.isArrayLiteralExpression(e)) e.elements.forEach(visit);
        else if (ts.isObjectLiteralExpression(e)) {
          if (propertyValue(findProperty(e, 'all'))?.kind === ts.SyntaxKind.TrueKeyword) loadsAll = true;
          const as = propertyValue(findProperty(e, 'as'));
          const association = propertyValue(findProperty(e, 'association'));
          const model = propertyValue(findProperty(e, 'model'));
          if (as && ts.isStringLiteralLike(as)) loaded.push(as.text);
          else if (association && ts.isStringLiteralLike(association)) loaded.push(association.text);
          else if (model) visit(model);
        }
      };
      if (include) visit(include);
      return { loaded, loadsAll };
    }
    case 'mikro-orm': {
      // `em.find(Book, where, { populate: ['author', 'tags.items'] })`: the options are the object with `populate`.
      const options = q.call.arguments.find((a) => ts.isObjectLiteralExpression(a) && findProperty(a, 'populate')) as ts.ObjectLiteralExpression | undefined;
      const populate = options && propertyValue(findProperty(options, 'populate'));
      const paths = stringsOf(populate);
      return { loaded: paths.map((p) => p.split('.')[0]), loadsAll: paths.includes('*') || (!!populate && populate.kind === ts.SyntaxKind.TrueKeyword) };
    }
    case 'mongoose': {
      const loaded = chain.filter((c) => methodName(c) === 'populate').flatMap((c) => stringsOf(c.arguments[0]));
      const populate = opts && propertyValue(findProperty(opts, 'populate'));
      return { loaded: [...loaded, ...stringsOf(populate)] };
    }
    default:
      return { loaded: [] };
  }
}

function modelOf(q: TsQueryFact): string | undefined {
  const root = q.chain ? q.chain[0] : q.call;
  if (!ts.isPropertyAccessExpression(root.expression)) return q.model;
  const receiver = root.expression.expression;
  switch (q.orm) {
    case 'prisma':
      // prisma.post → model Post
      return q.model ? q.model.charAt(0).toUpperCase() + q.model.slice(1) : undefined;
    case 'typeorm': {
      const qb = q.chain?.find((c) => methodName(c) === 'createQueryBuilder');
      if (qb && ts.isPropertyAccessExpression(qb.expression)) return typeormEntity(qb.expression.expression, qb);
      return typeormEntity(receiver, root);
    }
    default:
      return q.model;
  }
}

/** The query that produced the items of the loop whose body is `body`, if this function shows it. */
export function itemsSource(body: ts.Node, byCall: ReadonlyMap<ts.Node, TsQueryFact>): ItemsSource | undefined {
  const iterable = iterableOf(body);
  if (!iterable) return undefined;
  const q = queryBehind(iterable, byCall);
  if (q) return q.write ? undefined : { query: q, model: modelOf(q), ...loadedBy(q) };
  const guess = guessedQuery(iterable);
  return guess && { query: guess, model: guess.model, ...loadedBy(guess, true), guessed: true };
}

/**
 * The loop a query runs in: `for…of`/`for await`/`for…in`/`for`, or an iteration callback
 * (`xs.map(async (x) => …)`, `forEach`, `flatMap`, `reduce`, `filter`, …), within the same
 * function. A function boundary that is not an iteration callback ends the search: a query in a
 * helper defined inside a loop body is that helper's, not the loop's.
 */
import ts from 'typescript';
import type { LoopFact } from '../facts';
import { BEFORE_TABLE } from '../sql/embedded';
import { walk } from './walk';

const ITERATION_METHODS = new Set(['map', 'forEach', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'sort', 'each', 'mapSeries', 'eachSeries']);

/** The names a binding declares: `x`, and those of `{ a, b: [c] }`. */
export function bindingNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

/**
 * Where the line holding `pos` starts, by the line breaks TypeScript knows (\n, \r, U+2028,
 * U+2029). Read back from `pos`: the SourceFile's table of line starts costs a pass over the whole
 * text for each new version of an open document.
 */
function lineStart(sf: ts.SourceFile, pos: number): number {
  const text = sf.text;
  let i = pos;
  for (; i > 0; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) break;
  }
  return i;
}

/** The statement that holds `node` (for code to insert before a loop written as an expression). */
function statementOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !ts.isCaseClause(n.parent)) n = n.parent;
  return n;
}

function isPromiseAll(call: ts.Node | undefined): boolean {
  return !!call && ts.isCallExpression(call) && /^Promise\.(all|allSettled)$/.test(call.expression.getText());
}

export interface EnclosingLoop {
  fact: LoopFact;
  /** The loop's body, where per-item locals are declared. */
  body: ts.Node;
}

export function enclosingLoop(node: ts.Node): EnclosingLoop | undefined {
  const sf = node.getSourceFile();
  let child: ts.Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && child === n.statement) {
      const init = n.initializer;
      const variables = ts.isVariableDeclarationList(init) ? init.declarations.flatMap((d) => bindingNames(d.name)) : [init.getText()];
      const kind = ts.isForInStatement(n) ? 'for-in' : n.awaitModifier ? 'for-await' : 'for-of';
      return { body: n.statement, fact: { kind, variables, iterable: n.expression.getText(), start: n.getStart(), end: n.statement.getStart(), statementStart: lineStart(sf, n.getStart()), concurrent: false } };
    }
    if (ts.isForStatement(n) && child === n.statement) {
      // `for (let i = 0; i < xs.length; i++)`: the item is `xs[i]`; the index is the per-item variable.
      const variables = n.initializer && ts.isVariableDeclarationList(n.initializer) ? n.initializer.declarations.flatMap((d) => bindingNames(d.name)) : [];
      const bound = n.condition && ts.isBinaryExpression(n.condition) ? n.condition.right.getText().replace(/\.length$/, '') : undefined;
      return { body: n.statement, fact: { kind: 'for', variables, iterable: bound, start: n.getStart(), end: n.statement.getStart(), statementStart: lineStart(sf, n.getStart()), concurrent: false } };
    }
    if (ts.isFunctionLike(n)) {
      const resolver = resolverOf(n);
      if (resolver) return resolver;
      const call = n.parent;
      if (
        call && ts.isCallExpression(call) && call.arguments[0] === n &&
        ts.isPropertyAccessExpression(call.expression) && ITERATION_METHODS.has(call.expression.name.text) &&
        (ts.isArrowFunction(n) || ts.isFunctionExpression(n))
      ) {
        const params = n.parameters.flatMap((p) => bindingNames(p.name));
        // reduce's first parameter is the accumulator, not the item.
        const variables = /^reduce/.test(call.expression.name.text) ? params.slice(1) : params;
        const concurrent = call.expression.name.text === 'map' && isPromiseAll(call.parent);
        // `prisma.$transaction(xs.map(…))` collects the queries and sends them in one round trip.
        const batched = call.expression.name.text === 'map' && ts.isCallExpression(call.parent) && /\.\$transaction$/.test(call.parent.expression.getText());
        const stmt = statementOf(call);
        return {
          body: n.body,
          fact: { kind: 'callback', variables, iterable: call.expression.expression.getText(), start: call.getStart(), end: n.body.getStart(), statementStart: lineStart(sf, stmt.getStart()), concurrent, batched },
        };
      }
      return undefined;
    }
  }
  return undefined;
}

/** A declaration of a loop body that derives names from the item, in source order. */
interface Derived {
  at: ts.Node;
  names: string[];
}

/**
 * The declarations of a loop's body that carry the item, found in one walk of the body: every
 * query of the loop then takes those before it. Walking the body again for each query made a loop
 * of thousands of queries quadratic. Kept per body node; positions are read from the nodes when
 * asked.
 */
type WithDerived = ts.Node & { plDerived?: { variables: string; derived: Derived[] } };

function derivedNames(loop: EnclosingLoop): Derived[] {
  const variables = loop.fact.variables.join(',');
  const body = loop.body as WithDerived;
  const known = body.plDerived;
  if (known?.variables === variables) return known.derived;
  const names = new Set(loop.fact.variables);
  const derived: Derived[] = [];
  walk(loop.body, (n) => {
    if (ts.isVariableDeclaration(n) && n.initializer && mentions(n.initializer, names)) {
      const added = bindingNames(n.name);
      for (const v of added) names.add(v);
      derived.push({ at: n, names: added });
    }
    if (ts.isFunctionLike(n) && n !== loop.body) return false;
  });
  body.plDerived = { variables, derived };
  return derived;
}

/** Names that carry the item: the loop variables, and locals of the body derived from them. */
function itemNames(loop: EnclosingLoop, before: number): Set<string> {
  const names = new Set(loop.fact.variables);
  for (const d of derivedNames(loop)) {
    if (d.at.pos >= before) break;
    for (const v of d.names) names.add(v);
  }
  return names;
}

/** An identifier that reads one of `names`: `x.post` mentions x, not a `post` variable; `{ post: 1 }` names a key. */
function readsName(n: ts.Node, names: ReadonlySet<string>): boolean {
  if (!ts.isIdentifier(n) || !names.has(n.text)) return false;
  const p = n.parent;
  return !(ts.isPropertyAccessExpression(p) && p.name === n) && !(ts.isPropertyAssignment(p) && p.name === n);
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (readsName(n, names)) found = true;
    if (ts.isShorthandPropertyAssignment(n) && names.has(n.name.text)) found = true;
  });
  return found;
}

/** Does the query (its whole call, chain included) use the loop's item? */
export function usesItem(loop: EnclosingLoop, query: ts.Node): boolean {
  return mentions(query, itemNames(loop, query.getStart()));
}


/**
 * Does the SQL the call runs name a table from the loop's item (`query(\`SELECT last_value FROM
 * ${sequenceName}\`)` with the sequence read per item, `sql\`… FROM ${sql(tenant.schema)}.orders\``)?
 * Its template is the call's first argument, a tagged template's, or a local of the loop's body
 * the call is given.
 */
export function queriesTableOfItem(loop: EnclosingLoop, query: ts.Node): boolean {
  const names = itemNames(loop, query.getStart());
  const template = sqlTemplateOf(loop, query);
  if (!template) return false;
  let before = template.head.text;
  for (const span of template.templateSpans) {
    if (BEFORE_TABLE.test(before) && mentions(span.expression, names)) return true;
    before = span.literal.text;
  }
  return false;
}

function sqlTemplateOf(loop: EnclosingLoop, query: ts.Node): ts.TemplateExpression | undefined {
  let e: ts.Node | undefined = ts.isTaggedTemplateExpression(query) ? query.template : ts.isCallExpression(query) ? query.arguments[0] : undefined;
  if (e && ts.isTaggedTemplateExpression(e)) e = e.template;
  while (e && ts.isParenthesizedExpression(e)) e = e.expression;
  if (e && ts.isIdentifier(e)) {
    const name = e.text;
    let init: ts.Expression | undefined;
    walk(loop.body, (n) => {
      if (init || n.pos >= query.pos) return false;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) init = n.initializer;
    });
    e = init;
  }
  return e && ts.isTemplateExpression(e) ? e : undefined;
}

/** `i += 500`, `i = i + size`: a `for` loop whose index steps through a list a chunk at a time. */
function stepsInChunks(loop: EnclosingLoop): boolean {
  const stmt = loop.body.parent;
  const inc = stmt && ts.isForStatement(stmt) ? stmt.incrementor : undefined;
  if (!inc || !ts.isBinaryExpression(inc) || !ts.isIdentifier(inc.left) || !loop.fact.variables.includes(inc.left.text)) return false;
  const one = (e: ts.Expression) => ts.isNumericLiteral(e) && e.text === '1';
  if (inc.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return !one(inc.right);
  if (inc.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isBinaryExpression(inc.right) || inc.right.operatorToken.kind !== ts.SyntaxKind.PlusToken) return false;
  const { left, right } = inc.right;
  const self = (e: ts.Expression) => ts.isIdentifier(e) && e.text === inc.left.getText();
  return (self(left) && !one(right)) || (self(right) && !one(left));
}

/**
 * `ids.slice(i, i + 500)` in a loop that steps `i` by 500, or `ids.slice(k * size, (k + 1) * size)`:
 * a part of a list (not of the item) whose bounds move with the loop, one chunk per iteration.
 */
function isChunkSlice(e: ts.Node, names: ReadonlySet<string>, stepped: boolean): boolean {
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'slice') return false;
  const [start, stop] = e.arguments;
  if (!start || !stop || mentions(e.expression.expression, names) || !mentions(start, names)) return false;
  // `ids.slice(i, i + 1)`: a chunk of one key per item is the N+1 itself.
  if (ts.isBinaryExpression(stop) && stop.operatorToken.kind === ts.SyntaxKind.PlusToken && stop.left.getText() === start.getText() && stop.right.getText() === '1') return false;
  return stepped || mentions(stop, names);
}

/**
 * The name a call's callee ends with: `In`, `x.In`, and TypeScript's CommonJS output for an
 * imported function, `(0, typeorm_1.In)`, which calls it without a `this`.
 */
function calleeName(callee: ts.Expression): string {
  let e = callee;
  while (ts.isParenthesizedExpression(e)) e = ts.isBinaryExpression(e.expression) && e.expression.operatorToken.kind === ts.SyntaxKind.CommaToken ? e.expression.right : e.expression;
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '';
}

/** Callees that take a list of keys to match: TypeORM `In` and `whereInIds`, Drizzle `inArray`, Knex `whereIn`. */
const IN_CALLS = /^(In|inArray|whereIn|orWhereIn|andWhereIn|whereNotIn|notInArray|whereInIds|andWhereInIds|orWhereInIds|findByIds)$/;
/** Callees that write a list of rows in one statement: Drizzle's, Kysely's and Knex's `values`/`insert`, Sequelize's `bulkCreate`, Mongoose's `insertMany`. */
const BULK_WRITES = /^(values|insert|bulkCreate|insertMany|save)$/;

/**
 * Where a whole list goes in a query: the value of a filter's key (`{ in: chunk }`, `{ $in: chunk }`,
 * `{ [Op.in]: chunk }`, Sequelize's and MikroORM's `{ id: chunk }`, `createMany({ data: chunk })`),
 * an `In(chunk)`/`inArray(col, chunk)`/`whereIn(col, chunk)` argument, Kysely's `where(col, 'in', chunk)`,
 * and with `rows`, the rows of a multi-row insert (`insert(table).values(chunk)`, `bulkCreate(chunk)`:
 * a chunk's rows, where an item's own value there is one row). Not `chunk[0]`, `chunk.length`: a
 * key or a count read from it.
 */
function takesList(n: ts.Node, rows = false): boolean {
  const p = n.parent;
  if (ts.isPropertyAssignment(p)) return p.initializer === n;
  if (!ts.isCallExpression(p) || !p.arguments.includes(n as ts.Expression)) return false;
  const callee = calleeName(p.expression);
  if (IN_CALLS.test(callee) || (rows && BULK_WRITES.test(callee) && p.arguments.length === 1)) return true;
  const before = p.arguments[p.arguments.indexOf(n as ts.Expression) - 1];
  return !!before && ts.isStringLiteralLike(before) && /^(not )?in$/i.test(before.text);
}

/**
 * A query that filters by (or writes) a chunk of a list the loop steps through: `findMany({ where:
 * { id: { in: ids.slice(i, i + 500) } } })` under `for (let i = 0; …; i += 500)`, or the same
 * through `const part = ids.slice(i, i + size)`: one query per batch of keys, the usual way to send
 * a long list of them, not one per item.
 */
export function queriesAChunk(loop: EnclosingLoop, query: ts.Node): boolean {
  if (loop.fact.kind !== 'for') return false;
  const stepped = stepsInChunks(loop);
  const names = new Set(loop.fact.variables);
  // Locals of the body holding a chunk (`const part = ids.slice(i, i + size)`), declared before the query.
  const chunks = new Set<string>();
  for (const d of derivedNames(loop)) {
    if (d.at.pos >= query.getStart()) break;
    const decl = d.at as ts.VariableDeclaration;
    if (ts.isIdentifier(decl.name) && decl.initializer && isChunkSlice(decl.initializer, names, stepped)) chunks.add(decl.name.text);
    for (const v of d.names) names.add(v);
  }
  let found = false;
  walk(query, (n) => {
    if (found) return false;
    const chunk = (ts.isIdentifier(n) && chunks.has(n.text)) || isChunkSlice(n, names, stepped);
    if (chunk && takesList(n, true)) found = true;
    return chunk ? false : undefined;
  });
  return found;
}

/** Property names whose value is a list of keys to match: Prisma's `in`, Mongo's `$in`, Sequelize's `[Op.in]`. */
const IN_KEYS = /^(in|\$in|notIn|\$nin|\[Op\.(in|notIn)\])$/;

/** Calls that pick a model, repository, collection or table by their argument: `getRepository(target)`, `db.collection(name)`, `knex(table)`. */
const MODEL_PICKERS = /^(getRepository|getCustomRepository|getMongoRepository|getTreeRepository|withRepository|collection|model|table|from|selectFrom|insertInto|updateTable|deleteFrom|into)$/;

/**
 * A query of one model of several: the loop goes over models (`for (const Model of models)`), or
 * over groups of keys by model (`for (const { target, ids } of groupByTargetIds())`, `for (const
 * [Model, ids] of byModel)`), and each query reads the item's model, with nothing else of the item
 * or with all of the group's keys (`getRepository(target).whereInIds(ids)`, `Model.findAll({ where:
 * { id: { [Op.in]: ids } } })`). Each query is of another table, so one per model is the fewest
 * there can be, not one per row. One model queried with each item's own list (`In(user.friendIds)`
 * per user), or a model with one key of the item (`In([g.id])`), is still one query per item.
 */
export function queriesAGroup(loop: EnclosingLoop, query: ts.CallExpression): boolean {
  const names = itemNames(loop, query.getStart());
  // The expressions that name the model (`Model`, `g.target`): the chain below the query's method, from the outermost call inwards.
  const models = new Set<string>();
  for (let e: ts.Expression = query.expression; ; ) {
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      if (ts.isElementAccessExpression(e) && mentions(e.argumentExpression, names)) models.add(e.argumentExpression.getText());
      e = e.expression;
    } else if (ts.isCallExpression(e)) {
      const callee = calleeName(e.expression);
      if (MODEL_PICKERS.test(callee)) for (const a of e.arguments) if (mentions(a, names)) models.add(a.getText());
      e = e.expression;
    } else if (ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
    else {
      // `Model.findAll(…)` with `Model` a loop variable: a class, by the name's case.
      if (ts.isIdentifier(e) && names.has(e.text) && /^[A-Z]/.test(e.text)) models.add(e.text);
      break;
    }
  }
  if (models.size === 0) return false;
  let other = false;
  let list = false;
  walk(query, (n) => {
    if (list || ts.isFunctionLike(n)) return false;
    // The model again (`Model.id` in a filter is a column of it): not a use of the item's data.
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && models.has(n.getText())) return false;
    const p = n.parent;
    // `In([item.id])`: a list of one key is the per-item query itself.
    const position = ts.isPropertyAssignment(p) ? p.initializer === n && IN_KEYS.test(p.name.getText()) : takesList(n);
    if (position && !ts.isArrayLiteralExpression(n) && mentions(n, names)) list = true;
    else if (readsName(n, names)) other = true;
    return undefined;
  });
  return list || !other;
}

const ROOT_TYPES = /^(Query|Mutation|Subscription)$/;

function decoratorNames(n: ts.Node): string[] {
  return ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []).map((d) => (ts.isCallExpression(d.expression) ? d.expression.expression : d.expression).getText()) : [];
}

/**
 * A GraphQL field resolver runs once per parent object of a list, like a loop body: a resolver
 * map's `{ Post: { author: (parent) => … } }` (not Query/Mutation/Subscription), a type-graphql
 * `@FieldResolver()` or a NestJS `@ResolveField()` method. The parent is the per-item variable.
 */
function resolverOf(fn: ts.SignatureDeclaration): EnclosingLoop | undefined {
  const sf = fn.getSourceFile();
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return undefined;
  let typeName: string | undefined;
  let parentParam: ts.ParameterDeclaration | undefined = fn.parameters[0];
  if (ts.isMethodDeclaration(fn) && decoratorNames(fn).some((d) => /^(FieldResolver|ResolveField)$/.test(d))) {
    // The parent is the parameter decorated @Root()/@Parent().
    parentParam = fn.parameters.find((p) => decoratorNames(p).some((d) => /^(Root|Parent)$/.test(d)));
    const cls = fn.parent;
    typeName = ts.isClassDeclaration(cls) ? (cls.name?.text ?? 'parent') : 'parent';
  } else {
    // `author: (parent, args, ctx) => …` or `author(parent) { … }` inside `Post: { … }`.
    const holder = ts.isMethodDeclaration(fn) ? fn : fn.parent;
    if (!(ts.isPropertyAssignment(holder) || ts.isMethodDeclaration(holder)) || !ts.isObjectLiteralExpression(holder.parent)) return undefined;
    const typeProp = holder.parent.parent;
    if (!ts.isPropertyAssignment(typeProp) || !typeProp.name || !ts.isIdentifier(typeProp.name)) return undefined;
    const name = typeProp.name.text;
    if (!/^[A-Z]/.test(name) || ROOT_TYPES.test(name)) return undefined;
    // The map holding `Post: {…}` is a resolvers object: its other keys are types too.
    if (!ts.isObjectLiteralExpression(typeProp.parent) || !/resolvers?/i.test(resolverMapName(typeProp.parent))) return undefined;
    typeName = name;
  }
  if (!parentParam || !ts.isIdentifier(parentParam.name)) return undefined;
  return {
    body,
    fact: { kind: 'resolver', variables: [parentParam.name.text], iterable: typeName, start: fn.getStart(), end: body.getStart(), statementStart: lineStart(sf, fn.getStart()), concurrent: true },
  };
}

/** The name a resolver map is bound to or exported as (`const resolvers = {…}`, `resolvers: {…}`). */
function resolverMapName(obj: ts.ObjectLiteralExpression): string {
  let n: ts.Node = obj;
  while (ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return p.name.getText();
  if (ts.isExportAssignment(p)) return 'resolvers';
  return '';
}

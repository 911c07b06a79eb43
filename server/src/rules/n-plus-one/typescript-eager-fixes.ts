/**
 * Eager-loading fixes for lazy loads per item in JS/TS: the relation goes into the query that
 * produced the loop's items (TypeORM `relations`, Sequelize `include`, Prisma `include`/`select`,
 * Mongoose `.populate()`), and the per-item read becomes a read of the loaded field where the
 * per-item call would otherwise still query (`await post.getAuthor()` → `post.author`).
 */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';
import { enclosingFunction, isAsync } from '../../languages/typescript/handlers';
import type { ItemsSource } from '../../languages/typescript/items-source';
import { findProperty, propertyValue } from '../../languages/typescript/ordering';

function lineIndent(sf: ts.SourceFile, pos: number): string {
  const start = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(pos).line];
  return /^[ \t]*/.exec(sf.text.slice(start))![0];
}

/** Appends `item` to an object literal's properties or an array literal's elements, in its layout. */
function appendTo(sf: ts.SourceFile, list: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression, item: string): Edit {
  const elements: ts.NodeArray<ts.Node> = ts.isObjectLiteralExpression(list) ? list.properties : list.elements;
  const [open, close] = ts.isObjectLiteralExpression(list) ? ['{ ', ' }'] : ['', ''];
  if (elements.length === 0) return { start: list.getStart(), end: list.getEnd(), newText: ts.isObjectLiteralExpression(list) ? `${open}${item}${close}` : `[${item}]` };
  const last = elements[elements.length - 1];
  let at = last.getEnd();
  if (elements.hasTrailingComma) at = sf.text.indexOf(',', at) + 1;
  const multiline = sf.text.slice(list.getStart(), last.getStart()).includes('\n');
  if (multiline) {
    const newText = `${elements.hasTrailingComma ? '' : ','}\n${lineIndent(sf, last.getStart())}${item}${elements.hasTrailingComma ? ',' : ''}`;
    return { start: at, end: at, newText };
  }
  return { start: at, end: at, newText: elements.hasTrailingComma ? ` ${item},` : `, ${item}` };
}

/**
 * Adds `key: value` to the options of `call` (its `options` object, or a new one where the options
 * go: `afterArg` is the argument they follow, e.g. the entity of `em.find(Post)`); when `key` is
 * already there, `merge` edits its value instead (undefined: no exact edit).
 */
export function addOption(
  sf: ts.SourceFile,
  call: ts.CallExpression,
  options: ts.ObjectLiteralExpression | undefined,
  key: string,
  value: string,
  merge: (existing: ts.Expression) => Edit | undefined,
  afterArg?: ts.Expression,
): Edit | undefined {
  if (options) {
    const existing = propertyValue(findProperty(options, key));
    if (existing) return merge(existing);
    if (findProperty(options, key)) return undefined;
    return appendTo(sf, options, `${key}: ${value}`);
  }
  if (afterArg) return { start: afterArg.getEnd(), end: afterArg.getEnd(), newText: `, { ${key}: ${value} }` };
  if (call.arguments.length > 0) return undefined;
  return { start: call.arguments.pos, end: call.arguments.end, newText: `{ ${key}: ${value} }` };
}

/** Merge into a relations/include value: an array gets `element`, an object gets `property`. */
export function mergeInto(sf: ts.SourceFile, existing: ts.Expression, element: string, property: string): Edit | undefined {
  if (ts.isArrayLiteralExpression(existing)) return appendTo(sf, existing, element);
  if (ts.isObjectLiteralExpression(existing)) return appendTo(sf, existing, property);
  return undefined;
}

/** The TypeORM file's style: `relations: ['a']` when it already writes arrays, else the object form. */
function usesRelationArrays(sf: ts.SourceFile): boolean {
  return /\brelations\s*:\s*\[/.test(sf.text);
}

/** TypeORM: `relations: { author: true }` (or `['author']`) on `repo.find(…)`. */
export function typeormRelationsEdit(sf: ts.SourceFile, source: ItemsSource, field: string): Edit | undefined {
  const q = source.query;
  if (q.style !== 'options' || q.operation !== 'find') return undefined;
  const entityArg = q.call.arguments[0] && ts.isIdentifier(q.call.arguments[0]) && /^[A-Z]/.test(q.call.arguments[0].text) ? q.call.arguments[0] : undefined;
  if (entityArg && !q.options && q.call.arguments.length > 1) return undefined;
  const value = usesRelationArrays(sf) ? `['${field}']` : `{ ${field}: true }`;
  return addOption(sf, q.call, q.options, 'relations', value, (e) => mergeInto(sf, e, `'${field}'`, `${field}: true`), entityArg);
}

/** Is `name` bound at the top of the file (an import, a require, a class, a const)? */
function declaresName(sf: ts.SourceFile, name: string): boolean {
  const bound = (n: ts.BindingName): boolean => (ts.isIdentifier(n) ? n.text === name : n.elements.some((el) => !ts.isOmittedExpression(el) && bound(el.name)));
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c?.name?.text === name) return true;
      const b = c?.namedBindings;
      if (b && ts.isNamedImports(b) && b.elements.some((e) => e.name.text === name)) return true;
    }
    if (ts.isClassDeclaration(st) && st.name?.text === name) return true;
    if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => bound(d.name))) return true;
  }
  return false;
}

/**
 * Sequelize: the association in `include`. With the target model in scope, the object form
 * (`{ model: User, as: 'author' }`); otherwise the association's name, which Sequelize accepts
 * as a string. Models reached through a namespace (`db.Post`) name the target the same way.
 */
export function sequelizeIncludeEdit(sf: ts.SourceFile, source: ItemsSource, rel: { field: string; target: string; aliased?: boolean }): Edit | undefined {
  const q = source.query;
  if (q.style !== 'options' || q.operation !== 'findAll' || !ts.isPropertyAccessExpression(q.call.expression)) return undefined;
  const receiver = q.call.expression.expression;
  const ns = ts.isPropertyAccessExpression(receiver) ? `${receiver.expression.getText()}.` : '';
  const model = ns ? `${ns}${rel.target}` : declaresName(sf, rel.target) ? rel.target : undefined;
  const element = !model ? `'${rel.field}'` : rel.aliased ? `{ model: ${model}, as: '${rel.field}' }` : model;
  return addOption(sf, q.call, q.options, 'include', `[${element}]`, (e) => {
    if (ts.isStringLiteralLike(e)) return { start: e.getStart(), end: e.getEnd(), newText: `[${e.getText()}, ${element}]` };
    return ts.isArrayLiteralExpression(e) ? mergeInto(sf, e, element, '') : undefined;
  });
}

/** Prisma: `include: { author: true }`, or into `select` when the query selects fields. */
export function prismaIncludeEdit(sf: ts.SourceFile, source: ItemsSource, field: string, value: string): Edit | undefined {
  const q = source.query;
  if (q.style !== 'options' || q.operation !== 'findMany') return undefined;
  const select = q.options && propertyValue(findProperty(q.options, 'select'));
  if (select) return ts.isObjectLiteralExpression(select) ? appendTo(sf, select, `${field}: ${value}`) : undefined;
  return addOption(sf, q.call, q.options, 'include', `{ ${field}: ${value} }`, (e) => (ts.isObjectLiteralExpression(e) ? appendTo(sf, e, `${field}: ${value}`) : undefined));
}

/** Mongoose: `.populate(…)` right after the `find(…)` that loads the documents. */
export function mongoosePopulateEdit(source: ItemsSource, args: string): Edit | undefined {
  const q = source.query;
  const root = q.chain ? q.chain[0] : q.call;
  if (!ts.isPropertyAccessExpression(root.expression) || root.expression.name.text !== 'find') return undefined;
  if ((q.chain ?? []).some((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'lean')) return undefined;
  return { start: root.getEnd(), end: root.getEnd(), newText: `.populate(${args})` };
}

/**
 * Replaces a per-item read (`await post.getAuthor()`) with `replacement` when its value is used
 * as a value: awaited, or returned from an iteration callback (Promise.all takes plain values too).
 */
export function replaceRead(expr: ts.Expression, call: ts.Expression, replacement: string): Edit | undefined {
  const fine = ts.isAwaitExpression(expr) || (ts.isArrowFunction(call.parent) && call.parent.body === call);
  return fine ? { start: expr.getStart(), end: expr.getEnd(), newText: replacement } : undefined;
}

/** Removes a statement of a block: its lines when it is alone on them, else it and the blanks after it. */
function removeStatement(sf: ts.SourceFile, st: ts.Statement): Edit | undefined {
  if (!ts.isBlock(st.parent) && !ts.isSourceFile(st.parent)) return undefined;
  const lineStart = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(st.getStart()).line];
  const lineEnd = sf.text.indexOf('\n', st.getEnd());
  const alone = !sf.text.slice(lineStart, st.getStart()).trim() && !sf.text.slice(st.getEnd(), lineEnd < 0 ? undefined : lineEnd).trim();
  if (alone) return { start: lineStart, end: lineEnd < 0 ? sf.text.length : lineEnd + 1, newText: '' };
  // Code or a comment shares the line: remove the statement and the blanks after it.
  const after = /^[ \t]*/.exec(sf.text.slice(st.getEnd()))![0].length;
  return { start: st.getStart(), end: st.getEnd() + after, newText: '' };
}

/** Removes `await post.populate('author');` (its whole line when alone on it), else reads the item. */
export function dropStatementOrRead(sf: ts.SourceFile, expr: ts.Expression, call: ts.Expression, item: string): Edit | undefined {
  const st = expr.parent;
  if (ts.isExpressionStatement(st)) return removeStatement(sf, st);
  return replaceRead(expr, call, item);
}

/**
 * The function or loop whose only work is `expr`: `for (const p of posts) await p.populate(…);`,
 * `(p) => p.populate(…)`, `async (p) => { await p.populate(…); }`.
 */
function soleWorkOf(expr: ts.Expression): ts.Node | undefined {
  let n: ts.Node = expr;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const parent = n.parent;
  if (ts.isArrowFunction(parent) && parent.body === n) return parent;
  if (ts.isExpressionStatement(parent) && ts.isForOfStatement(parent.parent)) return parent.parent;
  if (!ts.isExpressionStatement(parent) && !ts.isReturnStatement(parent)) return undefined;
  const block = parent.parent;
  if (!ts.isBlock(block) || block.statements.length !== 1) return undefined;
  // A loop's `return` ends the function: the loop does more than populate.
  return ts.isReturnStatement(parent) && ts.isForOfStatement(block.parent) ? undefined : block.parent;
}

/**
 * Once the query populates, a loop that did nothing but populate each item does nothing: it goes
 * (`for (const p of posts) await p.populate('author');`, `await Promise.all(posts.map((p) =>
 * p.populate('author')));`), or, where the promise's value is used, the items take its place
 * (`return Promise.all(posts.map(…))` in an async function returns `posts`). Undefined when the
 * loop does more, or its place cannot take the items.
 */
export function dropPopulateLoop(sf: ts.SourceFile, expr: ts.Expression): Edit | undefined {
  const work = soleWorkOf(expr);
  if (!work) return undefined;
  if (ts.isForOfStatement(work)) return removeStatement(sf, work);
  if (!ts.isArrowFunction(work) && !ts.isFunctionExpression(work)) return undefined;
  const map = work.parent;
  if (!ts.isCallExpression(map) || map.arguments[0] !== work || !ts.isPropertyAccessExpression(map.expression) || map.expression.name.text !== 'map') return undefined;
  const all = map.parent;
  if (!ts.isCallExpression(all) || all.arguments[0] !== map || all.expression.getText() !== 'Promise.all') return undefined;
  // The items stand in for the promise's value: a name, not a call that would run again.
  const items = map.expression.expression;
  if (!/^[\w$.]+$/.test(items.getText())) return undefined;
  let outer: ts.Node = all;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  if (ts.isAwaitExpression(outer.parent)) {
    const awaited = outer.parent;
    if (ts.isExpressionStatement(awaited.parent)) return removeStatement(sf, awaited.parent);
    return { start: awaited.getStart(), end: awaited.getEnd(), newText: items.getText() };
  }
  if (ts.isExpressionStatement(outer.parent)) return removeStatement(sf, outer.parent);
  const fn = outer.parent && ts.isReturnStatement(outer.parent) ? enclosingFunction(outer.parent) : undefined;
  return fn && isAsync(fn) ? { start: all.getStart(), end: all.getEnd(), newText: items.getText() } : undefined;
}

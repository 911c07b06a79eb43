/** The keyset rewrite of a JS/TS query, per ORM. Every fix is `unsafe`: page boundaries change. */
import ts from 'typescript';
import type { Edit, Fix } from '../../engine/finding';
import type { OrderKey } from '../../languages/facts';
import { findProperty, propertyName, propertyValue } from '../../languages/typescript/ordering';
import { findDeclaration } from '../../languages/typescript/values';
import { walk } from '../../languages/typescript/walk';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { ensureImport, replaceExpression } from '../../languages/typescript/edits';
import { cursorFor, cursorName, type Cursor } from './typescript-cursor';

type Cmp = 'lt' | 'gt';
const cmp = (k: OrderKey): Cmp => (k.direction === 'desc' ? 'lt' : 'gt');
const sqlOp = (k: OrderKey) => (k.direction === 'desc' ? '<' : '>');

/** Removes an object property with the comma that follows it (or precedes it, if last). */
function removeProperty(obj: ts.ObjectLiteralExpression, prop: ts.ObjectLiteralElementLike, text: string): Edit {
  const i = obj.properties.indexOf(prop);
  const next = obj.properties[i + 1];
  if (next) {
    // From the property to the comma, then the rest of its line (a comment there is the property's
    // own): comments on the lines before the next property stay.
    let end = next.pos;
    while (text[end] === ' ' || text[end] === '\t') end++;
    if (text.startsWith('//', end)) {
      const eol = text.indexOf('\n', end);
      end = eol < 0 ? text.length : eol;
      if (text[end - 1] === '\r') end--;
    }
    if (text[end] === '\r') end++;
    if (text[end] === '\n') {
      end++;
      while (text[end] === ' ' || text[end] === '\t') end++;
    }
    return { start: prop.getStart(), end, newText: '' };
  }
  const prev = obj.properties[i - 1];
  if (prev) {
    let end = prop.getEnd();
    if (text[end] === ',') end++;
    return { start: prev.getEnd(), end, newText: '' };
  }
  return { start: prop.getStart(), end: prop.getEnd(), newText: '' };
}

/** Adds `entry` to an object literal: after `{`, keeping its layout. */
function addToObject(obj: ts.ObjectLiteralExpression, entry: string): Edit {
  const at = obj.getStart() + 1;
  return { start: at, end: at, newText: obj.properties.length ? ` ${entry},` : ` ${entry} ` };
}

/** Appends to an object or array literal, before its closing bracket. */
function appendTo(lit: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression, entry: string): Edit {
  const elements = ts.isObjectLiteralExpression(lit) ? lit.properties : lit.elements;
  const last = elements[elements.length - 1];
  const at = last ? last.getEnd() : lit.getStart() + 1;
  return { start: at, end: at, newText: last ? `, ${entry}` : entry };
}

function dirText(orm: TsQueryFact['orm'], k: OrderKey): string {
  if (orm === 'mongoose') return k.direction === 'desc' ? '-1' : '1';
  if (orm === 'typeorm' || orm === 'sequelize') return k.direction === 'desc' ? "'DESC'" : "'ASC'";
  return k.direction === 'desc' ? "'desc'" : "'asc'";
}

/** `{ createdAt: { $lt: c1 } }`-style entries for options-object ORMs. */
function conditionEntries(orm: TsQueryFact['orm'], keys: readonly OrderKey[], values: readonly string[]): string {
  const op = (k: OrderKey, v: string) => {
    const c = cmp(k);
    if (orm === 'sequelize') return `{ [Op.${c}]: ${v} }`;
    if (orm === 'typeorm') return `${c === 'lt' ? 'LessThan' : 'MoreThan'}(${v})`;
    return `{ $${c}: ${v} }`;
  };
  if (keys.length === 1) return `${keys[0].column}: ${op(keys[0], values[0])}`;
  const branches = keys.map((k, i) => {
    const eqs = keys.slice(0, i).map((e, j) => `${e.column}: ${values[j]}`);
    return `{ ${[...eqs, `${k.column}: ${op(k, values[i])}`].join(', ')} }`;
  });
  return orm === 'sequelize' ? `[Op.or]: [${branches.join(', ')}]` : `$or: [${branches.join(', ')}]`;
}

/**
 * The test that the request has a cursor. The first page has none, and a condition against a
 * missing value matches nothing (`id > NULL`) or fails (Sequelize, Knex reject an undefined
 * value): every rewrite adds its condition only when this holds.
 */
function cursorGiven(cursor: Cursor): string {
  return cursor.given.map((g) => `${g} != null`).join(' && ');
}

function prismaFix(q: TsQueryFact, keys: readonly OrderKey[], cursor: Cursor): Edit[] {
  const obj = q.options!;
  const tie = keys[keys.length - 1];
  // Prisma's cursor is the unique id of the last row seen; `skip: 1` steps over that row. Without
  // one (the first page) there is no cursor: `searchParams.get()` says so with null, a parameter
  // or `req.query` with undefined.
  const page = `...(${cursorGiven(cursor)} ? { cursor: { ${tie.column}: ${cursor.values[cursor.values.length - 1]} }, skip: 1 } : {})`;
  const edits: Edit[] = [];
  const orderProp = findProperty(obj, 'orderBy');
  const orderValue = propertyValue(orderProp);
  let prefix = '';
  if (keys.length > q.pagination!.orderBy.length) {
    const tieEntry = `{ ${tie.column}: ${dirText('prisma', tie)} }`;
    if (!orderValue) prefix = `orderBy: ${tieEntry}, `;
    else if (ts.isArrayLiteralExpression(orderValue)) edits.push(appendTo(orderValue, tieEntry));
    else edits.push(replaceExpression(orderValue, `[${orderValue.getText()}, ${tieEntry}]`));
  }
  edits.push({ start: q.offsetProperty!.getStart(), end: q.offsetProperty!.getEnd(), newText: prefix + page });
  return edits;
}

/**
 * MikroORM's filter: the argument before the options, in `em.find(Entity, where, options)` and
 * `repository.find(where, options)`. `em.findAll(Entity, options)` and `repository.findAll(options)`
 * take it as the options' `where`.
 */
function mikroFilter(q: TsQueryFact, options: ts.ObjectLiteralExpression): ts.Expression | undefined {
  const args = q.call.arguments;
  const i = args.indexOf(options);
  if (i < 1) return undefined;
  const before = args[i - 1];
  const entity = ts.isStringLiteralLike(before) || (ts.isIdentifier(before) && (before.text === q.model || /^[A-Z]/.test(before.text)));
  return i === 1 && entity ? undefined : before;
}

/** The filter object has a property the keyset condition would add (its column, or the `$or`), or a spread that may. */
function clashes(filter: ts.ObjectLiteralExpression, keys: readonly OrderKey[], orm: TsQueryFact['orm']): boolean {
  const added = keys.length === 1 ? keys[0].column : orm === 'sequelize' ? '[Op.or]' : '$or';
  return filter.properties.some((p) => ts.isSpreadAssignment(p) || p.name?.getText().replace(/^['"]|['"]$/g, '') === added);
}

/**
 * A filter held in a local: whether its object literal or a later assignment
 * (`where.id = In(ids)`) sets `column`, or a spread might.
 */
function localFilterSets(id: ts.Identifier, column: string): boolean {
  const decl = findDeclaration(id);
  if (!decl || !ts.isVariableDeclaration(decl)) return false;
  const init = decl.initializer;
  if (init && ts.isObjectLiteralExpression(init) && init.properties.some((p) => ts.isSpreadAssignment(p) || propertyName(p) === column)) return true;
  const scope = decl.parent.parent.parent;
  let sets = false;
  walk(scope, (n) => {
    if (sets) return false;
    if (!ts.isBinaryExpression(n) || n.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const left = n.left;
    if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return;
    const key = ts.isPropertyAccessExpression(left) ? left.name.text : ts.isStringLiteralLike(left.argumentExpression) ? left.argumentExpression.text : undefined;
    if (key === column && ts.isIdentifier(left.expression) && left.expression.text === id.text) sets = true;
  });
  return sets;
}

function optionsFix(q: TsQueryFact, keys: readonly OrderKey[], cursor: Cursor, sf: ts.SourceFile): Edit[] | undefined {
  const obj = q.options!;
  const orm = q.orm;
  const edits: Edit[] = [];
  // What takes the offset property's place: a new `where` and/or `order`, or nothing.
  const replacement: string[] = [];
  const given = cursorGiven(cursor);
  const entries = conditionEntries(orm, keys, cursor.values);
  // The condition's entries, spread into an object only when there is a cursor.
  const spread = (inner: string): string => `...(${given} ? { ${inner} } : {})`;
  const where = propertyValue(findProperty(obj, 'where'));
  // MikroORM and Mongoose take the filter as an argument of its own.
  const filterArg = orm === 'mikro-orm' ? mikroFilter(q, obj) : orm === 'mongoose' && q.call.arguments[0] !== obj ? q.call.arguments[0] : undefined;
  const target = filterArg ?? where;
  if (orm === 'typeorm' && keys.length > 1) {
    // TypeORM has no OR operator inside one where object: an array of where objects is the OR.
    const rest = !where ? '' : ts.isObjectLiteralExpression(where) ? where.properties.map((p) => `, ${p.getText()}`).join('') : `, ...${where.getText()}`;
    const branches = keys.map((k, i) => {
      const eqs = keys.slice(0, i).map((e, j) => `${e.column}: ${cursor.values[j]}`);
      return `{ ${[...eqs, `${k.column}: ${cmp(k) === 'lt' ? 'LessThan' : 'MoreThan'}(${cursor.values[i]})`].join(', ')}${rest} }`;
    });
    const list = `[${branches.join(', ')}]`;
    if (where) edits.push(replaceExpression(where, `${given} ? ${list} : ${where.getText()}`));
    else replacement.push(spread(`where: ${list}`));
  } else if (target && ts.isObjectLiteralExpression(target) && !clashes(target, keys, orm)) edits.push(addToObject(target, spread(entries)));
  else if (target && orm === 'typeorm') {
    // A TypeORM where object holds one condition per column: a second on the same one has no place.
    if (ts.isObjectLiteralExpression(target) || (ts.isIdentifier(target) && localFilterSets(target, keys[0].column))) return undefined;
    edits.push(replaceExpression(target, `{ ...${target.getText()}, ${spread(entries)} }`));
  } else if (target) {
    // The filter already has a condition on the same key (or an `$or`), or entries we cannot see (a
    // spread, a variable): both must hold, and neither may overwrite the other.
    const and = orm === 'sequelize' ? '[Op.and]' : '$and';
    const text = target.getText();
    edits.push(replaceExpression(target, `${given} ? { ${and}: [${text}, { ${entries} }] } : ${text}`));
  } else replacement.push(spread(`where: { ${entries} }`));
  const tie = keys[keys.length - 1];
  if (keys.length > q.pagination!.orderBy.length) {
    const value = propertyValue(findProperty(obj, 'orderBy', 'order', 'sort'));
    const entry = orm === 'sequelize' ? `['${tie.column}', ${dirText(orm, tie)}]` : `${tie.column}: ${dirText(orm, tie)}`;
    const key = orm === 'sequelize' || orm === 'typeorm' ? 'order' : orm === 'mongoose' ? 'sort' : 'orderBy';
    if (value && (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value))) edits.push(appendTo(value, entry));
    else if (!value) replacement.push(orm === 'sequelize' ? `${key}: [${entry}]` : `${key}: { ${entry} }`);
    else return undefined;
  }
  const prop = q.offsetProperty!;
  edits.push(replacement.length ? { start: prop.getStart(), end: prop.getEnd(), newText: replacement.join(', ') } : removeProperty(obj, prop, sf.text));
  if (orm === 'sequelize') edits.push(...ensureImport(sf, 'sequelize', ['Op']));
  if (orm === 'typeorm') edits.push(...ensureImport(sf, 'typeorm', [...new Set(keys.map((k) => (cmp(k) === 'lt' ? 'LessThan' : 'MoreThan')))]));
  return edits;
}

function lastCall(q: TsQueryFact, names: RegExp): ts.CallExpression | undefined {
  return [...q.chain!].reverse().find((c) => ts.isPropertyAccessExpression(c.expression) && names.test(c.expression.name.text));
}

function chainFix(q: TsQueryFact, keys: readonly OrderKey[], cursor: Cursor, sf: ts.SourceFile): Edit[] | undefined {
  const orm = q.orm;
  const v = cursor.values;
  const col = (k: OrderKey) => k.column;
  let where: string;
  let tieOrder: string;
  const tie = keys[keys.length - 1];
  const edits: Edit[] = [];
  const qb = q.chain!.find((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'createQueryBuilder');
  // Each builder adds the condition only when the request has a cursor (cursorGiven), its own way.
  const given = cursorGiven(cursor);
  switch (orm) {
    case 'knex': {
      const call = keys.length === 1
        ? `where('${col(keys[0])}', '${sqlOp(keys[0])}', ${v[0]})`
        : `where((qb) => qb.where('${col(keys[0])}', '${sqlOp(keys[0])}', ${v[0]}).orWhere((q) => q.where('${col(keys[0])}', ${v[0]}).andWhere('${col(keys[1])}', '${sqlOp(keys[1])}', ${v[1]})))`;
      where = `.modify((query) => { if (${given}) query.${call}; })`;
      tieOrder = `.orderBy('${col(tie)}', '${tie.direction}')`;
      if (keys.length > 2) return undefined;
      break;
    }
    case 'kysely': {
      const cond = keys.length === 1
        ? `eb('${col(keys[0])}', '${sqlOp(keys[0])}', ${v[0]})`
        : `eb.or([eb('${col(keys[0])}', '${sqlOp(keys[0])}', ${v[0]}), eb.and([eb('${col(keys[0])}', '=', ${v[0]}), eb('${col(keys[1])}', '${sqlOp(keys[1])}', ${v[1]})])])`;
      // The test is in the callback, where TypeScript narrows the optional cursor values to what
      // Kysely's typed comparisons take (`$if(given, …)` narrows nothing); `eb.and([])` is `1 = 1`.
      where = `.where((eb) => (${given} ? ${cond} : eb.and([])))`;
      tieOrder = `.orderBy('${col(tie)}', '${tie.direction}')`;
      if (keys.length > 2) return undefined;
      break;
    }
    case 'typeorm': {
      const alias = qb?.arguments[0] && ts.isStringLiteralLike(qb.arguments[0]) ? `${qb.arguments[0].text}.` : '';
      const names = keys.map((_, i) => cursorName(keys, i));
      const p = (i: number) => `:${names[i]}`;
      const cond = keys.length === 1
        ? `${alias}${col(keys[0])} ${sqlOp(keys[0])} ${p(0)}`
        : `(${alias}${col(keys[0])} ${sqlOp(keys[0])} ${p(0)} OR (${alias}${col(keys[0])} = ${p(0)} AND ${alias}${col(keys[1])} ${sqlOp(keys[1])} ${p(1)}))`;
      if (keys.length > 2) return undefined;
      // Without a cursor the condition is one that always holds; the unused parameters are ignored.
      where = `.andWhere(${given} ? '${cond}' : '1 = 1', { ${names.map((n, i) => `${n}: ${v[i]}`).join(', ')} })`;
      tieOrder = `.addOrderBy('${alias}${col(tie)}', '${tie.direction.toUpperCase()}')`;
      break;
    }
    case 'mikro-orm': {
      // MikroORM's QueryBuilder takes the filter objects of em.find (its raw conditions use `?`, not names).
      where = `.andWhere(${given} ? { ${conditionEntries('mikro-orm', keys, v)} } : {})`;
      tieOrder = `.orderBy({ ${col(tie)}: '${tie.direction}' })`;
      break;
    }
    case 'mongoose':
      where = `.where(${given} ? { ${conditionEntries('mongoose', keys, v)} } : {})`;
      tieOrder = `.sort({ ${col(tie)}: ${dirText('mongoose', tie)} })`;
      break;
    case 'drizzle': {
      const from = q.chain!.find((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'from');
      const table = from?.arguments[0]?.getText();
      if (!table || keys.length > 2) return undefined;
      const c = (k: OrderKey) => `${table}.${col(k)}`;
      // Drizzle leaves out an undefined condition, in where() and in and().
      const cond = keys.length === 1
        ? `${given} ? ${cmp(keys[0])}(${c(keys[0])}, ${v[0]}) : undefined`
        : `${given} ? or(${cmp(keys[0])}(${c(keys[0])}, ${v[0]}), and(eq(${c(keys[0])}, ${v[0]}), ${cmp(keys[1])}(${c(keys[1])}, ${v[1]}))) : undefined`;
      const names = new Set<string>(keys.map(cmp));
      if (keys.length > 1) ['or', 'and', 'eq'].forEach((n) => names.add(n));
      // Drizzle allows one .where(): combine with the existing condition.
      const existing = lastCall(q, /^where$/);
      if (existing && existing.arguments[0]) {
        names.add('and');
        edits.push({ start: existing.arguments[0].getStart(), end: existing.arguments[0].getEnd(), newText: `and(${existing.arguments[0].getText()}, ${cond})` });
        where = '';
      } else where = `.where(${cond})`;
      names.add(tie.direction);
      edits.push(...ensureImport(sf, 'drizzle-orm', [...names]));
      const order = lastCall(q, /^orderBy$/);
      if (order && keys.length > q.pagination!.orderBy.length) {
        const lastArg = order.arguments[order.arguments.length - 1];
        edits.push({ start: lastArg.getEnd(), end: lastArg.getEnd(), newText: `, ${tie.direction}(${c(tie)})` });
        tieOrder = '';
      } else tieOrder = `.orderBy(${tie.direction}(${c(tie)}))`;
      break;
    }
    default:
      return undefined;
  }
  const offsetSpan = q.pagination!.offsetSpan;
  let replacement = where;
  if (keys.length > q.pagination!.orderBy.length && tieOrder) {
    const order = lastCall(q, /^(orderBy|addOrderBy|sort)$/);
    const objectOrder = (orm === 'mongoose' || orm === 'mikro-orm') && order?.arguments[0] && ts.isObjectLiteralExpression(order.arguments[0]) ? order.arguments[0] : undefined;
    if (objectOrder) edits.push(appendTo(objectOrder, `${col(tie)}: ${dirText(orm, tie)}`));
    // A second orderBy() of MikroORM's builder may replace the first: only its object takes the key.
    else if (order && orm === 'mikro-orm') return undefined;
    else if (order && order.getEnd() !== offsetSpan.start) {
      edits.push({ start: order.getEnd(), end: order.getEnd(), newText: tieOrder });
    } else replacement = (order ? tieOrder : '') + replacement + (order ? '' : tieOrder);
  }
  edits.push({ start: offsetSpan.start, end: offsetSpan.end, newText: replacement });
  return edits;
}

/** The TypeScript type of a Prisma scalar, for the cursor's parameter or the parsing of its text. */
export const PRISMA_TS_TYPES: Record<string, string> = { Int: 'number', BigInt: 'bigint', String: 'string', Float: 'number', DateTime: 'Date' };

/**
 * `idType`: the schema's type of the tie-breaker (Prisma: `Int`, `String`, `BigInt`), when known.
 * `keyTypes`: the TypeScript type of each key where its entity says it (TypeORM `id: number`): a
 * value read from the request is converted to it, as the entity's typed `where` takes no text.
 */
export function keysetFix(q: TsQueryFact, keys: readonly OrderKey[], sf: ts.SourceFile, idType?: string, keyTypes?: ReadonlyArray<string | undefined>): Fix | undefined {
  // Without an import saying which builder this is, a rewrite would be a guess.
  if (q.inferred) return undefined;
  const isTs = !/\.[mc]?jsx?$/i.test(sf.fileName);
  const prisma = q.orm === 'prisma';
  // Prisma checks a value against the schema's type (a cursor of '5' for an Int id fails): the id
  // read from a query string becomes the id's type. Without a schema, an id is taken for a number.
  const cursor = prisma
    ? cursorFor(q.call, keys.slice(-1), q.requestObject, { isTs, types: [idType && PRISMA_TS_TYPES[idType]], parseRequest: true })
    : cursorFor(q.call, keys, q.requestObject, { isTs, types: keyTypes, parseKnown: !!keyTypes });
  if (!cursor) return undefined;
  let edits: Edit[] | undefined;
  if (q.style === 'options') edits = prisma ? prismaFix(q, keys, cursor) : q.orm === 'drizzle' ? undefined : optionsFix(q, keys, cursor, sf);
  else edits = chainFix(q, keys, cursor, sf);
  if (!edits) return undefined;
  const cols = keys.map((k) => k.column).join(', ');
  return { title: `Rewrite to keyset pagination on (${cols})`, applicability: 'unsafe', edits: [...edits, ...cursor.edits].sort((a, b) => a.start - b.start) };
}


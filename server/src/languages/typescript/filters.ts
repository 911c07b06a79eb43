/**
 * What a query filters by (FilterFact), one reader per ORM's way of writing a filter: Prisma's
 * `where`, TypeORM's `where` and find operators, Drizzle's conditions, Mongoose's and MikroORM's
 * filter documents, Sequelize's `where` and `Op`s. Each reads the filter's top level (the
 * conditions all rows must meet) and says when something there is not a plain field's condition.
 */
import ts from 'typescript';
import type { FilterFact } from '../facts';
import { findDeclaration } from './values';

type Op = FilterFact['fields'][number]['op'];

/** The operators on one field, as one comparison: any that no index serves makes it `other`; a range and an equality is a range. */
function combined(ops: readonly Op[]): Op {
  return ops.length === 0 || ops.includes('other') ? 'other' : ops.includes('range') ? 'range' : ops.includes('in') ? 'in' : 'eq';
}

const OPERATORS: Record<string, Op> = { equals: 'eq', in: 'in', lt: 'range', lte: 'range', gt: 'range', gte: 'range' };
/** Relation filters (`some`, `is`…): the condition is on another table. */
const RELATION_FILTER = /^(some|every|none|is|isNot)$/;

function keyName(p: ts.ObjectLiteralElementLike): string | undefined {
  const name = p.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** How one field's value compares it; undefined when it is a relation's filter. */
function opOf(value: ts.Expression): Op | undefined {
  let v = value;
  while (ts.isParenthesizedExpression(v) || ts.isAsExpression(v) || ts.isSatisfiesExpression(v)) v = v.expression;
  if (v.kind === ts.SyntaxKind.NullKeyword) return 'other';
  if (!ts.isObjectLiteralExpression(v)) return 'eq';
  const keys = v.properties.map(keyName);
  if (keys.some((k) => k === undefined || RELATION_FILTER.test(k))) return undefined;
  // `{ contains: q, mode: 'insensitive' }`, `{ not: x }`: no plain index serves them.
  return combined(keys.map((k) => OPERATORS[k!] ?? 'other'));
}

/**
 * The object a `const` holds when the query is its only other use in the function (`const where =
 * { email }; … findFirst({ where })`): a variable that is also changed (`where.name = q`) or passed
 * elsewhere may hold more conditions than written.
 */
function constObject(id: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  const decl = findDeclaration(id);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isObjectLiteralExpression(decl.initializer)) return undefined;
  if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  let scope: ts.Node = decl;
  while (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope) && scope.parent) scope = scope.parent;
  let uses = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === id.text && n !== decl.name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) uses++;
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return uses === 1 ? decl.initializer : undefined;
}

/**
 * Prisma: the top level of a `where` object (`{ email }`, `{ status: 'DRAFT', createdAt: { gte:
 * since } }`), written in the call or in a `const` it passes. `AND`/`OR`/`NOT`, spreads and filters
 * through relations (`{ author: { is: … } }`) make it incomplete.
 */
export function prismaFilter(whereExpr: ts.Expression | undefined): FilterFact | undefined {
  const where = whereExpr && ts.isIdentifier(whereExpr) ? constObject(whereExpr) : whereExpr;
  if (!where || !ts.isObjectLiteralExpression(where)) return undefined;
  const out: FilterFact = { fields: [], complete: true };
  for (const p of where.properties) {
    const name = keyName(p);
    if (!name || /^(AND|OR|NOT)$/.test(name) || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
      out.complete = false;
      continue;
    }
    const op = ts.isPropertyAssignment(p) ? opOf(p.initializer) : 'eq';
    if (!op) {
      out.complete = false;
      continue;
    }
    out.fields.push({ name, op, start: p.name.getStart(), end: p.name.getEnd() });
  }
  return out.fields.length ? out : undefined;
}

/** TypeORM's find operators: how each compares the column. */
const TYPEORM_OPERATORS: Record<string, Op> = { Equal: 'eq', In: 'in', MoreThan: 'range', MoreThanOrEqual: 'range', LessThan: 'range', LessThanOrEqual: 'range', Between: 'range' };
/** Repository and entity-manager reads whose argument is the where object itself (`findOneBy({ email })`). */
const TYPEORM_BY = /^(findBy|findOneBy|findOneByOrFail|findAndCountBy|countBy|existsBy|sumBy|averageBy|minimumBy|maximumBy)$/;
const TYPEORM_OPTIONS = /^(find|findOne|findOneOrFail|findAndCount|count|exist|exists)$/;

/**
 * What a TypeORM read filters by: the `where` of `find`/`findOne`/`count` options, or the object of
 * `findOneBy`/`findBy`/`countBy`, its columns compared to values or through find operators
 * (`MoreThan(x)`, `In(ids)`). A `where` array (an OR), a nested object (a relation), a spread or
 * `Raw(…)` makes it incomplete or uncomparable. `model`: the repository's entity.
 */
export function typeormFilter(call: ts.CallExpression, method: string, entity: string | undefined): FilterFact | undefined {
  // `em.findOneBy(User, { email })`: the entity first.
  const objects = call.arguments.filter(ts.isObjectLiteralExpression);
  let where: ts.Expression | undefined;
  if (TYPEORM_BY.test(method)) where = objects[0];
  else if (TYPEORM_OPTIONS.test(method) && objects[0]) {
    const p = objects[0].properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && keyName(x) === 'where');
    where = p?.initializer;
  }
  if (!where || !ts.isObjectLiteralExpression(where)) return undefined;
  const out: FilterFact = { fields: [], complete: true, ...(entity ? { model: entity } : {}) };
  for (const p of where.properties) {
    const name = keyName(p);
    if (!name || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
      out.complete = false;
      continue;
    }
    let op: Op | undefined = 'eq';
    if (ts.isPropertyAssignment(p)) {
      const v = p.initializer;
      if (ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v)) op = undefined;
      else if (v.kind === ts.SyntaxKind.NullKeyword) op = 'other';
      else if (ts.isCallExpression(v) && ts.isIdentifier(v.expression) && /^[A-Z]/.test(v.expression.text)) op = TYPEORM_OPERATORS[v.expression.text] ?? 'other';
    }
    if (!op) {
      out.complete = false;
      continue;
    }
    out.fields.push({ name, op, start: p.name.getStart(), end: p.name.getEnd() });
  }
  return out.fields.length ? out : undefined;
}

/** Drizzle's condition functions: how each compares its column. */
const DRIZZLE_OPERATORS: Record<string, Op> = { eq: 'eq', inArray: 'in', gt: 'range', gte: 'range', lt: 'range', lte: 'range', between: 'range', ne: 'other', like: 'other', ilike: 'other', notLike: 'other', notIlike: 'other', isNull: 'other', isNotNull: 'other', notInArray: 'other', notBetween: 'other' };

/**
 * What a Drizzle query builder filters by: the condition of its `.where(…)` (`eq(users.email, e)`,
 * `and(eq(…), gte(…))`, `inArray(users.id, ids)`) on the table it reads, updates or deletes from
 * (`from(users)`, `update(users)`, `delete(users)`). `or(…)`, `not(…)`, a `sql` template, a
 * condition on another table (a join) or one left out at run time (`cond ? eq(…) : undefined`)
 * make it incomplete. `model`: the table's variable.
 */
export function drizzleFilter(chain: readonly ts.CallExpression[]): FilterFact | undefined {
  let table: string | undefined;
  let where: ts.Expression | undefined;
  for (const c of chain) {
    const callee = c.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const first = c.arguments[0];
    if ((name === 'from' || name === 'update' || name === 'delete') && first && ts.isIdentifier(first)) table = first.text;
    if (name === 'where') where = first;
    if (name && /^(innerJoin|leftJoin|rightJoin|fullJoin|join)$/.test(name)) return undefined;
  }
  if (!table || !where) return undefined;
  const out: FilterFact = { fields: [], complete: true, model: table };
  const condition = (e: ts.Expression): void => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
      const fn = e.expression.text;
      if (fn === 'and') return e.arguments.forEach(condition);
      const col = e.arguments[0];
      const op = DRIZZLE_OPERATORS[fn];
      if (op && col && ts.isPropertyAccessExpression(col) && ts.isIdentifier(col.expression) && col.expression.text === table) {
        out.fields.push({ name: col.name.text, op, start: col.name.getStart(), end: col.name.getEnd() });
        return;
      }
    }
    out.complete = false;
  };
  condition(where);
  return out.fields.length ? out : undefined;
}

const MONGO_OPERATORS: Record<string, Op> = { $eq: 'eq', $in: 'in', $gt: 'range', $gte: 'range', $lt: 'range', $lte: 'range' };
/** Mongoose model methods whose first argument is the filter. */
const MONGOOSE_FILTERED = /^(find|findOne|countDocuments|exists|updateOne|updateMany|deleteOne|deleteMany|findOneAndUpdate|findOneAndDelete|findOneAndReplace|replaceOne)$/;

/**
 * A filter document, as Mongoose and MikroORM take one: its top level (`{ email }`, `{ age: { $gte:
 * 18 } }`, `{ _id: { $in: ids } }`). `$or`, `$and`, `$expr`, `$text`, a spread make it incomplete;
 * `$regex`, `$ne`, `$exists`, `$like`, a regular expression or a subdocument no plain index serves,
 * except where `nested` says a subdocument is a relation's filter (MikroORM): incomplete then.
 */
function documentFilter(doc: ts.Expression | undefined, nested: 'other' | 'incomplete'): FilterFact | undefined {
  if (!doc || !ts.isObjectLiteralExpression(doc)) return undefined;
  const out: FilterFact = { fields: [], complete: true };
  for (const p of doc.properties) {
    const name = keyName(p);
    if (!name || name.startsWith('$') || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
      out.complete = false;
      continue;
    }
    let op: Op | undefined = 'eq';
    if (ts.isPropertyAssignment(p)) {
      const v = p.initializer;
      if (v.kind === ts.SyntaxKind.NullKeyword || ts.isRegularExpressionLiteral(v)) op = 'other';
      else if (ts.isObjectLiteralExpression(v)) {
        const keys = v.properties.map((x) => keyName(x) ?? '');
        if (keys.length && keys.every((k) => !k.startsWith('$')) && nested === 'incomplete') op = undefined;
        else op = combined(keys.map((k) => MONGO_OPERATORS[k] ?? 'other'));
      }
    }
    if (!op) {
      out.complete = false;
      continue;
    }
    out.fields.push({ name, op, start: p.name.getStart(), end: p.name.getEnd() });
  }
  return out.fields.length ? out : undefined;
}

/** What a Mongoose query filters by: its filter document, the first argument. */
export function mongooseFilter(call: ts.CallExpression, method: string): FilterFact | undefined {
  return MONGOOSE_FILTERED.test(method) ? documentFilter(call.arguments[0], 'other') : undefined;
}

/** MikroORM methods that take a filter: after the entity on an EntityManager (`em.find(User, where)`), first on a repository. */
const MIKRO_FILTERED = /^(find|findOne|findOneOrFail|findAndCount|count|nativeUpdate|nativeDelete)$/;

/** What a MikroORM read or native write filters by: its filter document. `model`: the entity. */
export function mikroOrmFilter(call: ts.CallExpression, method: string, entity: string | undefined, entityFirst: boolean): FilterFact | undefined {
  if (!MIKRO_FILTERED.test(method)) return undefined;
  const filter = documentFilter(call.arguments[entityFirst ? 1 : 0], 'incomplete');
  return filter && entity ? { ...filter, model: entity } : undefined;
}

const SEQUELIZE_OPERATORS: Record<string, Op> = { eq: 'eq', in: 'in', gt: 'range', gte: 'range', lt: 'range', lte: 'range', between: 'range' };

/**
 * What a Sequelize query filters by: the `where` of its options (`findOne`, `findAll`, `count`,
 * `update(values, { where })`, `destroy`), its attributes compared by value, by a list (an IN), or
 * with operators (`{ [Op.gte]: since }`). `[Op.or]`, a spread, `Sequelize.where(…)` make it incomplete;
 * `Op.like`, `Op.ne`, `null` no plain index serves.
 */
export function sequelizeFilter(call: ts.CallExpression): FilterFact | undefined {
  let where: ts.Expression | undefined;
  for (const a of call.arguments) {
    if (!ts.isObjectLiteralExpression(a)) continue;
    const p = a.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && keyName(x) === 'where');
    if (p) where = p.initializer;
  }
  if (!where || !ts.isObjectLiteralExpression(where)) return undefined;
  const out: FilterFact = { fields: [], complete: true };
  for (const p of where.properties) {
    const name = keyName(p);
    if (!name || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
      out.complete = false;
      continue;
    }
    let op: Op = 'eq';
    if (ts.isPropertyAssignment(p)) {
      const v = p.initializer;
      if (v.kind === ts.SyntaxKind.NullKeyword) op = 'other';
      else if (ts.isArrayLiteralExpression(v)) op = 'in';
      else if (ts.isObjectLiteralExpression(v)) {
        // `{ [Op.gte]: since }`: the operator's name after `Op.`.
        op = combined(
          v.properties.map((x) => {
            const key = x.name && ts.isComputedPropertyName(x.name) ? x.name.expression : undefined;
            return key && ts.isPropertyAccessExpression(key) ? (SEQUELIZE_OPERATORS[key.name.text] ?? 'other') : 'other';
          }),
        );
      }
    }
    out.fields.push({ name, op, start: p.name.getStart(), end: p.name.getEnd() });
  }
  return out.fields.length ? out : undefined;
}

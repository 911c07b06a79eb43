/**
 * MikroORM finds → SQL: `em.find(Book, where, options)`, `findOne`, `findOneOrFail`, `findAll`,
 * `count`, `findAndCount`, on an EntityManager or a repository (`em.getRepository(Book)`, an
 * injected or `EntityRepository<Book>`-typed property, `this` in a repository class). The where
 * object: values (an entity or its key for a relation), arrays as IN, `null`, the operators `$eq`,
 * `$ne`, `$in`, `$nin`, `$gt`, `$gte`, `$lt`, `$lte`, `$like`, `$ilike`, `$not`, and `$and`/`$or`;
 * a primary key alone (`em.findOne(Book, id)`). Options: `orderBy` (object or array, `'desc'`,
 * `QueryOrder.DESC`, `-1`), `limit`, `offset`, `fields`; `populate` loads more and is noted.
 * Tables and columns come from the entities (mikro-orm-entities.ts).
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { findDeclaration } from '../../languages/typescript/values';
import { MikroOrmEntities, type MikroOrmEntity } from './mikro-orm-entities';
import { repositoryEntity } from './repositories';
import { and, column, not, or, Parameters, quoteName, renderSelect, valueSql } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import type { TsModules } from './typescript-modules';
import { codeValue, constantOf, objectEntries, oneLine, unwrap } from './typescript-values';

const METHODS = new Set(['find', 'findOne', 'findOneOrFail', 'findAll', 'count', 'findAndCount']);
const OPTIONS = new Set(['where', 'orderBy', 'limit', 'offset', 'fields', 'populate', 'cache', 'disableIdentityMap', 'refresh', 'schema', 'comments', 'hintComments', 'logging', 'lockMode', 'connectionType', 'filters']);
const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=', $like: 'LIKE', $ilike: 'ILIKE' };

export function translateMikroOrmCall(fact: TsQueryFact, modules: TsModules, file: string): OrmTranslation {
  const call = fact.call;
  const callee = oneLine(call.expression.getText());
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  if (fact.chain?.some((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'createQueryBuilder')) fail('query builders are not translated yet (em.find and repositories are)');
  const method = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  if (!METHODS.has(method)) fail(`\`${method}\` is not translated (${[...METHODS].join(', ')} are)`);
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  // EntityManager: `em.find(Book, …)`; a repository: `repo.find(…)`.
  const first = call.arguments[0] && unwrap(call.arguments[0]);
  const managerStyle = !!first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text) && !findDeclaration(first);
  const entityName = managerStyle
    ? (first as ts.Identifier).text
    : repositoryEntity(receiver) ?? fail(`which entity \`${oneLine(receiver.getText())}\` is a repository of is not known here (use em.find(Entity, …), em.getRepository(Entity) or EntityRepository<Entity>)`);
  const entities = new MikroOrmEntities(file, modules);
  const entity = entities.entity(entityName) ?? fail(`no MikroORM entity \`${entityName}\` found (looked in the workspace index, the module it is imported from and this file)`);
  if (entity.unsupported) fail(entity.unsupported);
  const args = call.arguments.slice(managerStyle ? 1 : 0);
  const notes: string[] = [];
  const params = new Parameters();
  // findAll takes its where in the options; the others take it first.
  const whereArg = method === 'findAll' ? undefined : args[0];
  const optionsArg = method === 'findAll' ? args[0] : args[1];
  const options = optionsArg ? objectEntries(optionsArg, 'the options', notes, fail) : new Map<string, ts.Expression>();
  for (const key of options.keys()) if (!OPTIONS.has(key)) fail(`the \`${key}\` option is not translated`);
  const where = whereArg ?? options.get('where');
  const conditions = where ? whereOf(where) : [];
  const table = quoteName(entity.table);
  if (method === 'count') {
    return { sql: renderSelect({ columns: ['count(*) AS "count"'], from: table, where: conditions }), description: `${oneLine(fact.callee)} → SQL`, notes: [...params.notes(), ...notes] };
  }
  const fields = options.get('fields');
  const columns = fields ? selectedColumns(fields) : entity.columns.map((c) => column(entity.table, c.column));
  const orderBy = options.get('orderBy') ? orderTerms(options.get('orderBy')!) : [];
  const limitExpr = options.get('limit');
  const offsetExpr = options.get('offset');
  let limit = limitExpr ? valueSql(codeValue(limitExpr), params) : undefined;
  const offset = offsetExpr ? valueSql(codeValue(offsetExpr), params) : undefined;
  if (method === 'findOne' || method === 'findOneOrFail') limit = '1';
  const populate = options.get('populate');
  if (populate) notes.push(`\`populate: ${oneLine(populate.getText())}\` loads the relations with more SQL (a JOIN or a query per relation, by the loading strategy); this is the main query`);
  if (method === 'findAndCount') notes.push('findAndCount also runs a count(*) with the same WHERE');
  const sql = renderSelect({ columns, from: table, where: conditions, orderBy, limit, offset });
  return { sql, description: `${oneLine(fact.callee)} → SQL`, notes: [...params.notes(), ...notes] };

  function propertyColumn(e: MikroOrmEntity, property: string): string {
    const c = e.columns.find((x) => x.property === property && !x.relation) ?? e.columns.find((x) => x.relation === property) ?? e.columns.find((x) => x.column === property);
    if (c) return column(e.table, c.column);
    if (e.relations.some((r) => r.property === property)) fail(`\`${property}\` of ${e.name} is a collection: conditions on it are not translated`);
    return fail(`\`${property}\` is not a property of ${e.name}`);
  }

  function value(v: ts.Expression): string {
    return valueSql(codeValue(v), params);
  }

  function inList(col: string, v: ts.Expression, negated: boolean): string {
    const e = unwrap(v);
    if (ts.isArrayLiteralExpression(e)) {
      if (e.elements.length === 0) return negated ? 'true' : 'false';
      return `${col} ${negated ? 'NOT IN' : 'IN'} (${e.elements.map(value).join(', ')})`;
    }
    return `${col} ${negated ? '<> ALL' : '= ANY'}(${params.add(oneLine(v.getText()))})`;
  }

  /** A property's condition: a value, an array (IN), null, or an object of operators. */
  function condition(col: string, v: ts.Expression): string[] {
    const e = unwrap(v);
    if (ts.isArrayLiteralExpression(e)) return [inList(col, e, false)];
    if (!ts.isObjectLiteralExpression(e)) {
      const c = constantOf(e);
      return [c === null ? `${col} IS NULL` : `${col} = ${value(e)}`];
    }
    const out: string[] = [];
    for (const [op, operand] of objectEntries(e, 'a condition', notes, fail)) {
      const c = constantOf(operand);
      if (op === '$in' || op === '$nin') out.push(inList(col, operand, op === '$nin'));
      else if (op === '$eq' && c === null) out.push(`${col} IS NULL`);
      else if (op === '$ne' && c === null) out.push(`${col} IS NOT NULL`);
      else if (COMPARISONS[op]) out.push(`${col} ${COMPARISONS[op]} ${value(operand)}`);
      else if (op === '$not') out.push(not(and(condition(col, operand))));
      else fail(`the operator \`${op}\` is not translated`);
    }
    return out;
  }

  function whereOf(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    // `em.findOne(Book, id)`: the primary key.
    if (!ts.isObjectLiteralExpression(e)) {
      const pk = entity.columns.find((c) => c.primary) ?? fail(`${entity.name} has no primary key`);
      return [`${column(entity.table, pk.column)} = ${value(e)}`];
    }
    const out: string[] = [];
    for (const [key, v] of objectEntries(e, 'the where object', notes, fail)) {
      if (key === '$and' || key === '$or') {
        const list = unwrap(v);
        if (!ts.isArrayLiteralExpression(list)) fail(`\`${key}\` takes an array`);
        const parts = (list as ts.ArrayLiteralExpression).elements.map((x) => and(whereOf(x)));
        out.push(key === '$and' ? and(parts) : or(parts));
      } else if (key === '$not') out.push(not(and(whereOf(v))));
      else if (key.startsWith('$')) fail(`the operator \`${key}\` is not translated`);
      else {
        // A relation compared to an entity object's properties would need a join.
        const rel = entity.relations.find((r) => r.property === key);
        const inner = unwrap(v);
        if (rel && ts.isObjectLiteralExpression(inner) && !inner.properties.some((p) => p.name && /^\$/.test(p.name.getText()))) fail(`conditions on the properties of the relation \`${key}\` are not translated`);
        out.push(...condition(propertyColumn(entity, key), v));
      }
    }
    return out;
  }

  function selectedColumns(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    if (!ts.isArrayLiteralExpression(e)) return fail('`fields` is not an array literal');
    const names = e.elements.map((x) => (ts.isStringLiteralLike(x) ? x.text : fail(`the field \`${oneLine(x.getText())}\` is not translated`)));
    if (names.some((n) => n.includes('.'))) fail('fields of relations are not translated');
    // MikroORM always selects the primary key.
    const pk = entity.columns.filter((c) => c.primary).map((c) => c.property);
    return [...new Set([...pk, ...names])].map((n) => propertyColumn(entity, n));
  }

  function direction(v: ts.Expression): string {
    const e = unwrap(v);
    const c = constantOf(e);
    const text = typeof c === 'string' ? c : typeof c === 'number' ? (c < 0 ? 'desc' : 'asc') : ts.isPropertyAccessExpression(e) && /^QueryOrder(Numeric)?$/.test(e.expression.getText()) ? e.name.text : undefined;
    if (!text) return fail(`the order \`${oneLine(v.getText())}\` known only at run time is not translated`);
    const m = /^(asc|desc)(?:[ _]nulls[ _](first|last))?$/i.exec(text.trim());
    if (!m) return fail(`the order \`${text}\` is not translated`);
    return `${m[1].toUpperCase()}${m[2] ? ` NULLS ${m[2].toUpperCase()}` : ''}`;
  }

  function orderTerms(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap(orderTerms);
    const out: string[] = [];
    for (const [key, v] of objectEntries(e, 'orderBy', notes, fail)) {
      if (ts.isObjectLiteralExpression(unwrap(v))) fail(`ordering by the relation \`${key}\` is not translated`);
      out.push(`${propertyColumn(entity, key)} ${direction(v)}`);
    }
    return out;
  }
}

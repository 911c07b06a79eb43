/** offset-pagination in JS/TS: ORM options (`skip`, `offset`) and builder `.offset()`/`.skip()`, plus SQL in strings. */
import ts from 'typescript';
import type { Detection, Edit } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { OrderKey, OrmId, SqlStatementFact } from '../../languages/facts';
import type { TsFacts } from '../../languages/typescript/adapter';
import { isGrowingOffset, keysetKeys, offsetMessage } from './keyset';
import { repositoryEntity } from '../../languages/typescript/repositories';
import { valueFact } from '../../languages/typescript/values';
import { detectSqlStatements, layoutItems, type BoundParams, type HostCursor, type NamedParams } from './sql';
import { cursorFor } from './typescript-cursor';
import { keysetFix } from './typescript-fixes';

/** ORMs whose models say their columns' TypeScript types (ModelFact.fieldTypes). */
const TYPED_ORMS: ReadonlySet<OrmId> = new Set<OrmId>(['typeorm', 'mikro-orm', 'drizzle', 'kysely', 'knex', 'sequelize']);

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    const p = q.pagination;
    if (!p || !isGrowingOffset(p)) continue;
    // Mongoose documents are keyed by _id; every other ORM here by id.
    const keys = keysetKeys(p.orderBy, q.orm === 'mongoose' ? '_id' : 'id');
    // Prisma users add indexes in schema.prisma, on the model (the delegate `post` is model `Post`).
    // TypeORM and MikroORM repositories (`this.posts.find`) are of an entity their declaration names.
    const receiver = ts.isPropertyAccessExpression(q.call.expression) ? q.call.expression.expression : undefined;
    // (`AppDataSource.getRepository(Post)` is no class name either, though it starts with a capital.)
    const entity = (q.orm === 'typeorm' || q.orm === 'mikro-orm') && q.model && !/^[A-Z]\w*$/.test(q.model) && receiver ? repositoryEntity(receiver) : undefined;
    const model = q.orm === 'prisma' && q.model ? q.model[0].toUpperCase() + q.model.slice(1) : entity ?? q.model;
    const cols = keys.map((k) => k.column);
    const index =
      q.orm === 'prisma'
        ? `\`@@index([${cols.join(', ')}])\` on model ${model} in schema.prisma`
        : q.orm === 'typeorm' || q.orm === 'mikro-orm'
          ? `\`@Index(${q.orm === 'mikro-orm' ? `{ properties: [${cols.map((c) => `'${c}'`).join(', ')}] }` : `[${cols.map((c) => `'${c}'`).join(', ')}]`})\` on the ${model && /^[A-Z]\w*$/.test(model) ? `${model} ` : ''}entity`
          : q.orm === 'mongoose'
            ? `\`schema.index({ ${keys.map((k) => `${k.column}: ${k.direction === 'desc' ? -1 : 1}`).join(', ')} })\``
            : q.orm === 'drizzle' && model && /^\w+$/.test(model)
              ? // Keys are the table's properties (`posts.createdAt`), not its columns: the index is declared in Drizzle's terms.
                `\`index('${model}_${cols.map((c) => c.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('_')}_idx').on(${keys.map((k) => `table.${k.column}${k.direction === 'desc' ? '.desc()' : ''}`).join(', ')})\` in the extra config of the ${model} table`
              : q.orm === 'sequelize'
              ? // Sequelize names a model's table after it (pluralised): the model's own options say the index.
                `\`indexes: [{ fields: [${cols.map((c) => `'${c}'`).join(', ')}] }]\` in the options of ${model && /^[A-Z]\w*$/.test(model) ? `model ${model}` : 'the model'}`
              : undefined;
    const existing = q.orm === 'prisma' && model ? ctx.models?.indexOn(model, cols, 'prisma') : undefined;
    const message = offsetMessage({ query: q.callee, offset: p.offset.text, table: model, keys, index, existing });
    const idType = q.orm === 'prisma' && model ? ctx.models?.fieldType(model, keys[keys.length - 1].column, 'prisma') : undefined;
    // The column types its schema gives (TypeORM and MikroORM entities, Drizzle tables, Kysely's
    // database interface or migrations, Knex migrations, Sequelize models): their typed filters take no request text.
    const keyTypes = TYPED_ORMS.has(q.orm) && model ? keys.map((k) => ctx.models?.fieldType(model, k.column, q.orm)) : undefined;
    const fix = facts.sourceFile ? keysetFix(q, keys, facts.sourceFile, idType, keyTypes) : undefined;
    out.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, message, fixes: fix ? [fix] : [] });
  }
  out.push(...detectSqlStatements(facts.sql, ctx, facts.sourceFile ? templateCursor(facts.sourceFile) : undefined));
  return out;
};

/**
 * The keyset cursor of SQL in code, the way the ORM fixes get theirs: read from the request the
 * offset came from (`${offset}` with `const offset = Number(req.query.offset)` gives
 * `${req.query.afterCreatedAt}`), or else new optional parameters of the enclosing function. In a
 * tagged template the values are interpolated; a call that binds them (`pool.query(sql, [a, b])`,
 * an array written out, as long as the statement's placeholders) gets its array rewritten.
 */
function templateCursor(sf: ts.SourceFile): HostCursor {
  const isTs = !/\.[mc]?jsx?$/i.test(sf.fileName);
  return (statement, keys, bound) => {
    if (bound) return boundCursor(sf, statement, keys, bound, isTs);
    const offset = statement.pagination?.offset;
    // The offset's span may start at the interpolation's `${`.
    const span = offset ? templateSpanAt(sf, sf.text.startsWith('${', offset.start) ? offset.start + 2 : offset.start) : undefined;
    if (!span) return undefined;
    return cursorFor(span.expression, keys, valueFact(span.expression).requestObject, { isTs });
  };
}

function boundCursor(sf: ts.SourceFile, statement: SqlStatementFact, keys: readonly OrderKey[], bound: BoundParams, isTs: boolean): { values: string[]; edits: Edit[] } | undefined {
  const literal = innermostAt(sf, statement.start, (n) => ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));
  const call = literal?.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== literal) return undefined;
  if (bound.kind === 'named') return namedCursor(call, keys, bound, isTs);
  const list = call.arguments[1];
  if (!list || !ts.isArrayLiteralExpression(list) || list.elements.length !== bound.oldCount || list.elements.some(ts.isSpreadElement)) return undefined;
  const elements = list.elements;
  const from = bound.dropped.map((k) => valueFact(elements[k]).requestObject).find((r) => r !== undefined);
  const cursor = cursorFor(call, keys, from, { isTs });
  if (!cursor) return undefined;
  const items = bound.plan.map((e) => ('old' in e ? elements[e.old].getText() : cursor.values[e.cursor]));
  return { values: cursor.values, edits: [...cursor.edits, innerEdit(list, items)] };
}

/**
 * Named values in an object written out: knex's `raw(sql, { offset })`, Sequelize's `query(sql,
 * { replacements: { offset } })`, better-sqlite3's `prepare(sql).all({ offset })`. The offset's
 * entries go, one per cursor value comes (`after_id: afterId`).
 */
function namedCursor(call: ts.CallExpression, keys: readonly OrderKey[], bound: NamedParams, isTs: boolean): { values: string[]; edits: Edit[] } | undefined {
  let values: ts.Expression | undefined = call.arguments[1];
  const run = call.parent;
  if (!values && ts.isPropertyAccessExpression(run) && run.expression === call && /^(all|get|run|iterate)$/.test(run.name.text) && ts.isCallExpression(run.parent) && run.parent.expression === run) values = run.parent.arguments[0];
  if (values && ts.isObjectLiteralExpression(values)) {
    const replacements = values.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'replacements');
    if (replacements) values = replacements.initializer;
  }
  if (!values || !ts.isObjectLiteralExpression(values)) return undefined;
  const entries: Array<{ name: string; text: string; value: ts.Expression }> = [];
  for (const p of values.properties) {
    if (ts.isShorthandPropertyAssignment(p)) entries.push({ name: p.name.text, text: p.getText(), value: p.name });
    else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) entries.push({ name: p.name.text, text: p.getText(), value: p.initializer });
    // A spread, a computed name, a method: the values bound are not all known.
    else return undefined;
  }
  const names = entries.map((e) => e.name);
  if (bound.used.some((n) => !names.includes(n)) || bound.added.some((n) => names.includes(n))) return undefined;
  const dropped = entries.filter((e) => bound.dropped.includes(e.name));
  const from = dropped.map((e) => valueFact(e.value).requestObject).find((r) => r !== undefined);
  const cursor = cursorFor(call, keys, from, { isTs });
  if (!cursor) return undefined;
  const kept = entries.filter((e) => !dropped.includes(e)).map((e) => e.text);
  const items = [...kept, ...bound.added.map((n, i) => (n === cursor.values[i] ? n : `${n}: ${cursor.values[i]}`))];
  return { values: cursor.values, edits: [...cursor.edits, innerEdit(values, items)] };
}

/** Replaces what is between a literal's brackets with `items`, laid out as before. */
function innerEdit(list: ts.Expression, items: readonly string[]): Edit {
  const start = list.getStart() + 1;
  const end = list.getEnd() - 1;
  return { start, end, newText: layoutItems(list.getSourceFile().text.slice(start, end), items) };
}

/** The innermost `${…}` of a template literal that holds `pos`. */
function templateSpanAt(sf: ts.SourceFile, pos: number): ts.TemplateSpan | undefined {
  return innermostAt(sf, pos, (n): n is ts.TemplateSpan => ts.isTemplateSpan(n) && pos >= n.expression.pos && pos <= n.expression.end);
}

/** The innermost node holding `pos` that passes `test` (a loop, not recursion: nesting may be deep). */
function innermostAt<T extends ts.Node>(sf: ts.SourceFile, pos: number, test: (n: ts.Node) => n is T): T | undefined;
function innermostAt(sf: ts.SourceFile, pos: number, test: (n: ts.Node) => boolean): ts.Node | undefined;
function innermostAt(sf: ts.SourceFile, pos: number, test: (n: ts.Node) => boolean): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let n: ts.Node | undefined = sf; n; ) {
    if (test(n)) found = n;
    n = ts.forEachChild(n, (c) => (pos >= c.pos && pos < c.end ? c : undefined));
  }
  return found;
}

/** Language-neutral part of n-plus-one: which queries in loops count, and what the message says. */
import type { DetectContext } from '../../engine/rule';
import type { ImportedCallFact, QueryFact } from '../../languages/facts';
import { batchWriteAdvice } from './batch-writes';

/**
 * A query per item: inside a loop over items, with arguments that depend on the item. Not one:
 * a query that does not use the item (a retry loop, a poll), a loop over chunks of ids or a query
 * over a chunk of them (one query per batch), a builder composed into one query (a part of a
 * UNION, a subquery), a paging loop whose query takes the
 * loop counter as its offset (a batch per iteration), and Prisma `findUnique` calls issued in the
 * same tick (`Promise.all(xs.map(…))`), which Prisma's dataloader batches into one query.
 */
/** Loops over chunks or batches of ids run one query per batch: batched access already. */
const BATCHED = /chunk|batch/i;
/** A loop over an object's fields (a schema, a config) is bounded by code, not by data. */
const OBJECT_FIELDS = /^Object\.(keys|entries|values)\(/;

/**
 * A collection written out in the code (`[1, 2, 3]`, `("draft", "published")`, `[a, b]`): as many
 * items as written, whatever the data. Not a comprehension, a spread, or a parenthesised value.
 */
export function writtenOut(iterable: string): boolean {
  const t = iterable.trim();
  const open = t[0];
  if ((open !== '[' && open !== '(') || t[t.length - 1] !== (open === '[' ? ']' : ')')) return false;
  let depth = 0;
  let commas = 0;
  let quote: string | undefined;
  for (let i = 1; i < t.length - 1; i++) {
    const c = t[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (--depth < 0) return false;
    } else if (depth === 0) {
      if (c === ',') commas++;
      // A spread (`...ids`, `*ids`) or a comprehension (`[p.id for p in posts]`) holds the data's items.
      else if ((c === '.' && t.startsWith('...', i)) || (c === '*' && /[[(,]\s*$/.test(t.slice(0, i))) || (/\s/.test(c) && t.startsWith('for ', i + 1))) return false;
    }
  }
  // `(ids)` is a value in parentheses; `[ids]` a list of one.
  return open === '[' || commas > 0;
}

export function isPerItemQuery(q: QueryFact): boolean {
  if (!q.loop || !q.usesLoopItem || q.loop.batched || q.loop.overModels || q.loop.stream || q.chunked || q.fragment || q.tableOfItem) return false;
  if (BATCHED.test(q.loop.iterable ?? '') || q.loop.variables.some((v) => BATCHED.test(v))) return false;
  if (OBJECT_FIELDS.test(q.loop.iterable ?? '') || writtenOut(q.loop.iterable ?? '')) return false;
  if (q.pagination) return false;
  if (q.orm === 'prisma' && /^findUnique/.test(q.operation) && q.loop.concurrent) return false;
  return true;
}

const BATCH_READ: Partial<Record<QueryFact['orm'], string>> = {
  prisma: '`findMany({ where: { id: { in: ids } } })`',
  typeorm: '`findBy({ id: In(ids) })`',
  sequelize: '`findAll({ where: { id: { [Op.in]: ids } } })` (or `include` on the query that loaded the items)',
  mongoose: '`find({ _id: { $in: ids } })` (or `.populate()` on the query that loaded the items)',
  'mikro-orm': '`find(Entity, { id: { $in: ids } })` (or `populate`)',
  knex: '`whereIn(column, ids)`',
  drizzle: '`inArray(column, ids)`',
  kysely: '`where(column, "in", ids)`',
  django: '`in_bulk(ids)` / `filter(pk__in=ids)` (or `select_related`/`prefetch_related` on the queryset that produced the items)',
  sqlalchemy: '`.where(Model.id.in_(ids))` (or `selectinload` on the query that produced the items)',
  sqlmodel: '`.where(Model.id.in_(ids))` (or `selectinload`)',
  peewee: '`.where(Model.id.in_(ids))` (or `prefetch`)',
  sql: 'one `SELECT … WHERE id = ANY(…)` given the keys as one array parameter (`WHERE id IN (…)` in MySQL)',
};

/** Counts per item: one grouped count over all the items' keys. */
const BATCH_COUNT: Partial<Record<QueryFact['orm'], string>> = {
  prisma: '`groupBy({ by: [key], where: { [key]: { in: ids } }, _count: true })`',
  typeorm: '`createQueryBuilder(…).select(key).addSelect(\'COUNT(*)\').where(`${key} IN (:...ids)`).groupBy(key).getRawMany()`',
  sequelize: '`count({ where: { [key]: ids }, group: [key] })`',
  mongoose: '`aggregate([{ $match: { [key]: { $in: ids } } }, { $group: { _id: `$${key}`, n: { $sum: 1 } } }])`',
  'mikro-orm': '`createQueryBuilder(Entity).select([key, \'count(*)\']).where({ [key]: { $in: ids } }).groupBy(key)`',
  knex: '`whereIn(key, ids).groupBy(key).count()`',
  drizzle: '`select({ key, n: count() }).from(table).where(inArray(key, ids)).groupBy(key)`',
  kysely: '`select([key, (eb) => eb.fn.countAll().as(\'n\')]).where(key, \'in\', ids).groupBy(key)`',
  django: '`annotate(n=Count(…))` on the queryset of the items (or `values(key).annotate(n=Count(\'pk\'))`)',
  sqlalchemy: '`select(key, func.count()).where(key.in_(ids)).group_by(key)`',
  sqlmodel: '`select(key, func.count()).where(key.in_(ids)).group_by(key)`',
  peewee: '`select(key, fn.COUNT(Model.id)).where(key.in_(ids)).group_by(key)`',
  sql: '`SELECT key, count(*) … WHERE key = ANY(…) GROUP BY key` (the keys as one array parameter)',
};

/** Aggregates per item (an average, a sum): one grouped aggregate over all the items' keys. */
const BATCH_AGGREGATE: Partial<Record<QueryFact['orm'], string>> = {
  prisma: '`groupBy({ by: [key], where: { [key]: { in: ids } }, _avg: { … } })`',
  typeorm: '`createQueryBuilder(…).select(key).addSelect(\'AVG(…)\').where(`${key} IN (:...ids)`).groupBy(key).getRawMany()`',
  sequelize: '`findAll({ attributes: [key, [fn(\'AVG\', col(…)), \'a\']], where: { [key]: ids }, group: [key], raw: true })`',
  mongoose: '`aggregate([{ $match: { [key]: { $in: ids } } }, { $group: { _id: `$${key}`, a: { $avg: … } } }])`',
  'mikro-orm': '`createQueryBuilder(Entity).select([key, raw(\'avg(…)\')]).where({ [key]: { $in: ids } }).groupBy(key)`',
  knex: '`whereIn(key, ids).groupBy(key).select(key).avg(…)`',
  drizzle: '`select({ key, a: avg(…) }).from(table).where(inArray(key, ids)).groupBy(key)`',
  kysely: '`select([key, (eb) => eb.fn.avg(…).as(\'a\')]).where(key, \'in\', ids).groupBy(key)`',
  django: '`filter(key__in=ids).values(key).annotate(a=Avg(…))` (or `annotate(a=Avg(…))` on the queryset of the items)',
  sqlalchemy: '`select(key, func.avg(…)).where(key.in_(ids)).group_by(key)`',
  sqlmodel: '`select(key, func.avg(…)).where(key.in_(ids)).group_by(key)`',
  peewee: '`select(key, fn.AVG(…)).where(key.in_(ids)).group_by(key)`',
};

const COUNT = /^(count|countBy|countDocuments)$/;

/**
 * The grouped query itself, when the language layer could write it from the per-item one
 * (`Review.objects.filter(product__brand__in=brands).values("product__brand").annotate(a=Avg("stars"))`),
 * and the expression each item's row is found by.
 */
export interface GroupedQuery {
  query: string;
  itemKey: string;
}

/**
 * `relation`: the lookup reads this relation of the items' model (`author` of Post), which their
 * query can include. `grouped`: a count or aggregate per item, as one grouped query.
 */
export function perItemMessage(q: QueryFact, relation?: { field: string; model: string; item: string; include: string }, grouped?: GroupedQuery): string {
  const loop = q.loop!;
  if (loop.kind === 'resolver') {
    const what = q.via ? q.via.map((n) => `\`${n}\``).join(' → ') : `\`${q.callee}\``;
    return `${what} runs once per \`${loop.iterable}\` the query returns (a GraphQL field resolver: N+1). Batch the lookups with a DataLoader keyed by the parent's id, so that one query serves the whole list.`;
  }
  const items = loop.iterable ? `\`${loop.iterable}\`` : 'the loop';
  if (q.via) {
    const chain = q.via.map((n) => `\`${n}\``).join(' → ');
    if (q.write) return `${chain} writes once per item of ${items} (N+1). Make the helper take all the items and write them together. ${batchWriteAdvice(q.orm, q.operation)}.`;
    if (COUNT.test(q.operation) || q.operation === 'aggregate') {
      const how = (COUNT.test(q.operation) ? BATCH_COUNT : BATCH_AGGREGATE)[q.orm] ?? 'one query grouped by the items\' key';
      return `${chain} runs a query once per item of ${items} (N+1). Make the helper take all the items' keys and ${COUNT.test(q.operation) ? 'count' : 'aggregate'} them in one grouped query, e.g. ${how}, then look each item's result up in a map.`;
    }
    return `${chain} runs a query once per item of ${items} (N+1). Make the helper take all the items' keys and load them with one query, e.g. ${BATCH_READ[q.orm] ?? 'one query over all the keys'}.`;
  }
  if (q.operation === 'commit') {
    return `\`${q.callee}\` commits once per item of ${items} (N+1 writes): a transaction and a round trip per row. Add them all, then commit once after the loop (a failure then rolls back the whole batch).`;
  }
  if (q.write) {
    return `\`${q.callee}\` writes once per item of ${items} (N+1 writes): one round trip per row. ${batchWriteAdvice(q.orm, q.operation)}.`;
  }
  const count = loop.bound
    ? `, up to ${loop.bound.count} from \`${loop.bound.source}\`: ${loop.bound.count + 1} queries where 2 would do`
    : ': N queries where one would do';
  if (relation) {
    return `\`${q.callee}\` runs once per item of ${items} (N+1)${count}. It reads the \`${relation.field}\` relation of ${relation.model}: load it with the items (\`${relation.include}\` on the query that loads them) and read \`${relation.item}.${relation.field}\`.`;
  }
  if (COUNT.test(q.operation)) {
    if (grouped) return `\`${q.callee}\` counts once per item of ${items} (N+1)${count}. Count them all in one grouped query before the loop, \`${grouped.query}\`, and look each count up in a dict by \`${grouped.itemKey}\` (an item without rows is missing: 0).`;
    return `\`${q.callee}\` counts once per item of ${items} (N+1)${count}. Count them all in one grouped query with ${BATCH_COUNT[q.orm] ?? 'one query grouped by the items\' key'} and look each count up in a map.`;
  }
  // An aggregate (Django's `aggregate(a=Avg(…))`, Prisma's, Mongoose's pipeline) per item: grouped by the item's key, not loaded by it.
  if (q.operation === 'aggregate') {
    if (grouped) return `\`${q.callee}\` aggregates once per item of ${items} (N+1)${count}. Aggregate them all in one grouped query before the loop, \`${grouped.query}\`, and look each item's row up in a dict by \`${grouped.itemKey}\` (an item without rows is missing: its aggregates are None).`;
    return `\`${q.callee}\` aggregates once per item of ${items} (N+1)${count}. Aggregate them all in one grouped query with ${BATCH_AGGREGATE[q.orm] ?? 'one query grouped by the items\' key'} and look each item's row up in a map.`;
  }
  return `\`${q.callee}\` runs once per item of ${items} (N+1)${count}. Load them all before the loop with ${BATCH_READ[q.orm] ?? 'one query over all the items\' keys'} and look each up in a map.`;
}

/**
 * A call in a loop to a function imported from another file that issues a query: as a query fact
 * reached through that function, when the workspace knows it; or a call that runs SQL another file
 * exports (`pool.query(FIND_USER, [id])`): the call's own query.
 */
export function importedQuery(c: ImportedCallFact, ctx: DetectContext): QueryFact | undefined {
  const helper = ctx.functions?.lookup(ctx.file.path, c.module, c.imported);
  // A constant is run by the call it is passed to, never called itself.
  if (!helper || !!helper.constant !== !!c.argument) return undefined;
  if (c.argument) return { orm: 'sql', operation: helper.operation, callee: c.local, start: c.start, end: c.end, loop: c.loop, usesLoopItem: c.usesLoopItem, write: helper.write };
  return {
    orm: helper.orm, operation: helper.operation, callee: c.local, start: c.start, end: c.end,
    loop: c.loop, usesLoopItem: c.usesLoopItem, write: helper.write, via: helper.chain,
  };
}

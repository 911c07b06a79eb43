/**
 * What to write instead of a write per item, per ORM and per kind of write: rows inserted one by one
 * become one multi-row insert, updates one UPDATE over all the ids (or, when each row gets its own
 * values, one batch), deletes one DELETE over all the ids. Advice for another kind of write than
 * the loop's (a multi-row insert for a loop of deletes) would send the reader the wrong way.
 */
import type { QueryFact } from '../../languages/facts';

type WriteKind = 'insert' | 'update' | 'delete' | 'save';

/** The operation's kind: `save`, `upsert` and their likes insert or update. */
function writeKind(operation: string): WriteKind | undefined {
  if (/^(create|createMany|createManyAndReturn|create_user|create_superuser|insert|insertOne|insertMany|insertInto|nativeInsert|bulkCreate|bulk_create|insert_many|insert_from|log_action)$/.test(operation)) return 'insert';
  if (/^(update|updateMany|updateOne|updateTable|nativeUpdate|increment|decrement|bulk_update)$/.test(operation)) return 'update';
  if (/^(delete|deleteMany|deleteOne|deleteFrom|nativeDelete|delete_by_id|del|destroy|remove)$/.test(operation)) return 'delete';
  if (/^(save|upsert|persistAndFlush|get_or_create|update_or_create|replace|replace_many)$/.test(operation)) return 'save';
  return undefined;
}

const SAME_CHANGE = 'when every row gets the same change';

/** Phrases that follow "Insert them all with", "Update them all with", … */
const BATCH_WRITES: Partial<Record<QueryFact['orm'], Partial<Record<WriteKind, string>>>> = {
  prisma: {
    insert: 'one `createMany({ data: [...] })`',
    update: `one \`updateMany({ where: { id: { in: ids } }, data })\` ${SAME_CHANGE}, else send the updates together in one \`$transaction([...])\``,
    delete: 'one `deleteMany({ where: { id: { in: ids } } })`',
    save: 'one `$transaction([...])` of the upserts',
  },
  typeorm: {
    insert: 'one `insert([...])` (or `save([...])`) of an array',
    update: `one \`update({ id: In(ids) }, changes)\` ${SAME_CHANGE}, else one \`save([...])\` of the changed entities`,
    delete: 'one `delete({ id: In(ids) })` (or `remove([...])` of the entities)',
    save: 'one `save([...])` of an array',
  },
  sequelize: {
    insert: 'one `bulkCreate([...])`',
    update: `one \`update(changes, { where: { id: ids } })\` ${SAME_CHANGE}, else one \`bulkCreate(rows, { updateOnDuplicate: [...] })\``,
    delete: 'one `destroy({ where: { id: ids } })`',
    save: 'one `bulkCreate(rows, { updateOnDuplicate: [...] })`',
  },
  mongoose: {
    insert: 'one `insertMany([...])` of every item\'s documents',
    update: `one \`updateMany({ _id: { $in: ids } }, update)\` ${SAME_CHANGE}, else one \`bulkWrite([{ updateOne: … }, …])\``,
    delete: 'one `deleteMany({ _id: { $in: ids } })`',
    save: 'one `bulkSave(docs)` (or `bulkWrite([...])`)',
  },
  'mikro-orm': {
    insert: '`persist()` for each and one `flush()` after the loop (or one `insertMany([...])`)',
    update: `one \`nativeUpdate({ id: { $in: ids } }, data)\` ${SAME_CHANGE}, else change the entities and \`flush()\` once after the loop`,
    delete: 'one `nativeDelete({ id: { $in: ids } })` (or `remove()` for each and one `flush()` after the loop)',
    save: '`persist()` for each and one `flush()` after the loop',
  },
  knex: {
    insert: 'one `insert([...])` of an array',
    update: `one \`whereIn('id', ids).update(changes)\` ${SAME_CHANGE}, else one \`UPDATE … SET col = CASE id WHEN … END WHERE id IN (…)\``,
    delete: 'one `whereIn(\'id\', ids).del()`',
    save: 'one `insert([...]).onConflict(…).merge()`',
  },
  drizzle: {
    insert: 'one `insert(table).values([...])`',
    update: `one \`update(table).set(changes).where(inArray(table.id, ids))\` ${SAME_CHANGE}, else one \`UPDATE … SET col = CASE id WHEN … END\``,
    delete: 'one `delete(table).where(inArray(table.id, ids))`',
    save: 'one `insert(table).values([...]).onConflictDoUpdate(…)`',
  },
  kysely: {
    insert: 'one `insertInto(table).values([...])`',
    update: `one \`updateTable(table).set(changes).where('id', 'in', ids)\` ${SAME_CHANGE}, else one \`UPDATE … SET col = CASE id WHEN … END\``,
    delete: 'one `deleteFrom(table).where(\'id\', \'in\', ids)`',
    save: 'one `insertInto(table).values([...]).onConflict(…)`',
  },
  django: {
    insert: 'one `bulk_create([...])`',
    update: `one \`filter(pk__in=ids).update(…)\` ${SAME_CHANGE}, else one \`bulk_update(objs, fields)\``,
    delete: 'one `filter(pk__in=ids).delete()`',
    save: '`bulk_create([...])` / `bulk_update(objs, fields)`',
  },
  sqlalchemy: {
    insert: '`session.add_all(...)` or one `insert()` with a list of rows',
    update: `one \`update(Model).where(Model.id.in_(ids)).values(…)\` ${SAME_CHANGE}, else one \`session.execute(update(Model), [{"id": …, …}, …])\` (a bulk UPDATE by primary key)`,
    delete: 'one `delete(Model).where(Model.id.in_(ids))`',
    save: '`session.add_all(...)`',
  },
  sqlmodel: {
    insert: '`session.add_all(...)`',
    update: `one \`update(Model).where(Model.id.in_(ids)).values(…)\` ${SAME_CHANGE}`,
    delete: 'one `delete(Model).where(Model.id.in_(ids))`',
    save: '`session.add_all(...)`',
  },
  peewee: {
    insert: 'one `insert_many([...])`',
    update: `one \`Model.update(…).where(Model.id.in_(ids))\` ${SAME_CHANGE}, else one \`bulk_update(objs, fields)\``,
    delete: 'one `Model.delete().where(Model.id.in_(ids))`',
    save: '`bulk_create` / `bulk_update`',
  },
  sql: {
    insert: 'one multi-row `INSERT … VALUES (…), (…)` (in PostgreSQL, `INSERT … SELECT * FROM unnest(…)` takes each column as one array parameter)',
    update: `one \`UPDATE … WHERE id = ANY(…)\` ${SAME_CHANGE}, else one \`UPDATE … FROM (VALUES …) AS v(id, …) WHERE t.id = v.id\``,
    delete: 'one `DELETE … WHERE id = ANY(…)` (`IN (…)` in MySQL)',
  },
};

const VERB: Record<WriteKind, string> = { insert: 'Insert', update: 'Update', delete: 'Delete', save: 'Write' };

/** "Delete them all with one `deleteMany(…)`", for a write per item; a generic batch when the kind or ORM is not known. */
export function batchWriteAdvice(orm: QueryFact['orm'], operation: string): string {
  const kind = writeKind(operation);
  const how = kind && BATCH_WRITES[orm]?.[kind];
  return kind && how ? `${VERB[kind]} them all with ${how}` : 'Write them in one batch (a multi-row insert, or one update or delete over all the ids)';
}

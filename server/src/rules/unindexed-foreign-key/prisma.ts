/**
 * unindexed-foreign-key in schema.prisma: a relation's scalar fields (`authorId` of `author User
 * @relation(fields: [authorId], …)`) that no `@@index`, `@@unique`, `@@id`, `@id` or `@unique` of
 * the model starts with. Prisma Migrate creates the foreign key, not an index for it, on
 * PostgreSQL, SQLite, SQL Server and CockroachDB; on MySQL InnoDB makes one, unless the schema
 * emulates relations (`relationMode = "prisma"`), where there is no foreign key and no index.
 */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { PrismaFacts } from '../../languages/prisma/adapter';
import { prismaIndexEdit } from '../../languages/prisma/index-edit';

const DATABASES: Record<string, string> = { postgresql: 'PostgreSQL', postgres: 'PostgreSQL', sqlite: 'SQLite', sqlserver: 'SQL Server', cockroachdb: 'CockroachDB', mysql: 'MySQL' };

export const detectPrisma: Detector<PrismaFacts> = (facts, ctx) => {
  const { provider, relationMode } = facts.keys;
  if (provider === 'mongodb' || (provider === 'mysql' && relationMode !== 'prisma')) return [];
  const emulated = relationMode === 'prisma';
  const db = (provider && DATABASES[provider]) ?? 'the database';
  const out: Detection[] = [];
  for (const r of facts.keys.relations) {
    if (r.indexed) continue;
    const fields = r.fields.join(', ');
    const key = r.fields.length > 1 ? `(${fields})` : fields;
    const where = r.fields.length > 1 ? `{ ${r.fields.join(', ')} }` : `{ ${fields} }`;
    const why = emulated
      ? 'With `relationMode = "prisma"` there is no foreign key and no index: Prisma checks the relation with queries by these fields.'
      : `Prisma creates the foreign key, not an index for it, and ${db} does not index foreign keys on its own.`;
    const message =
      `\`${r.model}.${key}\` (the \`${r.relation}\` relation to ${r.target}) has no index. ${why} ` +
      `Deleting a ${r.target} (or changing its id) scans all of ${r.model} for the rows that reference it, and every query by ${key} ` +
      `(\`where: ${where}\`, and loading a ${r.target}'s ${r.model} rows) reads the whole table. Add \`@@index([${fields}])\` to model ${r.model}.`;
    const edit = prismaIndexEdit(ctx.file.text, r.model, r.fields);
    out.push({ start: r.start, end: r.end, message, fixes: edit ? [{ title: `Add @@index([${fields}]) to model ${r.model}`, applicability: 'unsafe', edits: [edit] }] : [] });
  }
  return out;
};

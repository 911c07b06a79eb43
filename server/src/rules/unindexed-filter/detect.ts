/**
 * unindexed-filter: a Prisma or Django read whose filter names fields of a model the workspace
 * declares, none of which an index (primary key, unique constraint or index) starts with. The
 * database then reads the whole table for each call. Judged only when every condition of the
 * filter is a plain field of the model (no OR, no relation path): an index could serve the others.
 * Foreign keys are unindexed-foreign-key's; booleans, enums and `choices` are left out (an index
 * on one rarely narrows the read).
 */
import * as path from 'node:path';
import type { Detection } from '../../engine/finding';
import type { DetectContext } from '../../engine/rule';
import type { FileFacts, ModelFact, QueryFact } from '../../languages/facts';
import { isSmallTable } from '../unbounded-result-set/detect';

/** Prisma operations whose `where` names a unique field by contract: indexed. */
const PRISMA_UNIQUE = /^(findUnique|findUniqueOrThrow|update|upsert|delete|create|createMany|createManyAndReturn)$/;
const DJANGO_RELATION = /^(ForeignKey|OneToOneField|ParentalKey|TreeForeignKey)$/;

type Field = NonNullable<QueryFact['filter']>['fields'][number];

/** The model's name of a field the filter names: Django's `author_id` is `author`'s column. */
function modelField(name: string, model: ModelFact, orm: 'prisma' | 'django'): string | undefined {
  const types = model.fieldTypes ?? {};
  if (orm === 'django') {
    const relation = /^(\w+)_id$/.exec(name)?.[1];
    if (relation && DJANGO_RELATION.test(types[relation] ?? '')) return relation;
  }
  return name in types ? name : undefined;
}

export function detectUnindexedFilters(facts: FileFacts, ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  if (!ctx.models) return out;
  for (const q of facts.queries) {
    const filter = q.filter;
    if (!filter?.complete || !q.model || (q.orm !== 'prisma' && q.orm !== 'django')) continue;
    if (q.orm === 'prisma' && PRISMA_UNIQUE.test(q.operation)) continue;
    // What is known without the models (which a file's analysis then depends on): Django's `pk` is indexed.
    const compared = filter.fields.filter((f) => f.op !== 'other');
    if (compared.length === 0 || (q.orm === 'django' && compared.some((f) => f.name === 'pk'))) continue;
    const decl = ctx.models.declared(q.model, q.orm);
    if (!decl?.model.fieldTypes) continue;
    const { model } = decl;
    const fields: Array<Field & { field: string }> = [];
    for (const f of filter.fields) {
      const name = modelField(f.name, model, q.orm);
      if (!name) break;
      fields.push({ ...f, field: name });
    }
    if (fields.length !== filter.fields.length) continue;
    const usable = fields.filter((f) => f.op !== 'other');
    if (usable.some((f) => model.indexes?.some((ix) => ix.columns[0] === f.field))) continue;
    // A foreign key with no index is reported where it is declared (unindexed-foreign-key).
    if (usable.some((f) => model.relations.some((r) => r.foreignKey?.includes(f.field)))) continue;
    const low = new Set(model.lowCardinality ?? []);
    const candidates = usable.filter((f) => !low.has(f.field));
    if (candidates.length === 0 || isSmallTable(model.name, ctx.settings?.smallTables ?? [])) continue;
    // Equality first, then one range: the columns a B-tree index serves in that order.
    const equal = candidates.filter((f) => f.op !== 'range');
    const range = candidates.find((f) => f.op === 'range');
    const indexFields = [...new Set([...equal, ...(range ? [range] : [])].map((f) => f.field))];
    const file = path.basename(decl.file);
    const named = candidates.map((f) => `\`${f.field}\``).join(', ');
    const what = candidates.length > 1 ? 'any of them' : 'it';
    const index =
      q.orm === 'prisma'
        ? { fields: indexFields, add: `Add \`@@index([${indexFields.join(', ')}])\` to model ${model.name} in ${file}, then create its migration (\`prisma migrate dev\`).` }
        : { fields: [indexFields[0]], add: `Add \`db_index=True\` to \`${model.name}.${indexFields[0]}\` in ${file}, then make its migration (\`python manage.py makemigrations\`)${indexFields.length > 1 ? `, or a \`models.Index(fields=[${indexFields.map((f) => `"${f}"`).join(', ')}])\` in its \`Meta.indexes\`` : ''}.` };
    const message =
      `\`${q.callee}\` filters ${model.name} by ${named}, and no index of ${model.name} starts with ${what}: the database reads every row of ${model.name} ` +
      `to find the matches, on every call, and the time grows with the table. ${index.add}`;
    const title = q.orm === 'prisma' ? `Add @@index([${index.fields.join(', ')}]) to model ${model.name} (${file})` : `Index ${model.name}.${index.fields[0]} (db_index=True in ${file})`;
    const first = candidates[0];
    out.push({
      start: first.start,
      end: first.end,
      message,
      fixes: [{ title, applicability: 'unsafe', edits: [], addToFile: { kind: 'index', path: decl.file, orm: q.orm, model: model.name, fields: index.fields } }],
    });
  }
  return out;
}

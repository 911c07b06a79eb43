/**
 * unindexed-filter: a Prisma, TypeORM, MikroORM, Sequelize, Drizzle, Mongoose, Django, SQLAlchemy,
 * SQLModel or Peewee query whose filter names fields of a model the workspace declares, none of
 * which an index (primary key, unique constraint or index) starts with. The database then reads
 * the whole table for each call. Judged only when every condition of the filter is a plain field
 * of the model (no OR, no relation path): an index could serve the others. Foreign keys are
 * unindexed-foreign-key's; booleans, enums and `choices` are left out (an index on one rarely
 * narrows the read).
 */
import * as path from 'node:path';
import { addToFileEdits } from '../../engine/add-to-file';
import type { AddIndex, Detection, Fix } from '../../engine/finding';
import type { DetectContext } from '../../engine/rule';
import { isModelNamed } from '../../engine/workspace-models';
import type { FileFacts, ModelFact, QueryFact } from '../../languages/facts';
import { isSmallTable } from '../unbounded-result-set/detect';
import { indexAdvice, type IndexedOrm } from './message';

/** Prisma operations whose `where` names a unique field by contract: indexed. */
const PRISMA_UNIQUE = /^(findUnique|findUniqueOrThrow|update|upsert|delete|create|createMany|createManyAndReturn)$/;
const DJANGO_RELATION = /^(ForeignKey|OneToOneField|ParentalKey|TreeForeignKey)$/;

type Field = NonNullable<QueryFact['filter']>['fields'][number];

/** The model's name of a field the filter names: Django's `author_id` is `author`'s column. */
function modelField(name: string, model: ModelFact, orm: IndexedOrm): string | undefined {
  const types = model.fieldTypes ?? {};
  if (orm === 'django') {
    const relation = /^(\w+)_id$/.exec(name)?.[1];
    if (relation && DJANGO_RELATION.test(types[relation] ?? '')) return relation;
  }
  return name in types || model.lowCardinality?.includes(name) ? name : undefined;
}

const JUDGED = new Set<string>(['prisma', 'typeorm', 'mikro-orm', 'sequelize', 'drizzle', 'mongoose', 'django', 'sqlalchemy', 'peewee']);
/** The ORM whose model declarations hold the indexes: SQLModel's are SQLAlchemy's. */
function declaringOrm(orm: string): IndexedOrm | undefined {
  const declaring = orm === 'sqlmodel' ? 'sqlalchemy' : orm;
  return JUDGED.has(declaring) ? (declaring as IndexedOrm) : undefined;
}

/** Python ORMs, whose fix adds a keyword to the field's call. */
const PYTHON = new Set<IndexedOrm>(['django', 'sqlalchemy', 'peewee']);
/** A field declared by a call the fix can add a keyword to (not `name: Mapped[str]` alone). */
const CALL_DECLARED = /Field$|^(Column|mapped_column|ForeignKey|OneToOneField|ParentalKey|TreeForeignKey)$/;

/**
 * The model a query names and the file that declares it: this file's own declaration first (a
 * one-file app; and the text being typed, newer than what the workspace holds of it), else the one
 * declaration of the workspace.
 */
function declaration(name: string, orm: IndexedOrm, facts: FileFacts, ctx: DetectContext): { file: string; model: ModelFact } | undefined {
  const own = (facts.models ?? []).filter((m) => isModelNamed(m, name, orm));
  if (own.length) return own.length === 1 ? { file: ctx.file.path, model: own[0] } : undefined;
  return ctx.models?.declared(name, orm);
}

export function detectUnindexedFilters(facts: FileFacts, ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    const filter = q.filter;
    const orm = declaringOrm(q.orm);
    const modelName = filter?.model ?? q.model;
    if (!filter?.complete || !modelName || !orm) continue;
    if (orm === 'prisma' && PRISMA_UNIQUE.test(q.operation)) continue;
    // What is known without the models (which a file's analysis then depends on): Django's `pk` is indexed.
    const compared = filter.fields.filter((f) => f.op !== 'other');
    if (compared.length === 0 || (orm === 'django' && compared.some((f) => f.name === 'pk'))) continue;
    const decl = declaration(modelName, orm, facts, ctx);
    // A model whose indexes are not read (a sequelize-typescript class, a NestJS Mongoose schema class) is not judged.
    if (!decl?.model.indexes || (!decl.model.fieldTypes && !decl.model.lowCardinality?.length)) continue;
    const { model } = decl;
    const fields: Array<Field & { field: string }> = [];
    for (const f of filter.fields) {
      const name = modelField(f.name, model, orm);
      if (!name) break;
      fields.push({ ...f, field: name });
    }
    if (fields.length !== filter.fields.length) continue;
    const usable = fields.filter((f) => f.op !== 'other');
    if (usable.some((f) => model.indexes?.some((ix) => ix.columns[0] === f.field))) continue;
    // An index a migration or a `.sql` file makes by hand (Alembic's `op.create_index`, `CREATE INDEX`).
    const table = model.table ?? (orm === 'prisma' ? model.name : undefined);
    if (table && ctx.models && usable.some((f) => ctx.models!.sqlLookupIndexed(table, [model.columns?.[f.field] ?? f.field], ctx.file.path, facts.models ?? []))) continue;
    // A foreign key with no index is reported where it is declared (unindexed-foreign-key).
    if (usable.some((f) => model.foreignKeys?.includes(f.field))) continue;
    const low = new Set(model.lowCardinality ?? []);
    const candidates = usable.filter((f) => !low.has(f.field));
    if (candidates.length === 0 || isSmallTable(model.name, ctx.settings?.smallTables ?? [])) continue;
    // Equality first, then one range: the columns a B-tree index serves in that order.
    const equal = candidates.filter((f) => f.op !== 'range');
    const range = candidates.find((f) => f.op === 'range');
    const indexFields = [...new Set([...equal, ...(range ? [range] : [])].map((f) => f.field))];
    const index = indexAdvice(orm, model, indexFields, path.basename(decl.file));
    const named = candidates.map((f) => `\`${f.field}\``).join(', ');
    const scan = orm === 'mongoose' ? `MongoDB reads every document of the ${model.name} collection (a COLLSCAN)` : `the database reads every row of ${model.name}`;
    const message =
      `\`${q.callee}\` filters ${model.name} by ${named}, and no index of ${model.name} starts with ${candidates.length > 1 ? 'any of them' : 'it'}: ${scan} ` +
      `to find the matches, on every call, and the time grows with the ${orm === 'mongoose' ? 'collection' : 'table'}. ${index.add}`;
    const fixable = !PYTHON.has(orm) || CALL_DECLARED.test(model.fieldTypes?.[index.fields[0]] ?? '');
    const first = candidates[0];
    const add: AddIndex = { kind: 'index', path: decl.file, orm, model: model.name, fields: index.fields };
    // A model of this file (a one-file app) is indexed by edits of the file itself.
    const edits = decl.file === ctx.file.path ? addToFileEdits(add, ctx.file.text) : [];
    const fix: Fix | undefined = !fixable ? undefined : decl.file !== ctx.file.path ? { title: index.title, applicability: 'unsafe', edits: [], addToFile: add } : edits.length ? { title: index.title, applicability: 'unsafe', edits } : undefined;
    out.push({ start: first.start, end: first.end, message, fixes: fix ? [fix] : [] });
  }
  return out;
}

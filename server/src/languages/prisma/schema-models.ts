/**
 * schema.prisma → models and relations: a field whose type is another model of the schema is a
 * relation (`author User @relation(…)`, `posts Post[]`). The Prisma Client delegate is the model's
 * name with a lower-case first letter (`prisma.post` for `model Post`). Read line by line: the
 * schema language is line-oriented and has no nesting inside a model block.
 */
import type { ModelFact, RelationFact } from '../facts';
import { blockAttributeFields } from './relation-keys';

const MODEL_START = /^\s*model\s+(\w+)\s*\{/;
const FIELD = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?/;
const ENUM_START = /^\s*enum\s+(\w+)\s*\{/;

export function prismaSchemaModels(text: string): ModelFact[] {
  const blocks: Array<{ name: string; start: number; end: number; indexes: string[][]; fields: Array<{ name: string; type: string; list: boolean; relation: boolean; foreignKey?: string[]; references?: string[] }> }> = [];
  let current: (typeof blocks)[number] | undefined;
  const enums = new Set<string>();
  let offset = 0;
  for (const line of text.split('\n')) {
    const code = line.replace(/\/\/.*$/, '');
    const start = MODEL_START.exec(code);
    const enumStart = ENUM_START.exec(code);
    if (enumStart) enums.add(enumStart[1]);
    if (start) current = { name: start[1], start: offset, end: offset, indexes: [], fields: [] };
    else if (current && /^\s*\}/.test(code)) {
      current.end = offset + line.length;
      blocks.push(current);
      current = undefined;
    } else if (current) {
      // `@@index([authorId, createdAt(sort: Desc)])`, `@@unique([…])`, `@@id([…])`: field lists in order.
      const block = blockAttributeFields(code);
      if (block) current.indexes.push(block);
      const f = FIELD.exec(code);
      if (f && !code.trimStart().startsWith('@@')) {
        const names = (key: string) => new RegExp(`\\b${key}\\s*:\\s*\\[([^\\]]*)\\]`).exec(code)?.[1].split(',').map((x) => x.trim()).filter(Boolean);
        current.fields.push({ name: f[1], type: f[2], list: !!f[3], relation: /@relation\b/.test(code), foreignKey: names('fields'), references: names('references') });
        // A field's own `@id` or `@unique` is an index on it alone.
        if (/@(id|unique)\b/.test(code)) current.indexes.push([f[1]]);
      }
    }
    offset += line.length + 1;
  }
  const models = new Set(blocks.map((b) => b.name));
  return blocks.map((b) => ({
    name: b.name,
    orm: 'prisma' as const,
    start: b.start,
    end: b.end,
    indexes: b.indexes.map((columns) => ({ columns })),
    // Booleans and enums: few values, which an index rarely narrows to a few rows.
    lowCardinality: b.fields.filter((f) => !f.list && (f.type === 'Boolean' || enums.has(f.type))).map((f) => f.name),
    foreignKeys: b.fields.flatMap((f) => f.foreignKey ?? []),
    // Prisma checks a value's type against the schema (a cursor of `'5'` for an `Int` id fails).
    fieldTypes: Object.fromEntries(b.fields.filter((f) => !f.list && !models.has(f.type)).map((f) => [f.name, f.type])),
    // A schema split over several files names models of the others: `@relation` says so.
    relations: b.fields
      .filter((f) => models.has(f.type) || f.relation)
      .map((f): RelationFact => ({ field: f.name, kind: f.list ? 'to-many' : 'to-one', target: f.type, ...(f.foreignKey ? { foreignKey: f.foreignKey, references: f.references } : {}) })),
  }));
}

export function isPrismaSchema(path: string): boolean {
  return /\.prisma$/i.test(path);
}

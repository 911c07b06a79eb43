/**
 * schema.prisma → the relation scalar fields of each model (`authorId` in `author User
 * @relation(fields: [authorId], references: [id])`) and the keys and indexes that could serve a
 * lookup by them (`@id`, `@unique`, `@@id`, `@@unique`, `@@index`). Line by line, like
 * schema-models.ts: a model block has no nesting.
 */
import type { Span } from '../../engine/finding';

export interface PrismaRelationKey extends Span {
  model: string;
  /** The relation field (`author`) and its scalar fields (`authorId`). */
  relation: string;
  fields: string[];
  target: string;
  /** Whether an index, `@id`/`@@id` or unique constraint of the model starts with the fields. */
  indexed: boolean;
}

export interface PrismaKeys {
  /** `provider` and `relationMode` of the datasource block, when this file has one. */
  provider?: string;
  relationMode?: string;
  relations: PrismaRelationKey[];
}

const MODEL_START = /^\s*model\s+(\w+)\s*\{/;
const DATASOURCE_START = /^\s*datasource\s+\w+\s*\{/;
const FIELD = /^\s*(\w+)\s+(\w+)(\[\])?\??/;

/**
 * The fields of `@@index([authorId, createdAt(sort: Desc)])`, `@@unique(fields: […])`,
 * `@@id(name: "pk", fields: […])`: the `fields:` list wherever it is, else the first list.
 */
export function blockAttributeFields(code: string): string[] | undefined {
  const m = /^\s*@@(index|unique|id)\s*\((.*)$/.exec(code);
  if (!m) return undefined;
  const list = /\bfields\s*:\s*\[([^\]]*)\]/.exec(m[2]) ?? /\[([^\]]*)\]/.exec(m[2]);
  return list ? list[1].split(',').map((x) => x.trim().replace(/\(.*$/, '')).filter(Boolean) : undefined;
}

export function prismaRelationKeys(text: string): PrismaKeys {
  const out: PrismaKeys = { relations: [] };
  let block: 'model' | 'datasource' | undefined;
  let model: { name: string; keys: string[][]; relations: Array<Omit<PrismaRelationKey, 'indexed'>> } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const code = line.replace(/\/\/.*$/, '');
    const start = MODEL_START.exec(code);
    if (start) {
      block = 'model';
      model = { name: start[1], keys: [], relations: [] };
    } else if (DATASOURCE_START.test(code)) block = 'datasource';
    else if (block && /^\s*\}/.test(code)) {
      if (model) {
        const keys = model.keys;
        for (const r of model.relations) {
          const want = new Set(r.fields);
          const indexed = keys.some((k) => k.length >= want.size && k.slice(0, want.size).every((f) => want.has(f)));
          out.relations.push({ ...r, indexed });
        }
      }
      block = undefined;
      model = undefined;
    } else if (block === 'datasource') {
      const setting = /^\s*(provider|relationMode)\s*=\s*"([^"]*)"/.exec(code);
      if (setting) out[setting[1] as 'provider' | 'relationMode'] = setting[2];
    } else if (model) {
      const blockKey = blockAttributeFields(code);
      if (blockKey) {
        model.keys.push(blockKey);
        continue;
      }
      const f = FIELD.exec(code);
      if (!f || code.trimStart().startsWith('@@')) continue;
      // A field's own `@id` or `@unique` is an index on it alone.
      if (/@(id|unique)\b/.test(code)) model.keys.push([f[1]]);
      const fields = /@relation\b[^\n]*?\bfields\s*:\s*\[([^\]]*)\]/.exec(code);
      if (fields) {
        const list = fields[1].split(',').map((x) => x.trim()).filter(Boolean);
        const at = code.indexOf(fields[0]) + fields[0].indexOf('fields');
        if (list.length) model.relations.push({ model: model.name, relation: f[1], fields: list, target: f[2], start: lineStart + at, end: lineStart + at + fields[0].length - fields[0].indexOf('fields') });
      }
    }
  }
  return out;
}

/** offset-pagination in JS/TS: ORM options (`skip`, `offset`) and builder `.offset()`/`.skip()`, plus SQL in strings. */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import { isGrowingOffset, keysetKeys, offsetMessage } from './keyset';
import { detectSqlStatements } from './sql';
import { keysetFix } from './typescript-fixes';

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    const p = q.pagination;
    if (!p || !isGrowingOffset(p)) continue;
    // Mongoose documents are keyed by _id; every other ORM here by id.
    const keys = keysetKeys(p.orderBy, q.orm === 'mongoose' ? '_id' : 'id');
    // Prisma users add indexes in schema.prisma, on the model (the delegate `post` is model `Post`).
    const model = q.orm === 'prisma' && q.model ? q.model[0].toUpperCase() + q.model.slice(1) : q.model;
    const cols = keys.map((k) => k.column);
    const index =
      q.orm === 'prisma'
        ? `\`@@index([${cols.join(', ')}])\` on model ${model} in schema.prisma`
        : q.orm === 'typeorm' || q.orm === 'mikro-orm'
          ? `\`@Index([${cols.map((c) => `'${c}'`).join(', ')}])\` on the ${model && !/^(this|repo)/.test(model) ? `${model} ` : ''}entity`
          : q.orm === 'mongoose'
            ? `\`schema.index({ ${keys.map((k) => `${k.column}: ${k.direction === 'desc' ? -1 : 1}`).join(', ')} })\``
            : undefined;
    const existing = q.orm === 'prisma' && model ? ctx.models?.indexOn(model, cols, 'prisma') : undefined;
    const message = offsetMessage({ query: q.callee, offset: p.offset.text, table: model, keys, index, existing });
    const fix = facts.sourceFile ? keysetFix(q, keys, facts.sourceFile) : undefined;
    out.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, message, fixes: fix ? [fix] : [] });
  }
  out.push(...detectSqlStatements(facts.sql, ctx));
  return out;
};

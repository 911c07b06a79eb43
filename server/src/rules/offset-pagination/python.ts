/** offset-pagination in Python: Django slices and paginators, SQLAlchemy/SQLModel/Peewee offsets, SQL in strings. */
import type { Detection, Fix } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { PyFacts } from '../../languages/python/adapter';
import { isGrowingOffset, keysetKeys, offsetMessage } from './keyset';
import { pythonKeysetFix } from './python-fixes';
import { detectSqlStatements } from './sql';

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    const p = q.pagination;
    if (!p || !isGrowingOffset(p)) continue;
    const keys = keysetKeys(p.orderBy, 'id');
    let fixes: Fix[] = [];
    let message: string;
    if (q.style === 'paginator') {
      const drf = q.operation === 'pagination_class';
      message = drf
        ? `\`${p.offset.text}\` pages with OFFSET: deep pages read and discard every earlier row. Use DRF's \`CursorPagination\` (keyset pagination) with an \`ordering\` on an indexed, unique column.`
        : `\`Paginator\` pages with OFFSET (\`page\` comes from \`${p.offset.text}\`): deep pages read and discard every earlier row. For long lists, page with a keyset filter on an indexed column (e.g. \`filter(id__lt=last_id)[:n]\`).`;
      fixes = [{ title: drf ? 'Use CursorPagination (keyset) with an ordering on an indexed unique column' : 'Page with a keyset filter instead of Paginator', applicability: 'display-only', edits: [] }];
    } else {
      // Django declares indexes on the model: Meta.indexes with the ordering's signs.
      const model = q.model ?? q.modelName;
      const index =
        q.orm === 'django'
          ? `\`models.Index(fields=[${keys.map((k) => `"${k.direction === 'desc' ? '-' : ''}${k.column}"`).join(', ')}])\` in ${model ?? 'the model'}.Meta.indexes`
          : (q.orm === 'sqlalchemy' || q.orm === 'sqlmodel') && model && /^\w+$/.test(model)
            ? `\`Index("ix_${model.toLowerCase()}_${keys.map((k) => k.column).join('_')}", ${keys.map((k) => `${model}.${k.column}${k.direction === 'desc' ? '.desc()' : ''}`).join(', ')})\``
            : undefined;
      message = offsetMessage({ query: q.callee.split('\n')[0], offset: p.offset.text, table: model, keys, index });
      const fix = pythonKeysetFix(q, keys, facts, ctx.file.text);
      if (fix) fixes = [fix];
    }
    out.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, message, fixes });
  }
  out.push(...detectSqlStatements(facts.sql, ctx));
  return out;
};

/** unbounded-result-set: the adapters find the reads (result-sets.ts of each language); this reports them and offers the cap. */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import { importedUnboundedReads } from '../request-path';
import { unboundedReadMessage } from './message';

export const detectUnboundedReads: Detector = (facts, ctx) => {
  const out: Detection[] = [];
  for (const r of [...(facts.unboundedReads ?? []), ...importedUnboundedReads(facts, ctx)]) {
    // A DRF list view pages with the project's default pagination class, if its settings set one.
    if (r.drfList && ctx.functions?.drfPagination(ctx.file.path) !== false) continue;
    const fixes = r.cap ? [{ title: r.cap.title ?? `Cap the rows returned (\`${r.cap.text}\`)`, applicability: 'unsafe' as const, edits: r.cap.edits }] : [];
    out.push({ start: r.start, end: r.end, message: unboundedReadMessage(r), fixes });
  }
  return out;
};

import type { Rule } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import { detectUnboundedReads } from './detect';
import { unboundedResultSetMeta } from './meta';
import { prismaCursorFix } from './typescript-fixes';

export const unboundedResultSet: Rule = {
  meta: unboundedResultSetMeta,
  detectors: {
    typescript: (facts: TsFacts, ctx) =>
      detectUnboundedReads(facts, ctx, (r) => {
        const fix = prismaCursorFix(r, facts, ctx);
        return fix ? [fix] : [];
      }),
    python: (facts, ctx) => detectUnboundedReads(facts, ctx),
  },
};

import type { Rule } from '../../engine/rule';
import { detectUnboundedReads } from './detect';
import { unboundedResultSetMeta } from './meta';

export const unboundedResultSet: Rule = {
  meta: unboundedResultSetMeta,
  detectors: {
    typescript: detectUnboundedReads,
    python: detectUnboundedReads,
  },
};

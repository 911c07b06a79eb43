import type { Rule } from '../../engine/rule';
import { detectUnindexedFilters } from './detect';
import { unindexedFilterMeta } from './meta';

export const unindexedFilter: Rule = {
  meta: unindexedFilterMeta,
  detectors: {
    typescript: detectUnindexedFilters,
    python: detectUnindexedFilters,
  },
};

import type { Rule } from '../../engine/rule';
import { unboundedCacheMeta } from './meta';
import { detectPython } from './python';
import { detectTypescript } from './typescript';

export const unboundedCache: Rule = {
  meta: unboundedCacheMeta,
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
  },
};

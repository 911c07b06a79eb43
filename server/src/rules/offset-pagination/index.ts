import type { Rule } from '../../engine/rule';
import { offsetPaginationMeta } from './meta';
import { detectPython } from './python';
import { detectSql } from './sql';
import { detectTypescript } from './typescript';

export const offsetPagination: Rule = {
  meta: offsetPaginationMeta,
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
    sql: detectSql,
  },
};

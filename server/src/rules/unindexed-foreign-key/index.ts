import type { Rule } from '../../engine/rule';
import { unindexedForeignKeyMeta } from './meta';
import { detectPrisma } from './prisma';
import { detectPython } from './python';
import { detectSql } from './sql';
import { detectTypescript } from './typescript';

export const unindexedForeignKey: Rule = {
  meta: unindexedForeignKeyMeta,
  detectors: {
    sql: detectSql,
    prisma: detectPrisma,
    python: detectPython,
    typescript: detectTypescript,
  },
};

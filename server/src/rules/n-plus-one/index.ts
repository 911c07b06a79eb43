import type { Rule } from '../../engine/rule';
import { nPlusOneMeta } from './meta';
import { detectPython } from './python';
import { detectTypescript } from './typescript';

export const nPlusOne: Rule = {
  meta: nPlusOneMeta,
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
  },
};

import type { Rule } from '../../engine/rule';
import { requestWithoutTimeoutMeta } from './meta';
import { detectPython } from './python';
import { detectTypescript } from './typescript';

export const requestWithoutTimeout: Rule = {
  meta: requestWithoutTimeoutMeta,
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
  },
};

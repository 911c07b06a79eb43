import type { Rule } from '../../engine/rule';
import { blockingCallInHandlerMeta } from './meta';
import { detectPython } from './python';
import { detectTypescript } from './typescript';

export const blockingCallInHandler: Rule = {
  meta: blockingCallInHandlerMeta,
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
  },
};

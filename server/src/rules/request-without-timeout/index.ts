import type { Rule } from '../../engine/rule';
import { detectPython } from './python';
import { detectTypescript } from './typescript';

export const requestWithoutTimeout: Rule = {
  meta: {
    id: 'request-without-timeout',
    description: 'An outbound HTTP call on a request path has no timeout: a stalled upstream holds the request until the client gives up.',
    defaultSeverity: 'warning',
    languages: ['typescript', 'python'],
    libraries: ['fetch', 'axios', 'got', 'requests', 'urllib'],
    fix: 'unsafe',
  },
  detectors: {
    typescript: detectTypescript,
    python: detectPython,
  },
};

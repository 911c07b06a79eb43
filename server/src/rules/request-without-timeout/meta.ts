import type { RuleMeta } from '../../engine/rule';

export const requestWithoutTimeoutMeta: RuleMeta = {
  id: 'request-without-timeout',
  description: 'An outbound HTTP call on a request path has no timeout: a stalled upstream holds the request until the client gives up.',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python'],
  libraries: ['fetch', 'axios', 'got', 'requests', 'urllib'],
  fix: 'unsafe',
};

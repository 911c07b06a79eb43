import type { RuleMeta } from '../../engine/rule';

export const unboundedCacheMeta: RuleMeta = {
  id: 'unbounded-cache',
  description: 'A cache that lives as long as the process grows with input and is never evicted: memory grows with traffic.',
  defaultSeverity: 'warning',
  languages: ['typescript', 'python'],
  libraries: ['Map/Set/object', 'lodash.memoize', 'memoizee', 'node-cache', 'ioredis', 'redis', 'dict/set/list', 'functools.lru_cache', 'functools.cache', 'redis-py'],
  fix: 'unsafe',
};

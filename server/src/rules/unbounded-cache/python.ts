/**
 * unbounded-cache in Python. Fixes: `maxsize=None` → a bound, `@cache` → `@lru_cache(maxsize=…)`,
 * cachetools' `@cached(cache={})` → `cache=LRUCache(maxsize=…)`, a dict cache → `cachetools.TTLCache` where the module already uses cachetools, a Redis `set`
 * gains `ex=`. All unsafe: the bound is a guess the user should check.
 */
import type { Detection, Fix } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { PyFacts } from '../../languages/python/adapter';
import type { PyCacheFact } from '../../languages/python/caches';
import { ensureImport } from '../../languages/python/edits';
import { cacheMessage } from './message';

const TTL_SECONDS = 3600;

function fixFor(c: PyCacheFact, facts: PyFacts, text: string): Fix {
  const guidance: Fix = { title: 'Bound the cache: `cachetools.LRUCache`/`TTLCache`, or evict entries', applicability: 'display-only', edits: [] };
  if (c.kind === 'function-cache' && c.replace) {
    const edits = [{ start: c.replace.start, end: c.replace.end, newText: c.replace.text }];
    if (c.needsImport) edits.push(...ensureImport(facts, c.needsImport.module, c.needsImport.name));
    const title = c.name.includes('maxsize=None') ? 'Bound it: `maxsize=1024`' : c.name.includes('(cache=') ? `Bound it: \`cache=${c.replace.text}\`` : 'Use `@lru_cache(maxsize=1024)`';
    return { title, applicability: 'unsafe', edits };
  }
  if (c.kind === 'method-cache') return { title: 'Cache a module-level function (or use `functools.cached_property`)', applicability: 'display-only', edits: [] };
  if (c.kind === 'redis-key') {
    if (c.insertAt === undefined) return { title: 'Expire the key (`expire`) after writing it', applicability: 'display-only', edits: [] };
    return { title: `Expire the key after ${TTL_SECONDS} s: \`ex=${TTL_SECONDS}\``, applicability: 'unsafe', edits: [{ start: c.insertAt, end: c.insertAt, newText: `, ex=${TTL_SECONDS}` }] };
  }
  // cachetools caches are mappings: `[k] = v`, `get`, `in` and `setdefault` keep working.
  if (c.kind === 'dict' && c.replace && !/defaultdict/.test(c.replace.text) && /^\s*(from cachetools\b|import cachetools\b)/m.test(text)) {
    return {
      title: 'Use `cachetools.TTLCache(maxsize=1024, ttl=…)`',
      applicability: 'unsafe',
      edits: [...ensureImport(facts, 'cachetools', 'TTLCache'), { start: c.replace.start, end: c.replace.end, newText: `TTLCache(maxsize=1024, ttl=${TTL_SECONDS})` }],
    };
  }
  return guidance;
}

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  return (facts.caches ?? []).map((c): Detection => ({ start: c.start, end: c.end, message: cacheMessage(c, 'python'), fixes: [fixFor(c, facts, ctx.file.text)] }));
};

/** Messages of unbounded-cache, the same for every language. */
import type { CacheFact } from '../../languages/facts';

/** What a store is called in its language: a JS `Set` is a class, a Python `set` a builtin. */
const KIND_NAME: Record<'typescript' | 'python', Partial<Record<CacheFact['kind'], string>>> = {
  typescript: { map: '`Map`', set: '`Set`', object: 'object', list: 'list' },
  python: { dict: 'dict', set: 'set', list: 'list' },
};

export function cacheMessage(c: CacheFact, language: 'typescript' | 'python'): string {
  const grows = 'it lives as long as the process, so memory grows with traffic until the process restarts or runs out';
  switch (c.kind) {
    case 'memoize':
      return `\`${c.name}\` keeps the result for every distinct argument forever: ${grows}. Use a memoizer with a bound (\`memoizee\` with \`max\`, an LRU cache).`;
    case 'node-cache':
      return `\`new ${c.name}()\` without \`stdTTL\` or \`maxKeys\` keeps every entry forever: ${grows}. Give entries a TTL.`;
    case 'function-cache':
      // cachetools' `@cached(cache={})` is bounded by the cache it is given, not by a maxsize of its own.
      if (c.name.includes('(cache=')) return `\`${c.name}\` caches every distinct argument forever (a plain dict): ${grows}. Bound it: \`cache=LRUCache(maxsize=…)\` or \`TTLCache(maxsize=…, ttl=…)\`.`;
      return `\`${c.name}\` caches every distinct argument forever (no \`maxsize\`): ${grows}. Bound it: \`@lru_cache(maxsize=…)\`.`;
    case 'method-cache':
      return `\`${c.name}\` on a method caches per \`self\`: the cache keeps every instance alive as long as the process, and grows with each one. Cache on a module-level function keyed by what the result depends on, or use \`functools.cached_property\`.`;
    case 'redis-key':
      return `\`${c.write?.text.split('(')[0] ?? 'set'}\` writes the key \`${c.name}\`, built from input, with no expiry: the keys pile up in Redis forever (until \`maxmemory\` starts evicting or refusing writes). Give it an expiry.`;
    default: {
      const write = c.write ? ` (\`${c.write.text.length > 60 ? c.write.text.slice(0, 57) + '…' : c.write.text}\`, keyed by input)` : '';
      const kind = KIND_NAME[language][c.kind];
      const what = c.name.startsWith('this.') ? `${kind} field of a singleton service` : `module-level ${kind}`;
      return `\`${c.name}\` is a ${what} that gains an entry per new key${write} and never loses one: ${grows}. Bound it with an LRU (a maximum size) or a TTL.`;
    }
  }
}

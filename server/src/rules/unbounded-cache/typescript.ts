/** unbounded-cache in JS/TS: module-level and singleton maps, memoizers, node-cache, Redis keys. */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import { cacheMessage } from './message';
import { cacheFix } from './typescript-fixes';

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  const caches = facts.caches ?? [];
  const lruInstalled = caches.some((c) => c.kind === 'map') ? ctx.models?.dependsOn(ctx.file.path, 'lru-cache') : undefined;
  for (const c of caches) {
    out.push({ start: c.start, end: c.end, message: cacheMessage(c, 'typescript'), fixes: facts.sourceFile ? [cacheFix(c, facts.sourceFile, lruInstalled)] : [] });
  }
  return out;
};

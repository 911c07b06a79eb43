/** unbounded-cache in JS/TS: module-level and singleton maps, memoizers, node-cache, Redis keys. */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import { cacheMessage } from './message';
import { cacheFix } from './typescript-fixes';

export const detectTypescript: Detector<TsFacts> = (facts) => {
  const out: Detection[] = [];
  for (const c of facts.caches ?? []) {
    out.push({ start: c.start, end: c.end, message: cacheMessage(c, 'typescript'), fixes: facts.sourceFile ? [cacheFix(c, facts.sourceFile)] : [] });
  }
  return out;
};

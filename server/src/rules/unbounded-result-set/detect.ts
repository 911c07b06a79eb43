/** unbounded-result-set: the adapters find the reads (result-sets.ts of each language); this reports them and offers the cap. */
import type { Detection, Fix } from '../../engine/finding';
import type { DetectContext } from '../../engine/rule';
import type { FileFacts, UnboundedReadFact } from '../../languages/facts';
import { importedUnboundedReads } from '../request-path';
import { unboundedReadMessage } from './message';

/** The words of a model or table name, lower case: `BlogCategory`, `blog_category`, `blogCategories` → blog, category(ies). */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** One word, singular (`categories` → `category`, `countries` → `country`, `roles` → `role`). */
function singular(word: string): string {
  return word.replace(/ies$/, 'y').replace(/(ss|[^s])s$/, '$1');
}

/**
 * A model or table the settings list as small (`perflens.smallTables`): the same name in any case
 * or number (`Country`, `countries`), also as the last part of a table (`geo_country`) or model.
 */
export function isSmallTable(model: string, small: readonly string[]): boolean {
  const w = words(model).map(singular);
  return small.some((s) => {
    const t = words(s).map(singular);
    return t.length > 0 && t.length <= w.length && t.every((x, i) => x === w[w.length - t.length + i]);
  });
}

/** Fixes a language adds before the cap (a paging rewrite). */
export type MoreFixes = (r: UnboundedReadFact, facts: FileFacts, ctx: DetectContext) => Fix[];

export function detectUnboundedReads(facts: FileFacts, ctx: DetectContext, more?: MoreFixes): Detection[] {
  const out: Detection[] = [];
  for (const r of [...(facts.unboundedReads ?? []), ...importedUnboundedReads(facts, ctx)]) {
    if (r.model && isSmallTable(r.model, ctx.settings?.smallTables ?? [])) continue;
    // A DRF list view pages with the project's default pagination class, if its settings set one.
    if (r.drfList && ctx.functions?.drfPagination(ctx.file.path) !== false) continue;
    const cap: Fix[] = r.cap ? [{ title: r.cap.title ?? `Cap the rows returned (\`${r.cap.text}\`)`, applicability: 'unsafe', edits: r.cap.edits }] : [];
    const fixes = [...(more?.(r, facts, ctx) ?? []), ...cap];
    out.push({ start: r.start, end: r.end, message: unboundedReadMessage(r), fixes });
  }
  return out;
}

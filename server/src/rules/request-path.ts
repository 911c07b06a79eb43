/** How messages of the request-path rules name where a call runs: the handler, and the helpers between. */
import type { DetectContext } from '../engine/rule';
import type { BlockingCallFact, EffectHelperFact, FileFacts, HandlerFact, OutboundCallFact, RequestPathImportFact, UnboundedReadFact } from '../languages/facts';

/** "the handler `GET /report` (express)" or "`loadTemplate`, called from the handler `getReport` (express) through `getReport` → `loadTemplate`". */
export function whereOnRequestPath(handler: HandlerFact, chain: readonly string[]): string {
  const h = `the ${handler.framework} handler \`${handler.name}\``;
  if (chain.length <= 1) return `in ${h}`;
  return `in \`${chain[chain.length - 1]}\`, which ${h} calls (${chain.map((c) => `\`${c}\``).join(' → ')})`;
}

/**
 * Calls on request paths to functions of other files that block, send or call out untimed, as
 * facts of this file: found at the call, with the chain running on into the other file.
 */
export function importedEffects(facts: FileFacts, ctx: DetectContext): Array<{ at: RequestPathImportFact; effect: EffectHelperFact; chain: string[] }> {
  const out: Array<{ at: RequestPathImportFact; effect: EffectHelperFact; chain: string[] }> = [];
  if (!ctx.functions) return out;
  for (const at of [...(facts.requestPathImports ?? [])].sort((a, b) => a.start - b.start)) {
    for (const effect of ctx.functions.effects(ctx.file.path, at.module, at.imported)) {
      // The helper as this file calls it, then its own chain down to the function holding the call.
      const inner = effect.chain.slice(0, -1);
      out.push({ at, effect, chain: [...at.chain, at.local, ...inner.slice(1)] });
    }
  }
  return out;
}

/**
 * One finding per effect of one helper: a view that renders through `utils.context(…)` in seven
 * places has one call to fix (in the helper), found at its first call site (of those the rule
 * reports), the others counted in `more`.
 */
function oncePerEffect<T extends { more?: number }>(found: ReadonlyArray<{ at: RequestPathImportFact; effect: EffectHelperFact; fact: T }>): T[] {
  const first = new Map<string, T>();
  for (const { at, effect, fact } of found) {
    const key = `${at.module}\0${at.imported}\0${effect.kind}\0${effect.api}\0${effect.chain.join('\0')}`;
    const seen = first.get(key);
    if (seen) seen.more = (seen.more ?? 0) + 1;
    else first.set(key, fact);
  }
  return [...first.values()];
}

/** " It runs from 6 more calls in this file.", for an effect reported once. */
export function moreCallSites(more: number | undefined): string {
  return more ? ` The same call runs from ${more} more call${more === 1 ? '' : 's'} in this file.` : '';
}

/** Blocking effects of imported helpers, as blocking-call facts at the call site. */
export function importedBlocking(facts: FileFacts, ctx: DetectContext): Array<BlockingCallFact> {
  const found: Array<{ at: RequestPathImportFact; effect: EffectHelperFact; fact: BlockingCallFact }> = [];
  for (const { at, effect, chain } of importedEffects(facts, ctx)) {
    if (effect.kind === 'untimed' || effect.kind === 'unbounded-read') continue;
    // Blocking I/O in Python matters only under an event loop: an async handler.
    if (effect.kind === 'sync-io' && !at.handler.async) continue;
    const kind = effect.kind === 'sync-io' ? 'sync-in-async' : effect.kind;
    found.push({ at, effect, fact: { start: at.start, end: at.end, api: effect.api, kind, instead: effect.instead ?? 'an asynchronous form', handler: at.handler, chain } });
  }
  return oncePerEffect(found);
}

/**
 * Effects of this file's functions that a Django urls.py routes to but that do not look like views
 * (any name, any parameter): handlers by configuration. Found at the call in the view.
 */
function routedEffects(facts: FileFacts, ctx: DetectContext): Array<{ handler: HandlerFact; effect: EffectHelperFact & { start: number; end: number } }> {
  const out: Array<{ handler: HandlerFact; effect: EffectHelperFact & { start: number; end: number } }> = [];
  if (!ctx.functions || !facts.effectHelpers?.length) return out;
  const routed = ctx.functions.routedViews(ctx.file.path);
  if (routed.size === 0) return out;
  const known = new Set((facts.handlers ?? []).map((h) => h.name));
  for (const effect of facts.effectHelpers) {
    if (!routed.has(effect.name) || known.has(effect.name) || effect.start === undefined || effect.end === undefined) continue;
    const handler: HandlerFact = { start: effect.start, end: effect.end, framework: 'django', name: effect.name, route: routed.get(effect.name), async: !!effect.async };
    out.push({ handler, effect: effect as EffectHelperFact & { start: number; end: number } });
  }
  return out;
}

export function routedBlocking(facts: FileFacts, ctx: DetectContext): BlockingCallFact[] {
  const out: BlockingCallFact[] = [];
  for (const { handler, effect } of routedEffects(facts, ctx)) {
    if (effect.kind === 'untimed' || effect.kind === 'unbounded-read' || (effect.kind === 'sync-io' && !handler.async)) continue;
    const kind = effect.kind === 'sync-io' ? 'sync-in-async' : effect.kind;
    out.push({ start: effect.start, end: effect.end, api: effect.api, kind, instead: effect.instead ?? 'an asynchronous form', handler, chain: effect.chain.slice(0, -1) });
  }
  return out;
}

export function routedUntimed(facts: FileFacts, ctx: DetectContext): OutboundCallFact[] {
  const out: OutboundCallFact[] = [];
  for (const { handler, effect } of routedEffects(facts, ctx)) {
    if (effect.kind === 'untimed' && effect.client) out.push({ start: effect.start, end: effect.end, api: effect.api, client: effect.client, handler, chain: effect.chain.slice(0, -1) });
  }
  return out;
}

export function importedUntimed(facts: FileFacts, ctx: DetectContext): OutboundCallFact[] {
  const found: Array<{ at: RequestPathImportFact; effect: EffectHelperFact; fact: OutboundCallFact }> = [];
  for (const { at, effect, chain } of importedEffects(facts, ctx)) {
    if (effect.kind === 'untimed' && effect.client) found.push({ at, effect, fact: { start: at.start, end: at.end, api: effect.api, client: effect.client, handler: at.handler, chain } });
  }
  return oncePerEffect(found);
}

/** Reads of every row of a table in other files' helpers and services that request paths call, as facts at the call site (their fix is in the other file). */
export function importedUnboundedReads(facts: FileFacts, ctx: DetectContext): UnboundedReadFact[] {
  const found: Array<{ at: RequestPathImportFact; effect: EffectHelperFact; fact: UnboundedReadFact }> = [];
  for (const { at, effect, chain } of importedEffects(facts, ctx)) {
    if (effect.kind !== 'unbounded-read' || !effect.read) continue;
    found.push({ at, effect, fact: { start: at.start, end: at.end, ...effect.read, callee: effect.api, handler: at.handler, chain } });
  }
  return oncePerEffect(found);
}

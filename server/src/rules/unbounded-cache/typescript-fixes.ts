/**
 * JS/TS bounds for unbounded caches: a `Map` becomes an `LRUCache` from `lru-cache` with `max`,
 * `memoizee` gains `max`, `new NodeCache()` gains `stdTTL`, a Redis `set` gains an expiry.
 */
import ts from 'typescript';
import type { Fix } from '../../engine/finding';
import type { TsCacheFact } from '../../languages/typescript/caches';
import { addOption, ensureImport } from '../../languages/typescript/edits';

/** Bounds the fixes write; the user tunes them. */
const MAX_ENTRIES = 1000;
const TTL_SECONDS = 3600;

/**
 * `installed`: whether the package the file belongs to depends on lru-cache (its nearest
 * package.json); undefined when no package.json is known.
 */
function lruFix(c: TsCacheFact, sf: ts.SourceFile, installed: boolean | undefined): Fix | undefined {
  const init = c.init;
  if (!ts.isNewExpression(init)) return undefined;
  const typed = /\.[cm]?tsx?$/.test(sf.fileName);
  const annotation = c.typeNode && ts.isTypeReferenceNode(c.typeNode) && c.typeNode.typeName.getText() === 'Map' ? c.typeNode : undefined;
  if (c.typeNode && !annotation) return undefined;
  const typeArgs = init.typeArguments?.map((t) => t.getText()) ?? annotation?.typeArguments?.map((t) => t.getText());
  const generics = typeArgs?.length === 2 ? `<${typeArgs.join(', ')}>` : typed && !annotation ? '<any, any>' : '';
  const edits = [...ensureImport(sf, 'lru-cache', ['LRUCache'])];
  if (annotation) edits.push({ start: annotation.typeName.getStart(), end: annotation.typeName.getEnd(), newText: 'LRUCache' });
  edits.push({ start: init.getStart(), end: init.getEnd(), newText: `new LRUCache${generics}({ max: ${MAX_ENTRIES} })` });
  // Evicting entries is invisible to a get-or-compute cache; code that iterates the map sees fewer entries.
  const dependency = /from ['"]lru-cache['"]|require\(['"]lru-cache['"]\)/.test(sf.text);
  // Only the file's own import says which lru-cache API it uses (`LRUCache` is v10's): a dependency
  // alone spares the reader the package note, not the review an unsafe fix gets.
  return {
    title: `Bound \`${c.name}\` with an LRUCache (max ${MAX_ENTRIES})${dependency || installed ? '' : ' — needs the lru-cache package'}`,
    applicability: !c.iterated && dependency ? 'safe' : 'unsafe',
    edits,
  };
}

/** `lruInstalled`: whether the file's package depends on lru-cache (undefined: not known). */
export function cacheFix(c: TsCacheFact, sf: ts.SourceFile, lruInstalled?: boolean): Fix {
  const guidance: Fix = { title: 'Bound the cache: an LRU with a maximum size, or a TTL', applicability: 'display-only', edits: [] };
  if (c.kind === 'map') return lruFix(c, sf, lruInstalled) ?? guidance;
  if (c.kind === 'memoize' && ts.isCallExpression(c.init) && c.library === 'memoizee') {
    const edits = c.init.arguments.length >= 1 ? addOption(c.init, 1, `max: ${MAX_ENTRIES}`) : undefined;
    if (edits) return { title: `Bound the memoizer: \`max: ${MAX_ENTRIES}\``, applicability: 'unsafe', edits };
  }
  if (c.kind === 'node-cache' && ts.isNewExpression(c.init)) {
    const edits = addOption(c.init, 0, `stdTTL: ${TTL_SECONDS}`);
    if (edits) return { title: `Expire entries: \`stdTTL: ${TTL_SECONDS}\``, applicability: 'unsafe', edits };
  }
  if (c.kind === 'redis-key' && ts.isCallExpression(c.init) && /\.set$/.test(c.init.expression.getText()) && c.init.arguments.length === 2) {
    const at = c.init.arguments[1].getEnd();
    const expiry = c.redis === 'ioredis' ? `, 'EX', ${TTL_SECONDS}` : `, { EX: ${TTL_SECONDS} }`;
    return { title: `Expire the key after ${TTL_SECONDS} s`, applicability: 'unsafe', edits: [{ start: at, end: at, newText: expiry }] };
  }
  if (c.kind === 'redis-key') return { title: 'Expire the key (`expire`) after writing it', applicability: 'display-only', edits: [] };
  return guidance;
}

/** How messages of the request-path rules name where a call runs: the handler, and the helpers between. */
import type { HandlerFact } from '../languages/facts';

/** "the handler `GET /report` (express)" or "`loadTemplate`, called from the handler `getReport` (express) through `getReport` → `loadTemplate`". */
export function whereOnRequestPath(handler: HandlerFact, chain: readonly string[]): string {
  const h = `the ${handler.framework} handler \`${handler.name}\``;
  if (chain.length <= 1) return `in ${h}`;
  return `in \`${chain[chain.length - 1]}\`, which ${h} calls (${chain.map((c) => `\`${c}\``).join(' → ')})`;
}

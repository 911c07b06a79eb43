/** Messages of blocking-call-in-handler, the same for every language. */
import type { BlockingCallFact } from '../../languages/facts';
import { moreCallSites, whereOnRequestPath } from '../request-path';

export function blockingMessage(b: BlockingCallFact): string {
  return blockingText(b) + moreCallSites(b.more);
}

function blockingText(b: BlockingCallFact): string {
  const where = whereOnRequestPath(b.handler, b.chain);
  if (b.kind === 'event-loop') {
    return `\`${b.api}\` blocks the event loop ${where}: while it runs, the process serves no other request. Use ${b.instead}.`;
  }
  if (b.kind === 'sync-in-async') {
    return `\`${b.api}\` is synchronous ${where}, an \`async def\`: it blocks the event loop, and every other request on it waits. Use ${b.instead}.`;
  }
  return `\`${b.api}\` makes the request wait on a third party ${where}: a slow or failing provider becomes a slow or failing response. Send it from ${b.instead}.`;
}

/** Messages of request-without-timeout, the same for every language. */
import type { OutboundCallFact } from '../../languages/facts';
import { moreCallSites, whereOnRequestPath } from '../request-path';

const HOW: Record<OutboundCallFact['client'], string> = {
  fetch: 'pass `signal: AbortSignal.timeout(ms)`',
  axios: 'pass `timeout` (or create the client with `axios.create({ timeout })`)',
  got: 'pass `timeout: { request: ms }`',
  http: 'set a timeout on the request',
  requests: 'pass `timeout=` (seconds)',
  urllib: 'pass `timeout=` (seconds)',
};

export function untimedMessage(c: OutboundCallFact): string {
  const never = c.client === 'fetch' ? 'waits as long as the server keeps the connection open' : 'has no timeout by default';
  return `\`${c.api}\` ${never}, ${whereOnRequestPath(c.handler, c.chain)}: a stalled upstream holds the request (and its worker, connection and memory) until the client gives up. ${HOW[c.client][0].toUpperCase()}${HOW[c.client].slice(1)}.${moreCallSites(c.more)}`;
}

/**
 * request-without-timeout in Python: `requests` and `urlopen` calls with no `timeout=`, on request
 * paths, called or handed to a thread (`asyncio.to_thread(requests.get, url)`).
 */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { PyFacts } from '../../languages/python/adapter';
import { importedUntimed, routedUntimed } from '../request-path';
import { untimedMessage } from './message';

/** Seconds: long for an upstream call inside a request, short of a proxy's 30–60 s limit. */
const TIMEOUT_SECONDS = 10;

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const c of facts.untimedCalls ?? []) {
    if (c.insertAt === undefined) {
      const message = `${untimedMessage(c)} \`run_in_executor\` passes no keyword arguments: hand it \`functools.partial(${c.api}, …, timeout=${TIMEOUT_SECONDS})\`.`;
      out.push({ start: c.start, end: c.end, message, fixes: [] });
      continue;
    }
    const before = ctx.file.text.slice(0, c.insertAt).trimEnd();
    const sep = before.endsWith('(') || before.endsWith(',') ? '' : ', ';
    const fixes = [{ title: `Add \`timeout=${TIMEOUT_SECONDS}\``, applicability: 'unsafe' as const, edits: [{ start: c.insertAt, end: c.insertAt, newText: `${sep}timeout=${TIMEOUT_SECONDS}` }] }];
    out.push({ start: c.start, end: c.end, message: untimedMessage(c), fixes });
  }
  for (const c of importedUntimed(facts, ctx)) out.push({ start: c.start, end: c.end, message: untimedMessage(c), fixes: [] });
  for (const c of routedUntimed(facts, ctx)) out.push({ start: c.start, end: c.end, message: untimedMessage(c), fixes: [] });
  return out;
};

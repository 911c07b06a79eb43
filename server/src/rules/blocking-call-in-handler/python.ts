/**
 * blocking-call-in-handler in Python: synchronous I/O in `async def` handlers, and sends to
 * email/SMS providers in any handler. Fixes, where the call sits directly in the async handler:
 * `time.sleep(x)` → `await asyncio.sleep(x)` (same wait, without holding the loop: safe), and
 * blocking calls → `await asyncio.to_thread(f, …)` (runs in a thread: unsafe, thread-safety is the
 * caller's to check).
 */
import type { Detection, Fix } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { PyFacts } from '../../languages/python/adapter';
import type { PyBlockingCall } from '../../languages/python/blocking-calls';
import { ensureModuleImport } from '../../languages/python/edits';
import { importedBlocking, routedBlocking } from '../request-path';
import { blockingMessage } from './message';

function fixFor(b: PyBlockingCall, facts: PyFacts, text: string): Fix[] {
  if (b.kind === 'third-party') {
    const where = b.framework === 'fastapi' ? 'FastAPI `BackgroundTasks` or a Celery/RQ task' : 'a Celery or RQ task (`.delay(…)`)';
    return [{ title: `Move the send to ${where}`, applicability: 'display-only', edits: [] }];
  }
  if (!b.direct) return [];
  const call = text.slice(b.callStart, b.callEnd);
  const argsText = call.slice(b.end - b.callStart + 1, -1).trim();
  const imports = ensureModuleImport(facts, text, 'asyncio');
  // `requests.get(url).json()`: the awaited call needs parentheses before `.json()`.
  const wrap = (expr: string) => (/^\s*[.[(]/.test(text.slice(b.callEnd, b.callEnd + 40)) ? `(${expr})` : expr);
  if (b.qualified === 'time.sleep') {
    return [{ title: 'Use `await asyncio.sleep(…)`', applicability: 'safe', edits: [...imports, { start: b.callStart, end: b.callEnd, newText: wrap(`await asyncio.sleep(${argsText})`) }] }];
  }
  if (b.qualified === 'open') return [{ title: 'Do the file work in `await asyncio.to_thread(…)` (or use aiofiles)', applicability: 'display-only', edits: [] }];
  // A call used as a context manager cannot move to a thread by itself.
  const parentText = text.slice(Math.max(0, b.callStart - 5), b.callStart);
  if (/with\s*$/.test(parentText)) return [];
  const rest = argsText ? `, ${argsText}` : '';
  return [{ title: `Run \`${b.api}\` in a thread: \`await asyncio.to_thread(${b.api}, …)\``, applicability: 'unsafe', edits: [...imports, { start: b.callStart, end: b.callEnd, newText: wrap(`await asyncio.to_thread(${b.api}${rest})`) }] }];
}

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const b of facts.blockingCalls ?? []) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: fixFor(b, facts, ctx.file.text) });
  for (const b of importedBlocking(facts, ctx)) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: [] });
  for (const b of routedBlocking(facts, ctx)) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: [] });
  return out;
};

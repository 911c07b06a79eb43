/**
 * blocking-call-in-handler in Python: synchronous I/O in `async def` handlers, and sends to
 * email/SMS providers in any handler. Fixes, where the call sits directly in the async handler:
 * `time.sleep(x)` → `await asyncio.sleep(x)` (same wait, without holding the loop: safe), and
 * blocking calls → `await asyncio.to_thread(f, …)` (runs in a thread: unsafe, thread-safety is the
 * caller's to check); a send in a FastAPI handler → `background_tasks.add_task(…)` (unsafe); a
 * send in a Django, DRF or Flask handler of a project that depends on Celery → a Celery task in
 * the app's `tasks.py`, called with `.delay(…)`, or with django-rq → `django_rq.enqueue(send, …)`
 * (unsafe).
 */
import * as path from 'node:path';
import type { Detection, Edit, Fix } from '../../engine/finding';
import type { DetectContext, Detector } from '../../engine/rule';
import type { PyFacts } from '../../languages/python/adapter';
import type { PyBlockingCall } from '../../languages/python/blocking-calls';
import { ensureImport, ensureModuleImport } from '../../languages/python/edits';
import { importedBlocking, routedBlocking } from '../request-path';
import { blockingMessage } from './message';

/**
 * A send in a FastAPI handler, as a statement of its own (its result unused), moves to FastAPI's
 * `BackgroundTasks`: the handler gains a `background_tasks: BackgroundTasks` parameter (or uses the
 * one it has) and the send runs after the response. Unsafe: a failed send no longer fails the request.
 */
function backgroundTaskFix(b: PyBlockingCall, facts: PyFacts, text: string): Fix | undefined {
  if (b.framework !== 'fastapi' || !b.direct) return undefined;
  const statement = sendStatement(b, text);
  if (!statement) return undefined;
  const params = parameterList(text, b.handler.start);
  if (!params || params.text.includes('**')) return undefined;
  const existing = /(\w+)\s*:\s*(?:fastapi\.)?BackgroundTasks\b/.exec(params.text)?.[1];
  const name = existing ?? 'background_tasks';
  const edits: Edit[] = [];
  if (!existing) {
    const trimmed = params.text.trimEnd();
    if (trimmed.trim() === '') edits.push({ start: params.start, end: params.start, newText: `${name}: BackgroundTasks` });
    else if (trimmed.endsWith(',')) edits.push({ start: params.start + trimmed.length, end: params.start + trimmed.length, newText: ` ${name}: BackgroundTasks,` });
    else edits.push({ start: params.start + trimmed.length, end: params.start + trimmed.length, newText: `, ${name}: BackgroundTasks` });
    edits.push(...ensureImport(facts, 'fastapi', 'BackgroundTasks'));
  }
  const call = text.slice(b.callStart, b.callEnd);
  const args = call.slice(b.end - b.callStart + 1, -1).trim();
  const start = statement.lineStart + statement.indent.length;
  edits.push({ start, end: b.callEnd, newText: `${name}.add_task(${b.api}${args ? `, ${args}` : ''})` });
  return { title: 'Send after the response with FastAPI `BackgroundTasks` (a failed send no longer fails the request)', applicability: 'unsafe', edits };
}

/** A send alone on its line(s) as a statement (`send_mail(…)`, maybe awaited, a comment after it): its line start and indentation. */
function sendStatement(b: PyBlockingCall, text: string): { lineStart: number; indent: string } | undefined {
  if (!b.statement) return undefined;
  const lineStart = text.lastIndexOf('\n', b.callStart - 1) + 1;
  const lead = /^(\s*)(await\s+)?$/.exec(text.slice(lineStart, b.callStart));
  const lineEnd = text.indexOf('\n', b.callEnd);
  if (!lead || !/^\s*(#.*)?$/.test(text.slice(b.callEnd, lineEnd < 0 ? text.length : lineEnd))) return undefined;
  return { lineStart, indent: lead[1] };
}

/** Module-level send functions a job queue can run with the same arguments, and the Celery task written for each. */
const QUEUEABLE_SENDS: Array<[RegExp, (name: string) => { task: string; import: string; call: string }]> = [
  [/^django\.core\.mail\.(send_mail|send_mass_mail|mail_admins|mail_managers)$/, (fn) => ({ task: `${fn}_task`, import: `from django.core.mail import ${fn}`, call: fn })],
  [/^resend\.Emails\.send$/, () => ({ task: 'send_resend_email', import: 'import resend', call: 'resend.Emails.send' })],
  [/^pywebpush\.webpush$/, () => ({ task: 'webpush_task', import: 'from pywebpush import webpush', call: 'webpush' })],
];

/**
 * A send in a Django, DRF or Flask handler, as a statement of its own, in a project that depends
 * on Celery: a task that makes the same call goes in the app's `tasks.py` (beside the views, or
 * above a `views/` package: where Celery's autodiscovery looks), made when missing, and the call
 * becomes `task.delay(…)` with the same arguments. Unsafe: the send runs on a worker after the
 * response, a failed one no longer fails the request, and the arguments must be JSON-serializable
 * (Celery's default): addresses and strings are, model instances and lazy translations are not.
 */
function celeryFix(b: PyBlockingCall, facts: PyFacts, text: string, ctx: DetectContext): Fix | undefined {
  if (!/^(django|drf|flask)$/.test(b.framework) || !b.direct || !ctx.models?.jobQueues?.has('celery')) return undefined;
  const match = QUEUEABLE_SENDS.find(([re]) => re.test(b.qualified));
  if (!match || !sendStatement(b, text)) return undefined;
  const send = match[1](b.qualified.split('.').pop()!);
  const here = path.dirname(ctx.file.path);
  const inViews = path.basename(here) === 'views';
  const dir = inViews ? path.dirname(here) : here;
  // Django apps are packages. A Flask app may be a package that imports itself relatively or by
  // its name (`from app.models import …`), or a single module run from its folder.
  const pkg = path.basename(dir);
  const relative = inViews || b.framework !== 'flask' || facts.imports.some((i) => i.module.startsWith('.'));
  const absolute = !relative && facts.imports.some((i) => i.module === pkg || i.module.startsWith(`${pkg}.`));
  const module = relative ? (inViews ? '..tasks' : '.tasks') : absolute ? `${pkg}.tasks` : 'tasks';
  const tasksFile = path.join(dir, 'tasks.py');
  const block =
    `@shared_task\ndef ${send.task}(*args, **kwargs):\n` +
    `    """\`${send.call}\` on a Celery worker, after the response."""\n` +
    `    ${send.call}(*args, **kwargs)\n`;
  return {
    title: `Send on a Celery worker: \`${send.task}.delay(…)\`, a task added to ${pkg}/tasks.py (a failed send no longer fails the request)`,
    applicability: 'unsafe',
    edits: [...ensureImport(facts, module, send.task), { start: b.start, end: b.end, newText: `${send.task}.delay` }],
    addToFile: { kind: 'block', path: tasksFile, imports: ['from celery import shared_task', send.import], block, defines: send.task },
  };
}

/**
 * A send in a Django or DRF view of a project that depends on django-rq (and not Celery), as a
 * statement of its own: `django_rq.enqueue(send, …)` with the same arguments, on the default queue.
 * RQ pickles the arguments (model instances too). Unsafe, as for Celery.
 */
function rqFix(b: PyBlockingCall, facts: PyFacts, text: string, ctx: DetectContext): Fix | undefined {
  if (!/^(django|drf)$/.test(b.framework) || !b.direct || !ctx.models?.jobQueues?.has('django-rq')) return undefined;
  if (!QUEUEABLE_SENDS.some(([re]) => re.test(b.qualified)) || !sendStatement(b, text)) return undefined;
  const open = text.indexOf('(', b.end);
  if (open < 0 || open >= b.callEnd || text.slice(b.end, open).trim() !== '') return undefined;
  const callee = text.slice(b.start, b.end);
  const empty = text.slice(open + 1, b.callEnd - 1).trim() === '';
  return {
    title: `Send from an RQ worker: \`django_rq.enqueue(${callee}, …)\` (a failed send no longer fails the request)`,
    applicability: 'unsafe',
    edits: [...ensureModuleImport(facts, text, 'django_rq'), { start: b.start, end: open + 1, newText: `django_rq.enqueue(${callee}${empty ? '' : ', '}` }],
  };
}

/** The text between a `def …(` and its matching `)`, from the function's start. */
function parameterList(text: string, fnStart: number): { start: number; text: string } | undefined {
  const open = /\bdef\s+\w+\s*\(/.exec(text.slice(fnStart, fnStart + 400));
  if (!open) return undefined;
  const start = fnStart + open.index + open[0].length;
  let depth = 1;
  for (let i = start; i < text.length && i < start + 4000; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return undefined;
      i = close;
    }
    if (depth === 0) return { start, text: text.slice(start, i) };
  }
  return undefined;
}

function fixFor(b: PyBlockingCall, facts: PyFacts, text: string, ctx: DetectContext): Fix[] {
  if (b.kind === 'third-party') {
    const background = backgroundTaskFix(b, facts, text) ?? celeryFix(b, facts, text, ctx) ?? rqFix(b, facts, text, ctx);
    if (background) return [background];
    const where = b.framework === 'fastapi' ? 'FastAPI `BackgroundTasks` or a Celery/RQ task' : 'a Celery or RQ task (`.delay(…)`)';
    return [{ title: `Move the send to ${where}`, applicability: 'display-only', edits: [] }];
  }
  if (!b.direct) return [];
  const call = text.slice(b.callStart, b.callEnd);
  const argsText = call.slice(b.end - b.callStart + 1, -1).trim();
  const imports = ensureModuleImport(facts, text, 'asyncio');
  // `requests.get(url).json()`: the awaited call needs parentheses before `.json()`.
  const parens = /^\s*[.[(]/.test(text.slice(b.callEnd, b.callEnd + 40));
  const wrap = (expr: string) => (parens ? `(${expr})` : expr);
  if (b.qualified === 'time.sleep') {
    return [{ title: 'Use `await asyncio.sleep(…)`', applicability: 'safe', edits: [...imports, { start: b.callStart, end: b.callEnd, newText: wrap(`await asyncio.sleep(${argsText})`) }] }];
  }
  if (b.qualified === 'open') return [{ title: 'Do the file work in `await asyncio.to_thread(…)` (or use aiofiles)', applicability: 'display-only', edits: [] }];
  // A call used as a context manager cannot move to a thread by itself.
  const parentText = text.slice(Math.max(0, b.callStart - 5), b.callStart);
  if (/with\s*$/.test(parentText)) return [];
  const title = `Run \`${b.api}\` in a thread: \`await asyncio.to_thread(${b.api}, …)\``;
  // The arguments stay where they are, untouched by the edits: another rule's fix inside them
  // (request-without-timeout's `timeout=`) applies in the same pass, and to_thread passes it on.
  const open = text.indexOf('(', b.end);
  if (argsText && open >= 0 && open < b.callEnd && text.slice(b.end, open).trim() === '') {
    const sep = /\s/.test(text[open + 1]) ? ',' : ', ';
    const edits = [...imports, { start: b.callStart, end: open + 1, newText: `${parens ? '(' : ''}await asyncio.to_thread(${b.api}${sep}` }];
    if (parens) edits.push({ start: b.callEnd, end: b.callEnd, newText: ')' });
    return [{ title, applicability: 'unsafe', edits }];
  }
  const rest = argsText ? `, ${argsText}` : '';
  return [{ title, applicability: 'unsafe', edits: [...imports, { start: b.callStart, end: b.callEnd, newText: wrap(`await asyncio.to_thread(${b.api}${rest})`) }] }];
}

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const b of facts.blockingCalls ?? []) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: fixFor(b, facts, ctx.file.text, ctx) });
  for (const b of importedBlocking(facts, ctx)) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: [] });
  for (const b of routedBlocking(facts, ctx)) out.push({ start: b.start, end: b.end, message: blockingMessage(b), fixes: [] });
  return out;
};

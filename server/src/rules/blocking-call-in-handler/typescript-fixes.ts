/**
 * JS/TS rewrites of blocking calls into their asynchronous forms, awaited:
 * `fs.readFileSync(p)` → `await fs.promises.readFile(p)`, `execSync(c)` → `(await promisify(exec)(c)).stdout`,
 * `crypto.pbkdf2Sync(…)` → `await promisify(crypto.pbkdf2)(…)`, `bcrypt.hashSync(…)` → `await bcrypt.hash(…)`.
 * The function holding the call must be async: a handler is made async; a helper that is not async
 * already is left alone (its callers would get a promise), and so is a call inside a callback.
 */
import ts from 'typescript';
import type { Edit, Fix } from '../../engine/finding';
import type { TsBlockingCall } from '../../languages/typescript/blocking-calls';
import { ensureImport, isBound, makeAsync } from '../../languages/typescript/edits';
import { enclosingFunction, isAsync } from '../../languages/typescript/handlers';

/** An awaited expression used as an operand (`fs.readFileSync(p).toString()`) needs parentheses. */
function needsParens(call: ts.CallExpression): boolean {
  const p = call.parent;
  return (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isCallExpression(p)) && p.expression === call;
}

/** `node:util` in files that import with the `node:` prefix. */
function nodeModule(b: TsBlockingCall, name: string): string {
  return b.module?.startsWith('node:') ? `node:${name}` : name;
}

function callee(b: TsBlockingCall, sf: ts.SourceFile): { text: string; edits: Edit[] } | undefined {
  const form = b.form!;
  const e = b.call.expression;
  const ns = ts.isPropertyAccessExpression(e) ? e.expression.getText() : undefined;
  const module = b.module!;
  if (form.kind === 'fs-promises') {
    if (/fs-extra/.test(module)) return ns ? { text: `${ns}.${form.method}`, edits: [] } : undefined;
    if (ns) return { text: `${ns}.promises.${form.method}`, edits: [] };
    if (isBound(sf, form.method)) return undefined;
    return { text: form.method, edits: ensureImport(sf, `${module.replace(/^(node:)?(graceful-fs|fs)$/, '$1fs')}/promises`, [form.method]) };
  }
  if (form.kind === 'async-method') {
    if (ns) return { text: `${ns}.${form.method}`, edits: [] };
    if (isBound(sf, form.method)) return undefined;
    return { text: form.method, edits: ensureImport(sf, module, [form.method]) };
  }
  const edits: Edit[] = [];
  if (!/\bpromisify\b/.test(sf.text)) edits.push(...ensureImport(sf, nodeModule(b, 'util'), ['promisify']));
  if (ns) return { text: `promisify(${ns}.${form.method})`, edits };
  if (isBound(sf, form.method) && !new RegExp(`import[^;]*\\b${form.method}\\b[^;]*from ['"]${module}['"]`).test(sf.text)) return undefined;
  return { text: `promisify(${form.method})`, edits: [...edits, ...ensureImport(sf, module, [form.method])] };
}

export function asyncFix(b: TsBlockingCall, sf: ts.SourceFile): Fix | undefined {
  if (!b.form || !b.module) return undefined;
  // `await` needs an async function right around the call: not a callback's, not a sync helper's.
  if (enclosingFunction(b.call) !== b.fn) return undefined;
  if (!isAsync(b.fn) && !b.isHandler) return undefined;
  const c = callee(b, sf);
  if (!c) return undefined;
  const args = b.call.arguments.map((a) => a.getText()).join(', ');
  let replacement = `await ${c.text}(${args})`;
  if (b.form.kind === 'promisify' && b.form.stdout) replacement = `(${replacement}).stdout`;
  else if (needsParens(b.call)) replacement = `(${replacement})`;
  const edits: Edit[] = [...c.edits, ...makeAsync(b.fn), { start: b.call.getStart(), end: b.call.getEnd(), newText: replacement }];
  const madeAsync = !isAsync(b.fn);
  return {
    title: `Use \`await ${c.text}(…)\`${madeAsync ? ' (makes the handler async)' : ''}`,
    applicability: 'unsafe',
    edits,
  };
}

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

/** The call is a statement of its own: what it returns is not read. */
function resultUnused(call: ts.CallExpression): boolean {
  let use: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(use)) use = use.parent;
  return ts.isExpressionStatement(use);
}

/**
 * The arguments of `exec`/`execFile` for those of `execSync`/`execFileSync`. Without an `encoding`
 * the sync forms return a Buffer and the async ones a UTF-8 string, which corrupts binary output (an
 * image piped out of `convert`): `encoding: 'buffer'` keeps the Buffer. Before the options' other
 * entries, so that a spread that names an encoding still wins, as it did. Undefined when it cannot
 * tell which argument holds the options (`execFileSync(file, x)`: arguments or options).
 */
function childProcessArgs(call: ts.CallExpression, method: string): string[] | undefined {
  const args = call.arguments.map((a) => a.getText());
  // A result nobody reads has no encoding to keep.
  if (resultUnused(call)) return args;
  let at = 1;
  if (method === 'execFile') {
    const second = call.arguments[1];
    if (second && !ts.isArrayLiteralExpression(second) && !ts.isObjectLiteralExpression(second) && call.arguments.length < 3) return undefined;
    at = second && !ts.isObjectLiteralExpression(second) ? 2 : 1;
  }
  const options = call.arguments[at];
  const buffer = "encoding: 'buffer'";
  if (!options) return [...args, `{ ${buffer} }`];
  if (ts.isObjectLiteralExpression(options)) {
    if (options.properties.some((p) => !ts.isSpreadAssignment(p) && p.name?.getText().replace(/^['"]|['"]$/g, '') === 'encoding')) return args;
    args[at] = options.properties.length ? `{ ${buffer}, ${options.getText().replace(/^\{\s*/, '')}` : `{ ${buffer} }`;
    return args;
  }
  args[at] = `{ ${buffer}, ...${options.getText()} }`;
  return args;
}

export function asyncFix(b: TsBlockingCall, sf: ts.SourceFile): Fix | undefined {
  if (!b.form || !b.module) return undefined;
  // `await` needs an async function right around the call: not a callback's, not a sync helper's.
  if (enclosingFunction(b.call) !== b.fn) return undefined;
  if (!isAsync(b.fn) && !b.isHandler) return undefined;
  const c = callee(b, sf);
  if (!c) return undefined;
  const list = b.form.kind === 'promisify' && b.form.stdout ? childProcessArgs(b.call, b.form.method) : b.call.arguments.map((a) => a.getText());
  if (!list) return undefined;
  const args = list.join(', ');
  let replacement = `await ${c.text}(${args})`;
  if (b.form.kind === 'promisify' && b.form.stdout && !resultUnused(b.call)) replacement = `(${replacement}).stdout`;
  else if (needsParens(b.call)) replacement = `(${replacement})`;
  const edits: Edit[] = [...c.edits, ...makeAsync(b.fn), { start: b.call.getStart(), end: b.call.getEnd(), newText: replacement }];
  const madeAsync = !isAsync(b.fn);
  return {
    title: `Use \`await ${c.text}(…)\`${madeAsync ? ' (makes the handler async)' : ''}`,
    applicability: 'unsafe',
    edits,
  };
}

/** Frameworks whose handlers run in a long-lived Node process: a promise left running finishes after the response. */
const LONG_LIVED = new Set(['express', 'fastify', 'koa', 'nestjs', 'medusa', 'http']);

/**
 * A provider send awaited as a statement of its own in the handler (its result unused) no longer
 * holds the response:
 * - a Next.js App Router handler or server action: `after(() => send(…))` from `next/server`,
 *   which runs it after the response and keeps a serverless function alive until it is done;
 * - a handler of a long-lived Node server (Express, Fastify, Koa, NestJS): the send runs on
 *   unawaited, its failure logged (`void send(…).catch(…)`).
 * Unsafe: a failed send no longer fails the request. Not offered inside a `try` with a `catch` (the
 * handler answers the failure), for Pages Router API routes, Hono, tRPC or GraphQL (their runtime
 * may stop at the response: a queue is the way there), nor when the handler is not the function
 * that awaits.
 */
export function backgroundSendFix(b: TsBlockingCall, sf: ts.SourceFile): Fix | undefined {
  if (!b.isHandler || enclosingFunction(b.call) !== b.fn) return undefined;
  const awaited = b.call.parent;
  if (!ts.isAwaitExpression(awaited) || awaited.expression !== b.call || !ts.isExpressionStatement(awaited.parent)) return undefined;
  for (let p: ts.Node = awaited.parent; p && p !== b.fn; p = p.parent) {
    if (ts.isTryStatement(p.parent) && p.parent.tryBlock === p && p.parent.catchClause) return undefined;
  }
  const call = b.call.getText(sf);
  const path = sf.fileName.replace(/\\/g, '/');
  if (b.handler.framework === 'nextjs') {
    if (/(^|\/)pages\/api\//.test(path)) return undefined;
    // `after` must be next/server's: another binding of the name is not taken over.
    if (isBound(sf, 'after') && !importsValue(sf, 'next/server', 'after')) return undefined;
    // An argument that awaits (`html: await render(…)`) needs an async callback.
    const callback = containsAwait(b.call) ? `async () => {\n${indentOf(sf, awaited)}  await ${call};\n${indentOf(sf, awaited)}}` : `() => ${call}`;
    return {
      title: 'Send after the response with `after()` from next/server (Next.js 15.1+; a failed send no longer fails the request)',
      applicability: 'unsafe',
      edits: [...ensureImport(sf, 'next/server', ['after']), { start: awaited.getStart(sf), end: awaited.getEnd(), newText: `after(${callback})` }],
    };
  }
  if (!LONG_LIVED.has(b.handler.framework)) return undefined;
  const indent = indentOf(sf, awaited);
  const typed = /\.[mc]?tsx?$/.test(path);
  const label = b.api.replace(/[\\']/g, '\\$&');
  const newText = `void ${call}.catch((error${typed ? ': unknown' : ''}) => {\n${indent}  console.error('${label} failed', error);\n${indent}})`;
  return {
    title: `Send without holding the response: \`void ${b.api}(…).catch(…)\` (a failed send is logged, no longer fails the request)`,
    applicability: 'unsafe',
    edits: [{ start: awaited.getStart(sf), end: awaited.getEnd(), newText }],
  };
}

/** The indentation of the line `node` starts on. */
function indentOf(sf: ts.SourceFile, node: ts.Node): string {
  const lineStart = sf.text.lastIndexOf('\n', node.getStart(sf) - 1) + 1;
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

/** An `await` in the expression, outside the functions it holds. */
function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** `import { name } from 'module'` as a value (not type-only). */
function importsValue(sf: ts.SourceFile, module: string, name: string): boolean {
  return sf.statements.some((st) => {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== module || st.importClause?.isTypeOnly) return false;
    const b = st.importClause?.namedBindings;
    return !!b && ts.isNamedImports(b) && b.elements.some((el) => !el.isTypeOnly && el.name.text === name);
  });
}

/**
 * Calls on a request path that hold the request up: synchronous Node APIs (`fs.readFileSync`,
 * `execSync`, `crypto.pbkdf2Sync`, `zlib.gzipSync`, `bcrypt.hashSync`), which stop the event loop
 * and so every request of the process, and awaited sends to email/SMS/push providers, which make
 * the user wait on a third party. Also outbound HTTP with no way to give up (no timeout/signal).
 */
import ts from 'typescript';
import type { BlockingCallFact, EffectHelperFact, OutboundCallFact, RequestPathImportFact } from '../facts';
import { exportedNames, functionName, injectedType, isExportedName, ownerClassName, relativeImports } from './helpers';
import type { FileImports } from './imports';
import { requestPathOf, type HandlerReach } from './handlers';
import { nodesOfKind } from './walk';

/** How a blocking call is rewritten: `fs.promises.readFile`, `promisify(crypto.pbkdf2)`, `bcrypt.hash`. */
export type AsyncForm =
  | { kind: 'fs-promises'; method: string }
  | { kind: 'promisify'; method: string; stdout?: boolean }
  | { kind: 'async-method'; method: string };

export interface TsBlockingCall extends BlockingCallFact {
  call: ts.CallExpression;
  /** The function holding the call, and whether it is the handler itself (which may become async). */
  fn: ts.FunctionLikeDeclaration;
  isHandler: boolean;
  /** The module the callee comes from (`fs`, `node:child_process`), and how it was imported. */
  module?: string;
  form?: AsyncForm;
}

export interface TsOutboundCall extends OutboundCallFact {
  call: ts.CallExpression;
}

const SYNC_MODULES = /^(node:)?(fs|fs-extra|graceful-fs|child_process|zlib|crypto)$/;
const BCRYPT = /^(bcrypt|bcryptjs)$/;
/** fs methods whose promise form has the same arguments and result. */
const FS_PROMISES = new Set(['readFile', 'writeFile', 'appendFile', 'readdir', 'stat', 'lstat', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'access', 'readlink', 'realpath', 'chmod', 'mkdtemp', 'cp']);
const PROMISIFIABLE = new Set(['pbkdf2', 'scrypt', 'generateKeyPair', 'randomFill', 'gzip', 'gunzip', 'deflate', 'inflate', 'brotliCompress', 'brotliDecompress', 'deflateRaw', 'inflateRaw', 'unzip', 'exec', 'execFile']);

/** Provider SDK sends, by module: the method names that wait on the provider. */
const SENDERS: Array<[RegExp, RegExp, string]> = [
  [/^nodemailer$/, /^sendMail$/, 'email'],
  [/^@sendgrid\/mail$/, /^(send|sendMultiple)$/, 'email'],
  [/^resend$/, /^send$/, 'email'],
  [/^postmark$/, /^(sendEmail|sendEmailWithTemplate|sendEmailBatch)$/, 'email'],
  [/^mailgun\.js$|^mailgun-js$/, /^create$/, 'email'],
  [/^@aws-sdk\/client-(ses|sesv2|sns)$|^aws-sdk$/, /^(send|sendEmail|sendRawEmail|publish)$/, 'notification'],
  [/^twilio$/, /^create$/, 'SMS'],
  [/^web-push$/, /^sendNotification$/, 'push notification'],
  [/^firebase-admin($|\/)/, /^(send|sendEach|sendMulticast|sendEachForMulticast)$/, 'push notification'],
];

function calleeParts(call: ts.CallExpression): { object?: ts.Expression; method?: string } {
  const e = call.expression;
  if (ts.isIdentifier(e)) return { method: e.text };
  if (ts.isPropertyAccessExpression(e)) return { object: e.expression, method: e.name.text };
  return {};
}

/** The identifier a chain starts from: `transporter` in `transporter.sendMail`, `sg` in `sg.client.send`. */
function rootName(e: ts.Expression | undefined): string | undefined {
  while (e && (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) || ts.isNonNullExpression(e))) e = e.expression;
  return e && ts.isIdentifier(e) ? e.text : undefined;
}

/** Modules whose values flow into local names: `const transporter = nodemailer.createTransport(…)`. */
function derivedModules(sf: ts.SourceFile, imports: FileImports): Map<string, string> {
  const out = new Map(imports.names);
  // Every derived name starts from an imported one.
  if (out.size === 0) return out;
  for (let round = 0; round < 2; round++) {
    nodesOfKind(sf, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.PropertyDeclaration).forEach((n) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !out.has(n.name.text)) {
        let init: ts.Expression = n.initializer;
        if (ts.isNewExpression(init)) init = init.expression;
        const root = rootName(init);
        const module = root ? out.get(root) : undefined;
        if (module) out.set(n.name.text, module);
      }
      // `private transporter = nodemailer.createTransport(…)` in a service class.
      if (ts.isPropertyDeclaration(n) && n.initializer) {
        const root = rootName(ts.isNewExpression(n.initializer) ? n.initializer.expression : n.initializer);
        const module = root ? out.get(root) : undefined;
        if (module) out.set(`this.${n.name.getText()}`, module);
      }
    });
  }
  return out;
}

function moduleOfCallee(call: ts.CallExpression, modules: ReadonlyMap<string, string>): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return modules.get(e.text);
  if (ts.isPropertyAccessExpression(e)) {
    const obj = e.expression;
    if (ts.isPropertyAccessExpression(obj) && obj.expression.kind === ts.SyntaxKind.ThisKeyword) return modules.get(`this.${obj.name.text}`);
    const root = rootName(obj);
    return root ? modules.get(root) : undefined;
  }
  return undefined;
}

function syncForm(module: string, method: string): { instead: string; form?: AsyncForm } | undefined {
  if (BCRYPT.test(module)) {
    const m = /^(hash|compare|genSalt)Sync$/.exec(method);
    return m ? { instead: `\`await bcrypt.${m[1]}(…)\``, form: { kind: 'async-method', method: m[1] } } : undefined;
  }
  if (!SYNC_MODULES.test(module)) return undefined;
  const m = /^(\w+)Sync$/.exec(method);
  if (!m) return undefined;
  const base = m[1];
  if (/(^|:)fs(-extra)?$|graceful-fs/.test(module)) {
    return FS_PROMISES.has(base) ? { instead: `\`await fs.promises.${base}(…)\``, form: { kind: 'fs-promises', method: base } } : { instead: `the asynchronous \`fs.promises\` API` };
  }
  if (PROMISIFIABLE.has(base)) return { instead: `\`await promisify(${/child_process/.test(module) ? base : `${module.replace(/^node:/, '')}.${base}`})(…)\``, form: { kind: 'promisify', method: base, stdout: base === 'exec' || base === 'execFile' } };
  return { instead: `the asynchronous form of \`${base}\`` };
}

function isAwaited(call: ts.CallExpression): boolean {
  let p = call.parent;
  while (ts.isParenthesizedExpression(p)) p = p.parent;
  if (inAfterCallback(call)) return false;
  return ts.isAwaitExpression(p) || ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === call);
}

/** Inside the callback of Next.js's `after(() => …)`: it runs once the response is sent. */
function inAfterCallback(node: ts.Node): boolean {
  for (let n: ts.Node = node.parent; n; n = n.parent) {
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const c = n.parent;
    return ts.isCallExpression(c) && c.arguments[0] === n && ts.isIdentifier(c.expression) && c.expression.text === 'after';
  }
  return false;
}

/** `{ signal }`, `{ timeout }` in an options object; an options value we cannot see counts as set. */
function optionsHaveTimeout(arg: ts.Expression | undefined, names: RegExp): boolean {
  if (!arg) return false;
  if (!ts.isObjectLiteralExpression(arg)) return true;
  return arg.properties.some((p) => ts.isSpreadAssignment(p) || (!!p.name && names.test(p.name.getText())));
}

/** axios instances: `axios.create({ timeout })` carries its timeout; `axios.defaults.timeout = …` sets all. */
function axiosState(sf: ts.SourceFile, modules: ReadonlyMap<string, string>): { defaults: boolean; timed: Set<string> } {
  const state = { defaults: false, timed: new Set<string>() };
  // Only calls through axios read this state.
  if (![...modules.values()].includes('axios')) return state;
  nodesOfKind(sf, ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.VariableDeclaration).forEach((n) => {
    if (ts.isBinaryExpression(n) && /\.defaults\.timeout$/.test(n.left.getText())) state.defaults = true;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isCallExpression(n.initializer) && /\.create$/.test(n.initializer.expression.getText())) {
      const root = rootName(n.initializer.expression);
      if (root && modules.get(root) === 'axios' && optionsHaveTimeout(n.initializer.arguments[0], /^timeout$/)) state.timed.add(n.name.text);
    }
  });
  return state;
}

const AXIOS_DATA_METHODS = /^(post|put|patch|postForm|putForm|patchForm)$/;

function outbound(call: ts.CallExpression, modules: ReadonlyMap<string, string>, axios: { defaults: boolean; timed: Set<string> }): TsOutboundCall['client'] | undefined {
  const { object, method } = calleeParts(call);
  const e = call.expression;
  if (ts.isIdentifier(e) && e.text === 'fetch' && (!modules.has('fetch') || modules.get('fetch') === 'node-fetch')) {
    if (call.arguments.length === 0) return undefined;
    return optionsHaveTimeout(call.arguments[1], /^(signal|timeout)$/) ? undefined : 'fetch';
  }
  const root = ts.isIdentifier(e) ? e.text : rootName(object);
  const module = root ? modules.get(root) : undefined;
  if (module === 'axios' && !axios.defaults && !(root && axios.timed.has(root))) {
    if (ts.isIdentifier(e)) return optionsHaveTimeout(call.arguments[call.arguments.length === 1 && ts.isObjectLiteralExpression(call.arguments[0]) ? 0 : 1], /^timeout$/) ? undefined : 'axios';
    if (!method || !/^(get|delete|head|options|post|put|patch|request|postForm|putForm|patchForm)$/.test(method)) return undefined;
    const configAt = method === 'request' ? 0 : AXIOS_DATA_METHODS.test(method) ? 2 : 1;
    return optionsHaveTimeout(call.arguments[configAt], /^timeout$/) ? undefined : 'axios';
  }
  if (module === 'got' && (ts.isIdentifier(e) || /^(get|post|put|patch|delete|head)$/.test(method ?? ''))) {
    return optionsHaveTimeout(call.arguments[1], /^(timeout|signal)$/) ? undefined : 'got';
  }
  return undefined;
}

type Classified =
  | { kind: 'event-loop'; instead: string; module: string; form?: AsyncForm }
  | { kind: 'third-party'; instead: string; module: string }
  | { kind: 'untimed'; client: TsOutboundCall['client'] };

/** What a call does that holds a request up, wherever it is. */
function classify(n: ts.CallExpression, modules: ReadonlyMap<string, string>, axios: { defaults: boolean; timed: Set<string> }): Classified | undefined {
  const client = outbound(n, modules, axios);
  if (client) return { kind: 'untimed', client };
  const module = moduleOfCallee(n, modules);
  const { method } = calleeParts(n);
  if (!module || !method) return undefined;
  const sync = syncForm(module, method);
  if (sync) return { kind: 'event-loop', instead: sync.instead, module, form: sync.form };
  for (const [mod, methods, what] of SENDERS) {
    if (mod.test(module) && methods.test(method) && isAwaited(n)) {
      return { kind: 'third-party', instead: `a background job (a queue such as BullMQ) instead of the request (it waits on the ${what} provider)`, module };
    }
  }
  return undefined;
}

export interface TsEffects {
  blocking: TsBlockingCall[];
  untimed: TsOutboundCall[];
  /** Exported functions of this file that block, send or call out untimed, for other files' handlers. */
  helpers: EffectHelperFact[];
  /** Calls on request paths to functions imported from other files. */
  imports: RequestPathImportFact[];
}

/** The named class whose method `n` is in. */
function ownerClass(n: ts.Node): string | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return ownerClassName(p);
  return undefined;
}

function enclosingNamed(n: ts.Node): string | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return functionName(p);
  return undefined;
}

/** name → effects of the function, followed through the file's own calls (a few levels). */
function effectSummaries(sf: ts.SourceFile, direct: Array<{ call: ts.CallExpression; effect: EffectHelperFact }>): Map<string, EffectHelperFact[]> {
  const out = new Map<string, EffectHelperFact[]>();
  for (const { call, effect } of direct) {
    const name = enclosingNamed(call);
    if (name) out.set(name, [...(out.get(name) ?? []), { ...effect, name, chain: [name, effect.api] }]);
    // A method also by `Class.method`, for the classes it is injected into (`this.mailer.welcome(…)`).
    const owner = name ? ownerClass(call) : undefined;
    if (name && owner) {
      const key = `${owner}.${name}`;
      out.set(key, [...(out.get(key) ?? []), { ...effect, name: key, chain: [key, effect.api] }]);
    }
  }
  if (out.size === 0) return out;
  const calls: Array<{ call: ts.CallExpression; name: string }> = [];
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (!ts.isCallExpression(n)) return;
    if (ts.isIdentifier(n.expression)) calls.push({ call: n, name: n.expression.text });
    // `this.send(…)` in another method of the class.
    else if (ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword) calls.push({ call: n, name: n.expression.name.text });
  });
  for (let round = 0; round < 3; round++) {
    let grew = false;
    for (const { call, name } of calls) {
      const inner = out.get(name);
      const outer = inner && enclosingNamed(call);
      if (inner && outer && !out.has(outer)) {
        out.set(outer, inner.map((e) => ({ ...e, name: outer, chain: [outer, ...e.chain] })));
        const owner = ownerClass(call);
        if (owner && !out.has(`${owner}.${outer}`)) out.set(`${owner}.${outer}`, inner.map((e) => ({ ...e, name: `${owner}.${outer}`, chain: [`${owner}.${outer}`, ...e.chain] })));
        grew = true;
      }
    }
    if (!grew) break;
  }
  return out;
}

/**
 * The file's blocking calls, outbound calls and helpers' effects. `more` are effects found by other
 * fact builders (reads of every row: result-sets.ts), which helpers pass on like their own.
 */
export function blockingCalls(sf: ts.SourceFile, imports: FileImports, reach: ReadonlyMap<ts.Node, HandlerReach>, more: ReadonlyArray<{ call: ts.CallExpression; effect: EffectHelperFact }> = []): TsEffects {
  const out: TsEffects = { blocking: [], untimed: [], helpers: [], imports: [] };
  const modules = derivedModules(sf, imports);
  const axios = axiosState(sf, modules);
  const direct: Array<{ call: ts.CallExpression; effect: EffectHelperFact }> = [...more];
  const imported = relativeImports(sf);
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (!ts.isCallExpression(n)) return;
    const c = classify(n, modules, axios);
    const path = reach.size ? requestPathOf(n, reach) : undefined;
    if (!c && !path) return;
    const api = n.expression.getText();
    if (c) direct.push({ call: n, effect: { name: '', chain: [], kind: c.kind, api, instead: 'instead' in c ? c.instead : undefined, client: c.kind === 'untimed' ? c.client : undefined } });
    if (!path) return;
    const { handler, chain } = path.reach;
    const base = { start: n.expression.getStart(), end: n.expression.getEnd(), api, handler: handler.fact, chain };
    const local = ts.isIdentifier(n.expression) ? n.expression.text : undefined;
    const target = local ? imported.get(local) : undefined;
    if (local && target) out.imports.push({ ...base, local, imported: target.name, module: target.module });
    // `this.mailer.welcome(…)`: a method of the imported class the property is typed with.
    const injected = ts.isPropertyAccessExpression(n.expression) ? injectedType(n.expression.expression) : undefined;
    const from = injected ? imported.get(injected) : undefined;
    if (from && ts.isPropertyAccessExpression(n.expression)) out.imports.push({ ...base, local: api, imported: `${from.name}.${n.expression.name.text}`, module: from.module });
    if (!c) return;
    if (c.kind === 'untimed') out.untimed.push({ ...base, client: c.client, call: n });
    else out.blocking.push({ ...base, kind: c.kind, instead: c.instead, call: n, fn: path.fn, isHandler: path.fn === handler.fn, module: c.module, form: c.kind === 'event-loop' ? c.form : undefined });
  });
  const exported = exportedNames(sf);
  for (const [name, effects] of effectSummaries(sf, direct)) if (isExportedName(exported, name)) out.helpers.push(...effects);
  return out;
}

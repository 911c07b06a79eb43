/**
 * Calls on a Python request path that hold the request up: synchronous I/O in an `async def`
 * handler (`requests`, `urllib`, sync `httpx`, `time.sleep`, `subprocess`, `open()`, boto3), which
 * blocks the event loop and every request on it, and sends to email/SMS providers in any handler.
 * Also outbound HTTP without a timeout (`requests` has none by default; neither has `urlopen`).
 * Plain `def` handlers are left alone for blocking I/O: Django, Flask and FastAPI (in its thread
 * pool) run them in threads.
 */
import type { BlockingCallFact, EffectHelperFact, OutboundCallFact, RequestPathImportFact } from '../facts';
import type { ModuleImports } from './helpers';
import { isAsync, requestPathOf, type PyReach } from './handlers';
import { headName, namesKey, qualifiedName, type ModuleNames } from './imports';
import { throughVariables } from './item-access';
import { args, field, keywordArg, moduleFunction, nodesOfTypes, visitNodesOfTypes, walk, type Node } from './tree';

export interface PyBlockingCall extends BlockingCallFact {
  /** Offsets of the whole call, its callee, and the qualified name (`time.sleep`). */
  callStart: number;
  callEnd: number;
  qualified: string;
  /** The call is directly in the async handler's body (not in a helper or a nested function): `await` can go there. */
  direct: boolean;
  /** The call (awaited or not) is a statement of its own: its result is not used. */
  statement: boolean;
  framework: string;
}

export interface PyOutboundCall extends OutboundCallFact {
  /** Where `, timeout=…` goes: after the last argument; none where the call cannot take keywords (`run_in_executor`). */
  insertAt?: number;
}

/** Synchronous calls that block an event loop, by qualified name, with what to use instead. */
const SYNC_IO: Array<[RegExp, string]> = [
  [/^time\.sleep$/, '`await asyncio.sleep(…)`'],
  [/^requests\.(get|post|put|patch|delete|head|options|request)$/, '`await asyncio.to_thread(…)`, or an async client (`httpx.AsyncClient`, aiohttp)'],
  [/^urllib\.request\.urlopen$|^urllib3\.request$/, '`await asyncio.to_thread(…)`, or an async client (`httpx.AsyncClient`, aiohttp)'],
  [/^httpx\.(get|post|put|patch|delete|head|options|request|stream)$/, '`httpx.AsyncClient` with `await`'],
  [/^subprocess\.(run|call|check_call|check_output)$/, '`await asyncio.create_subprocess_exec(…)`, or `await asyncio.to_thread(…)`'],
  [/^open$/, '`await asyncio.to_thread(…)` for the file work, or `aiofiles`'],
  [/^(psycopg2|sqlite3|pymysql|MySQLdb)\.connect$/, 'an async driver (asyncpg, aiosqlite, aiomysql), or `await asyncio.to_thread(…)`'],
];

/** Objects whose methods are all synchronous network calls: sessions and clients of sync libraries. */
const SYNC_CLIENTS = /^(requests\.(Session|session)|httpx\.Client|boto3\.(client|resource)|redis\.(Redis|StrictRedis|from_url))$/;

/** Sends to third parties, by qualified name or by method on a client made from the module. */
const SENDERS: Array<[RegExp, string]> = [
  [/^django\.core\.mail\.(send_mail|send_mass_mail|mail_admins|mail_managers)$/, 'email'],
  [/^smtplib\.SMTP(_SSL)?\.(sendmail|send_message)$/, 'email'],
  [/^sendgrid\.SendGridAPIClient\.send$/, 'email'],
  [/^twilio\.rest\.Client\.messages\.create$/, 'SMS'],
  [/^boto3\.client\.(send_email|send_raw_email|publish)$/, 'notification'],
  [/^flask_mail\.Mail\.send$/, 'email'],
  [/^resend\.Emails\.send$/, 'email'],
  [/^firebase_admin\.messaging\.(send|send_all|send_each|send_multicast)$/, 'push notification'],
  [/^pywebpush\.webpush$/, 'push notification'],
];

/** Local names bound to clients: `session = requests.Session()`, `mail = Mail(app)`, `s3 = boto3.client("s3")`. */
function clientNames(root: Node, names: ModuleNames): Map<string, string> {
  const out = new Map<string, string>();
  const client = (n: Node): string | undefined => {
    const left = field(n, 'left');
    const right = field(n, 'right');
    return left && right?.type === 'call' ? qualifiedName(field(right, 'function')!, names) : undefined;
  };
  // Only the names decide (visitNodesOfTypes): after an edit, the assignments of the other statements are not read again.
  for (const n of visitNodesOfTypes(root, ['assignment'], 'blocking:clients', 'statement', namesKey(names), (n) => !!client(n))) out.set(field(n, 'left')!.text, client(n)!);
  return out;
}

/**
 * The names an `as` binds anywhere in the module (`with … as smtp`, and `except`/`case` ones: more
 * than needed): a callee whose first name is not one of them has no `with` binding to look for.
 */
function asNames(root: Node): Set<string> {
  const out = new Set<string>();
  for (const n of visitNodesOfTypes(root, ['as_pattern'], 'blocking:as', 'statement', '', (n) => !!field(n, 'alias'))) out.add(field(n, 'alias')!.text);
  return out;
}

/** `session.get` → `requests.Session.get`; `smtp.sendmail` → `smtplib.SMTP.sendmail`; else the import-qualified name. */
function resolveCallee(call: Node, names: ModuleNames, clients: ReadonlyMap<string, string>, bound: ReadonlySet<string>): string | undefined {
  const f = field(call, 'function');
  return f ? resolveFunction(f, call, names, clients, bound) : undefined;
}

/** What a function expression (`f` of `f(…)`, or one passed as a value) names, as `resolveCallee` says; `at`: where it is used. */
function resolveFunction(f: Node, at: Node, names: ModuleNames, clients: ReadonlyMap<string, string>, bound: ReadonlySet<string>): string | undefined {
  const direct = qualifiedName(f, names);
  // `from .extensions import mail` (an app factory's Mail()) then `mail.send(Message(…))`: the
  // message says whose send it is.
  if (direct && /\.send$/.test(direct) && !direct.startsWith('flask_mail.')) {
    const first = at.type === 'call' && field(at, 'function')?.id === f.id ? args(at)[0] : undefined;
    const message = first && throughVariables(first, (e) => (e.type === 'call' ? qualifiedName(field(e, 'function')!, names) : undefined));
    if (message === 'flask_mail.Message') return 'flask_mail.Mail.send';
  }
  if (direct) return direct;
  if (f.type === 'identifier' && f.text === 'open') return 'open';
  // `with smtplib.SMTP(host) as smtp:` binds a client too.
  if (f.type === 'attribute') {
    // `smtplib.SMTP(host).sendmail(…)`, `requests.Session().get(…)`: a method of a client made in place.
    const object = field(f, 'object');
    if (object?.type === 'call') {
      const made = qualifiedName(field(object, 'function')!, names);
      if (made) return `${made}.${field(f, 'attribute')?.text ?? ''}`;
    }
    const text = f.text;
    for (const [local, made] of clients) if (text[local.length] === '.' && text.startsWith(local)) return `${made}${text.slice(local.length)}`;
    const head = headName(f);
    if (head && bound.has(head.text)) {
      const withItem = withBinding(at, head.text, names);
      if (withItem) return `${withItem}${text.slice(head.text.length)}`;
    }
  }
  return undefined;
}

function withBinding(node: Node, name: string, names: ModuleNames): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'with_statement') {
      let found: string | undefined;
      walk(p.namedChildren[0] ?? p, (n) => {
        if (n.type === 'as_pattern' && field(n, 'alias')?.text === name) {
          const value = n.namedChildren[0];
          if (value?.type === 'call') found = qualifiedName(field(value, 'function')!, names);
        }
      });
      if (found) return found;
    }
    if (p.type === 'function_definition') break;
  }
  return undefined;
}

/**
 * A synchronous function handed to a thread with its arguments: `asyncio.to_thread(requests.get,
 * url)` and asgiref's `sync_to_async(requests.get)(url)` pass keywords on to it (`timeout=` can go
 * there), `loop.run_in_executor(None, requests.get, url)` takes positional arguments only. The
 * thread makes the same request, with no more timeout than before.
 */
interface HandedToThread {
  /** The function passed (`requests.get`). */
  fn: Node;
  /** Whether keyword arguments reach the function, and how many positional arguments of the call come before its own. */
  keywords: boolean;
  skip: number;
}

function handedToThread(n: Node, names: ModuleNames): HandedToThread | undefined {
  const f = field(n, 'function');
  if (!f) return undefined;
  const list = args(n);
  if (f.type === 'call') {
    const inner = field(f, 'function');
    const fn = args(f)[0];
    return inner && fn && qualifiedName(inner, names) === 'asgiref.sync.sync_to_async' ? { fn, keywords: true, skip: 0 } : undefined;
  }
  if (f.type !== 'attribute') return undefined;
  const method = field(f, 'attribute')?.text;
  if (method === 'to_thread' && list[0] && qualifiedName(f, names) === 'asyncio.to_thread') return { fn: list[0], keywords: true, skip: 1 };
  if (method === 'run_in_executor' && list[1]) return { fn: list[1], keywords: false, skip: 2 };
  return undefined;
}

function isAwaited(call: Node): boolean {
  return call.parent?.type === 'await';
}

function innermostFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p;
  return undefined;
}

/** `skip`: positional arguments of the call before the requesting function's own (`to_thread(urlopen, …)`). */
function timeoutGiven(call: Node, qualified: string, skip: number): boolean {
  if (keywordArg(call, 'timeout')) return true;
  // urlopen(url, data, timeout): positional.
  if (/urlopen$/.test(qualified) && args(call).filter((a) => a.type !== 'keyword_argument').length - skip >= 3) return true;
  return false;
}

type Classified =
  | { kind: 'untimed'; client: 'requests' | 'urllib' }
  | { kind: 'third-party'; what: string }
  | { kind: 'sync-io'; instead: string };

/** What a call does that can hold a request up, wherever it is. */
function classify(n: Node, qualified: string, clients: ReadonlyMap<string, string>, skip = 0): Classified[] {
  const out: Classified[] = [];
  const http = /^requests\.(get|post|put|patch|delete|head|options|request)$|^requests\.(Session|session)\.(get|post|put|patch|delete|head|options|request)$/.test(qualified)
    ? 'requests'
    : /^urllib\.request\.urlopen$/.test(qualified) ? 'urllib' : undefined;
  // A `**kwargs` splat may carry the timeout.
  if (http && !timeoutGiven(n, qualified, skip) && !args(n).some((a) => a.type === 'dictionary_splat')) out.push({ kind: 'untimed', client: http });
  const sender = SENDERS.find(([re]) => re.test(qualified));
  if (sender) return [...out, { kind: 'third-party', what: sender[1] }];
  const clientCall = [...clients.values()].some((c) => SYNC_CLIENTS.test(c) && qualified.startsWith(`${c}.`)) || /^boto3\.(client|resource)\.\w+$/.test(qualified);
  const sync = SYNC_IO.find(([re]) => re.test(qualified));
  if (sync || clientCall) out.push({ kind: 'sync-io', instead: sync?.[1] ?? "`await asyncio.to_thread(…)`, or the library's async client" });
  return out;
}

export interface PyEffects {
  blocking: PyBlockingCall[];
  untimed: PyOutboundCall[];
  helpers: EffectHelperFact[];
  imports: RequestPathImportFact[];
}

function backgroundJob(framework: string, what: string): string {
  return `a background job (a Celery or RQ task${framework === 'fastapi' ? ', or FastAPI `BackgroundTasks`' : ''}) instead of the request (it waits on the ${what} provider)`;
}

/** Module-level function name → its effects (with the call that has them), followed through the module's own calls. */
function effectSummaries(root: Node, direct: Array<{ call: Node; effect: EffectHelperFact }>): EffectHelperFact[] {
  const by = new Map<string, EffectHelperFact[]>();
  const at = (call: Node, fn: Node) => ({ start: field(call, 'function')!.startIndex, end: field(call, 'function')!.endIndex, async: isAsync(fn) });
  for (const { call, effect } of direct) {
    const fn = moduleFunction(call);
    const name = fn && field(fn, 'name')?.text;
    if (fn && name) by.set(name, [...(by.get(name) ?? []), { ...effect, name, chain: [name, effect.api], ...at(call, fn) }]);
  }
  if (by.size === 0) return [];
  const calls: Node[] = [];
  nodesOfTypes(root, ['call']).forEach((n) => {
    if (n.type === 'call' && field(n, 'function')?.type === 'identifier') calls.push(n);
  });
  for (let round = 0; round < 3; round++) {
    let grew = false;
    for (const call of calls) {
      const inner = by.get(field(call, 'function')!.text);
      const fn = inner && moduleFunction(call);
      const outer = fn && field(fn, 'name')?.text;
      if (inner && fn && outer && !by.has(outer)) {
        by.set(outer, inner.map((e) => ({ ...e, name: outer, chain: [outer, ...e.chain], ...at(call, fn) })));
        grew = true;
      }
    }
    if (!grew) break;
  }
  return [...by.values()].flat();
}

/** The module's blocking and untimed calls, and its helpers' effects; `more` are effects other fact builders found (reads of every row: result-sets.ts). */
export function pythonBlockingCalls(root: Node, names: ModuleNames, { imported, modules }: ModuleImports, reach: ReadonlyMap<number, PyReach>, more: ReadonlyArray<{ call: Node; effect: EffectHelperFact }> = []): PyEffects {
  const out: PyEffects = { blocking: [], untimed: [], helpers: [], imports: [] };
  const clients = clientNames(root, names);
  const bound = asNames(root);
  const direct: Array<{ call: Node; effect: EffectHelperFact }> = [];
  /** Whether the call has effects, or calls a function of another module of the project from a module with handlers: the calls anything is said of. */
  const visit = (n: Node): boolean => {
    // `await asyncio.to_thread(requests.get, url)`: not blocking, but as untimed as the call it runs.
    const thread = handedToThread(n, names);
    const threaded = thread && resolveFunction(thread.fn, n, names, clients, bound);
    if (!threaded && isAwaited(n)) return false;
    const qualified = threaded || resolveCallee(n, names, clients, bound);
    const f = thread && threaded ? thread.fn : field(n, 'function')!;
    const effects = qualified ? classify(n, qualified, clients, threaded ? thread.skip : 0).filter((e) => !threaded || e.kind === 'untimed') : [];
    for (const e of effects) {
      direct.push({ call: n, effect: { name: '', chain: [], api: f.text, kind: e.kind, client: e.kind === 'untimed' ? e.client : undefined, instead: e.kind === 'sync-io' ? e.instead : e.kind === 'third-party' ? backgroundJob('', e.what) : undefined } });
    }
    // `send_welcome(user)` imported from a module, or `emails.send_welcome(user)` on one.
    const owner = f.type === 'attribute' ? field(f, 'object')?.text : undefined;
    const module = owner ? modules.get(owner) : undefined;
    // A function handed to a thread blocks no loop: only its request's timeout is looked at.
    const target = threaded ? undefined : f.type === 'identifier' ? imported.get(f.text) : module ? { module, name: field(f, 'attribute')!.text } : undefined;
    const path = reach.size && (effects.length || target) ? requestPathOf(n, reach) : undefined;
    if (path) {
      const { handler, chain } = path.reach;
      const base = { start: f.startIndex, end: f.endIndex, api: f.text, handler: handler.fact, chain };
      if (target) out.imports.push({ ...base, local: f.text, imported: target.name, module: target.module });
      const holder = n.parent?.type === 'await' ? n.parent.parent : n.parent;
      const at = { callStart: n.startIndex, callEnd: n.endIndex, qualified: qualified ?? f.text, framework: handler.fact.framework, statement: holder?.type === 'expression_statement' };
      for (const e of effects) {
        if (e.kind === 'untimed') {
          const list = field(n, 'arguments');
          const last = list?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').pop();
          const keywords = !threaded || thread.keywords;
          out.untimed.push({ ...base, client: e.client, insertAt: !keywords ? undefined : last ? last.endIndex : (list?.startIndex ?? n.endIndex - 1) + 1 });
        } else if (e.kind === 'third-party') {
          out.blocking.push({ ...base, ...at, kind: 'third-party', instead: backgroundJob(handler.fact.framework, e.what), direct: innermostFunction(n)?.id === handler.fn.id });
        } else if (isAsync(handler.fn)) {
          // Blocking I/O matters where an event loop runs it: an async handler, and what it calls synchronously.
          out.blocking.push({ ...base, ...at, kind: 'sync-in-async', instead: e.instead, direct: innermostFunction(n)?.id === handler.fn.id });
        }
      }
    }
    return effects.length > 0 || (reach.size > 0 && !!target);
  };
  // What a call is depends on the module's names, clients and `as` names, and on the call's own
  // function (a message followed to its assignment): after an edit, the functions it did not touch
  // are visited only where a call had effects (visitNodesOfTypes); whether it is on a request path
  // is asked of those again.
  const context = `${reach.size > 0}\n${namesKey(names)}\n${JSON.stringify([...clients])}\n${[...bound].join(',')}\n${JSON.stringify([...imported])}\n${JSON.stringify([...modules])}`;
  visitNodesOfTypes(root, ['call'], 'blocking:calls', 'function', context, visit);
  out.helpers = effectSummaries(root, [...direct, ...more]);
  return out;
}

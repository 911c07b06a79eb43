/**
 * Stores that live as long as the process and grow with input: module-level (or singleton
 * service) `Map`/`Set`/`{}`/arrays written with keys from function arguments and never evicted,
 * unbounded memoizers (`_.memoize`, `memoizee` without `max`, `new NodeCache()` without a TTL), and
 * Redis keys built from input and written without an expiry.
 */
import ts from 'typescript';
import { BOUNDED_KEY, CACHE_NAME, CONSTANT_NAME, DECORATED_PARAMETER, REGISTRY_NAME } from '../cache-names';
import type { CacheFact } from '../facts';
import type { FileImports } from './imports';
import { requestPathOf, type HandlerReach } from './handlers';
import { nodesOfKind, walk } from './walk';

export interface TsCacheFact extends CacheFact {
  /** The expression that creates the store (`new Map<string, User>()`, `memoizee(fn)`, the `set` call). */
  init: ts.Expression;
  /** The declaration's type annotation (`Map<string, User>`), which the fix must change too. */
  typeNode?: ts.TypeNode;
  /** ioredis or node-redis, for the form of the expiry argument. */
  redis?: 'ioredis' | 'node-redis';
  /** The memoizer's package: `memoizee` takes a `max` option, lodash's memoize has none. */
  library?: string;
}

type Store = { name: string; kind: 'map' | 'set' | 'object' | 'list'; init: ts.Expression; typeNode?: ts.TypeNode; decl: ts.Node; member: boolean };

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function storeKind(init: ts.Expression): Store['kind'] | undefined {
  const e = unwrap(init);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && (e.arguments?.length ?? 0) === 0) {
    if (e.expression.text === 'Map') return 'map';
    if (e.expression.text === 'Set') return 'set';
  }
  // An empty object or array: a constant lookup table has entries written in place.
  if (ts.isObjectLiteralExpression(e) && e.properties.length === 0) return 'object';
  if (ts.isCallExpression(e) && e.expression.getText() === 'Object.create' && e.arguments[0]?.kind === ts.SyntaxKind.NullKeyword) return 'object';
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 0) return 'list';
  return undefined;
}

/** A class whose one instance lives as long as the process: a NestJS provider, a TypeDI/Inversify service. */
function isSingletonClass(cls: ts.ClassLikeDeclaration): boolean {
  return (ts.getDecorators(cls) ?? []).some((d) => /^(Injectable|Service|injectable|singleton)\b/.test(d.expression.getText()));
}

function moduleStores(sf: ts.SourceFile): Store[] {
  const out: Store[] = [];
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const kind = d.initializer && storeKind(d.initializer);
        if (kind && ts.isIdentifier(d.name)) out.push({ name: d.name.text, kind, init: d.initializer!, typeNode: d.type, decl: d, member: false });
      }
    }
    if (ts.isClassDeclaration(st) && isSingletonClass(st)) {
      for (const m of st.members) {
        const kind = ts.isPropertyDeclaration(m) && m.initializer && !ts.getModifiers(m)?.some((k) => k.kind === ts.SyntaxKind.StaticKeyword) ? storeKind(m.initializer) : undefined;
        if (kind && ts.isPropertyDeclaration(m)) out.push({ name: m.name.getText(), kind, init: m.initializer!, typeNode: m.type, decl: m, member: true });
      }
    }
  }
  return out;
}

/** `cache` or `this.cache`: the expression names the store. */
function names(e: ts.Expression, store: Store): boolean {
  e = unwrap(e);
  if (store.member) return ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && e.name.text === store.name;
  return ts.isIdentifier(e) && e.text === store.name;
}

function isConstantKey(e: ts.Expression): boolean {
  e = unwrap(e);
  return ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword;
}

function inFunction(n: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p) && 'body' in p) return p as ts.FunctionLikeDeclaration;
  return undefined;
}

interface Usage {
  write?: { node: ts.Node; key: ts.Expression; fn: ts.FunctionLikeDeclaration };
  evicted: boolean;
  iterated: boolean;
  /** Functions that read the store (`get`/`has`/`[k]`): with a write there, the get-or-compute shape of a cache. */
  readers: Set<ts.Node>;
}

/** `??=` and `||=` write an entry that is missing (or falsy). */
const FILL_OPERATORS = new Set([ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);
const EVICTING_METHODS = /^(delete|clear|splice|shift|pop|length)$/;
const ITERATING_METHODS = /^(forEach|keys|values|entries|map|filter|reduce|some|every|find)$/;

/** What `n` does to `store` (one of the stores it names), into `u`. */
function recordUse(n: ts.Node, store: Store, u: Usage): void {
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && names(n.expression.expression, store)) {
    const method = n.expression.name.text;
    const fn = inFunction(n);
    if (/^(set|add|push|unshift)$/.test(method) && fn && n.arguments[0] && !isConstantKey(n.arguments[0])) u.write ??= { node: n, key: n.arguments[0], fn };
    else if (EVICTING_METHODS.test(method)) u.evicted = true;
    else if (ITERATING_METHODS.test(method)) u.iterated = true;
    else if (/^(get|has|includes|indexOf)$/.test(method) && fn) u.readers.add(fn);
  } else if (ts.isPropertyAccessExpression(n) && names(n.expression, store)) {
    // `cache.size > 1000`, `list.length >= MAX`: a bound is checked somewhere.
    if (/^(size|length)$/.test(n.name.text) && ts.isBinaryExpression(n.parent) && /[<>]/.test(n.parent.operatorToken.getText())) u.evicted = true;
    if (n.name.text === 'length' && ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) u.evicted = true;
  } else if (ts.isElementAccessExpression(n) && names(n.expression, store)) {
    const fn = inFunction(n);
    const p = n.parent;
    if (ts.isDeleteExpression(p)) u.evicted = true;
    else if (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (fn && !isConstantKey(n.argumentExpression)) u.write ??= { node: p, key: n.argumentExpression, fn };
    } else if (ts.isBinaryExpression(p) && p.left === n && FILL_OPERATORS.has(p.operatorToken.kind)) {
      // `memo[k] ??= load(k)`: reads the entry and writes it when missing, the get-or-compute of a cache.
      if (fn && !isConstantKey(n.argumentExpression)) u.write ??= { node: p, key: n.argumentExpression, fn };
      if (fn) u.readers.add(fn);
    } else if (fn) u.readers.add(fn);
  } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && names(n.left, store) && inFunction(n)) {
    u.evicted = true; // reassigned: emptied on some schedule
  } else if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && names(n.expression, store)) u.iterated = true;
  else if (ts.isSpreadElement(n) && names(n.expression, store)) u.iterated = true;
  else if (ts.isCallExpression(n) && /^(Array\.from|Object\.(keys|values|entries))$/.test(n.expression.getText()) && n.arguments[0] && names(n.arguments[0], store)) {
    u.iterated = true;
    // `Object.keys(cache).length > MAX`
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name.text === 'length' && ts.isBinaryExpression(n.parent.parent)) u.evicted = true;
  } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.InKeyword && names(n.right, store)) {
    const fn = inFunction(n);
    if (fn) u.readers.add(fn);
  }
}

/**
 * How each store is used, from one walk of the file for all of them. Each case of `recordUse`
 * needs one of a few expressions of the node to name the store: only the stores those name are
 * tried.
 */
function usages(sf: ts.SourceFile, stores: readonly Store[]): Map<Store, Usage> {
  const out = new Map<Store, Usage>();
  const byName = new Map<string, Store[]>();
  for (const store of stores) {
    out.set(store, { evicted: false, iterated: false, readers: new Set() });
    const key = store.member ? `this.${store.name}` : store.name;
    const same = byName.get(key);
    if (same) same.push(store);
    else byName.set(key, [store]);
  }
  const candidates: Store[] = [];
  const named = (e: ts.Expression | undefined): void => {
    if (!e) return;
    e = unwrap(e);
    const key = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword ? `this.${e.name.text}` : undefined;
    for (const store of (key !== undefined && byName.get(key)) || []) if (!candidates.includes(store)) candidates.push(store);
  };
  walk(sf, (n) => {
    candidates.length = 0;
    if (ts.isCallExpression(n)) {
      if (ts.isPropertyAccessExpression(n.expression)) named(n.expression.expression);
      named(n.arguments[0]);
    } else if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isSpreadElement(n)) named(n.expression);
    else if (ts.isBinaryExpression(n)) {
      named(n.left);
      named(n.right);
    }
    for (const store of candidates) recordUse(n, store, out.get(store)!);
  });
  return out;
}

/** The last name in a key expression: `id` in `post.id`, `cacheKey`. */
function keyName(key: ts.Expression): string {
  const k = unwrap(key);
  if (ts.isIdentifier(k)) return k.text;
  if (ts.isPropertyAccessExpression(k)) return k.name.text;
  return '';
}

function collectionCaches(sf: ts.SourceFile, reach: ReadonlyMap<ts.Node, HandlerReach>): TsCacheFact[] {
  const out: TsCacheFact[] = [];
  const stores = moduleStores(sf);
  if (stores.length === 0) return out;
  const used = usages(sf, stores);
  for (const store of stores) {
    const u = used.get(store)!;
    if (!u.write || u.evicted) continue;
    // A cache reads before it writes, or says so in its name, or fills per request; a registry does none of these.
    const getOrSet = u.readers.has(u.write.fn);
    const onRequestPath = !!requestPathOf(u.write.node, reach) || reach.has(u.write.fn);
    const cacheNamed = CACHE_NAME.test(store.name);
    if (!cacheNamed && (REGISTRY_NAME.test(store.name) || CONSTANT_NAME.test(store.name))) continue;
    if (BOUNDED_KEY.test(keyName(u.write.key))) continue;
    if (registersItsArgument(u.write.fn, u.write.node)) continue;
    if (runsInBrowser(u.write.node)) continue;
    // A set or list with a membership check is a de-duplication guard unless it says it caches or fills per request.
    const grows = store.kind === 'set' || store.kind === 'list' ? cacheNamed || onRequestPath : getOrSet || cacheNamed || onRequestPath;
    if (!grows) continue;
    const nameNode = ts.isVariableDeclaration(store.decl) || ts.isPropertyDeclaration(store.decl) ? store.decl.name : store.decl;
    out.push({
      start: nameNode.getStart(),
      end: nameNode.getEnd(),
      name: store.member ? `this.${store.name}` : store.name,
      kind: store.kind,
      write: { start: u.write.node.getStart(), end: u.write.node.getEnd(), text: u.write.node.getText() },
      iterated: u.iterated,
      init: store.init,
      typeNode: store.typeNode,
    });
  }
  return out;
}

/** React's hooks whose callbacks run after render, in the browser: server rendering runs none. */
const BROWSER_EFFECTS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect']);
/** Receivers of `addEventListener` that exist only in a browser (a Node `EventTarget` is anything else). */
const BROWSER_TARGETS = /^(window|document|self)\b|\.current$/;

/**
 * Code that runs only in a browser: an effect's callback, a listener of the page's events
 * (`document.addEventListener`, an element's from a React ref), a JSX element's event handler
 * (`onClick={…}`). A store filled there lives as long as the page, not as the server process.
 * A store a component fills while it renders is not: server rendering runs that too.
 */
function runsInBrowser(write: ts.Node): boolean {
  for (let fn = write.parent; fn; fn = fn.parent) {
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) continue;
    const holder = fn.parent;
    if (ts.isCallExpression(holder) && holder.arguments.includes(fn)) {
      const callee = holder.expression;
      if (ts.isIdentifier(callee) && BROWSER_EFFECTS.has(callee.text)) return true;
      if (ts.isPropertyAccessExpression(callee) && BROWSER_EFFECTS.has(callee.name.text) && callee.expression.getText() === 'React') return true;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'addEventListener' && BROWSER_TARGETS.test(callee.expression.getText())) return true;
    }
    if (ts.isJsxExpression(holder) && ts.isJsxAttribute(holder.parent) && /^on[A-Z]/.test(holder.parent.name.getText())) return true;
  }
  return false;
}

/**
 * A decorator that registers what it decorates: `(target) => { entities.push(target); return
 * target; }`. It runs once per decorated class or member, when the module loads: the store has as
 * many entries as the code has definitions (the parameter named so: DECORATED_PARAMETER).
 */
function registersItsArgument(fn: ts.FunctionLikeDeclaration, write: ts.Node): boolean {
  const params = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) && DECORATED_PARAMETER.test(p.name.text) ? [p.name.text] : [])));
  if (params.size === 0 || !fn.body) return false;
  let returned: string | undefined;
  if (ts.isBlock(fn.body)) {
    walk(fn.body, (n) => {
      if (n !== fn.body && ts.isFunctionLike(n)) return false;
      if (ts.isReturnStatement(n) && n.expression && ts.isIdentifier(n.expression) && params.has(n.expression.text)) returned = n.expression.text;
      return undefined;
    });
  }
  if (!returned) return false;
  let mentioned = false;
  walk(write, (n) => {
    if (ts.isIdentifier(n) && n.text === returned) mentioned = true;
  });
  return mentioned;
}

function optionNames(arg: ts.Expression | undefined): Set<string> | undefined {
  if (!arg) return new Set();
  if (!ts.isObjectLiteralExpression(arg)) return undefined; // options we cannot see
  return new Set(arg.properties.map((p) => p.name?.getText() ?? '...'));
}

/** `_.memoize(fn)`, `memoize(fn)` from lodash, `memoizee(fn)` without `max`, `new NodeCache()` without a TTL, at module level. */
function memoizers(sf: ts.SourceFile, modules: ReadonlyMap<string, string>): TsCacheFact[] {
  const out: TsCacheFact[] = [];
  const topLevel = (n: ts.Node) => !inFunction(n);
  nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression).forEach((n) => {
    if (ts.isCallExpression(n) && topLevel(n)) {
      const e = n.expression;
      const root = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) ? e.expression.text : undefined;
      const module = root ? modules.get(root) : undefined;
      const method = ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
      const lodash = module && /^(lodash|lodash-es|underscore)$/.test(module) ? method === 'memoize' || (ts.isIdentifier(e) && e.text === 'memoize') : module === 'lodash.memoize';
      const memoizee = module === 'memoizee' && ts.isIdentifier(e);
      if (lodash || memoizee) {
        const opts = optionNames(n.arguments[1]);
        if (memoizee && (!opts || opts.has('max') || opts.has('maxAge') || opts.has('...'))) return;
        out.push({ start: e.getStart(), end: e.getEnd(), name: e.getText(), kind: 'memoize', init: n, library: module });
      }
    }
    if (ts.isNewExpression(n) && topLevel(n) && ts.isIdentifier(n.expression) && /^(node-cache)$/.test(modules.get(n.expression.text) ?? '')) {
      const opts = optionNames(n.arguments?.[0]);
      if (!opts || opts.has('stdTTL') || opts.has('maxKeys') || opts.has('...')) return;
      out.push({ start: n.expression.getStart(), end: n.expression.getEnd(), name: n.expression.text, kind: 'node-cache', init: n });
    }
  });
  return out;
}

/** An expression built from input: a template or concatenation with a non-constant part, or a parameter. */
function dynamicKey(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  e = unwrap(e);
  if (ts.isTemplateExpression(e)) return true;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return !isConstantKey(e.left) || !isConstantKey(e.right);
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isCallExpression(e);
}

const EXPIRY_ARG = /^['"`](EX|PX|EXAT|PXAT|KEEPTTL)['"`]$/i;

/** Redis `set(key, value)` (and `hset`) with a key from input, no expiry, and no `expire` on that key. */
function redisWrites(sf: ts.SourceFile, modules: ReadonlyMap<string, string>): TsCacheFact[] {
  const out: TsCacheFact[] = [];
  const redisNames = new Map<string, 'ioredis' | 'node-redis'>();
  for (const [name, module] of modules) {
    if (module === 'ioredis') redisNames.set(name, 'ioredis');
    if (module === 'redis' || module === '@redis/client') redisNames.set(name, 'node-redis');
  }
  if (redisNames.size === 0) return out;
  // Clients made from the import: `const redis = new Redis()`, `const client = createClient()`.
  nodesOfKind(sf, ts.SyntaxKind.VariableDeclaration).forEach((n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      let init = unwrap(n.initializer);
      if (ts.isAwaitExpression(init)) init = unwrap(init.expression);
      if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'connect') init = init.expression.expression;
      const callee = ts.isNewExpression(init) || ts.isCallExpression(init) ? init.expression : undefined;
      const root = callee && (ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined);
      const kind = root ? redisNames.get(root) : undefined;
      if (kind) redisNames.set(n.name.text, kind);
    }
  });
  const expired = new Set<string>();
  const writes: Array<{ call: ts.CallExpression; kind: 'ioredis' | 'node-redis' }> = [];
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
    const obj = n.expression.expression;
    const kind = ts.isIdentifier(obj) ? redisNames.get(obj.text) : ts.isPropertyAccessExpression(obj) ? redisNames.get(obj.name.text) : undefined;
    if (!kind) return;
    const method = n.expression.name.text;
    if (/^(expire|pExpire|pexpire|expireAt|expireat)$/.test(method) && n.arguments[0]) expired.add(n.arguments[0].getText());
    if (/^(set|hSet|hset|hmset|hMSet|sadd|sAdd|lpush|lPush|rpush|rPush|zadd|zAdd)$/.test(method) && inFunction(n) && dynamicKey(n.arguments[0])) writes.push({ call: n, kind });
  });
  for (const { call, kind } of writes) {
    const key = call.arguments[0].getText();
    if (expired.has(key)) continue;
    const method = (call.expression as ts.PropertyAccessExpression).name.text;
    if (/^set$/.test(method)) {
      const rest = call.arguments.slice(2);
      if (rest.some((a) => EXPIRY_ARG.test(a.getText()) || (ts.isObjectLiteralExpression(a) && a.properties.some((p) => /^(EX|PX|EXAT|PXAT|KEEPTTL|expiration)$/i.test(p.name?.getText() ?? ''))) || !(ts.isObjectLiteralExpression(a) || ts.isStringLiteral(a)))) continue;
    }
    out.push({ start: call.expression.getStart(), end: call.expression.getEnd(), name: key, kind: 'redis-key', init: call, redis: kind, write: { start: call.getStart(), end: call.getEnd(), text: call.getText() } });
  }
  return out;
}

export function unboundedCaches(sf: ts.SourceFile, imports: FileImports, reach: ReadonlyMap<ts.Node, HandlerReach>): TsCacheFact[] {
  return [...collectionCaches(sf, reach), ...memoizers(sf, imports.names), ...redisWrites(sf, imports.names)];
}

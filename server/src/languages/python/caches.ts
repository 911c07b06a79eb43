/**
 * Python stores that live as long as the process and grow with input: module-level dicts
 * (`defaultdict`s too, which add every key they are read with), sets and lists written with keys
 * from function arguments and never evicted; `functools.cache`, `lru_cache(maxsize=None)` and
 * cachetools' `cached(cache={})` on functions that take arguments; `lru_cache`/`cache` on methods
 * (the cache holds every `self`); Redis keys built from input and written without an expiry.
 */
import { BOUNDED_KEY, CACHE_NAME, CONSTANT_NAME, DECORATED_PARAMETER, REGISTRY_NAME } from '../cache-names';
import type { CacheFact } from '../facts';
import { requestPathOf, type PyReach } from './handlers';
import { assignedBefore } from './item-access';
import { namesKey, qualifiedName, type ModuleNames } from './imports';
import { args, assignmentStatements, decoratorsOf, field, keywordArg, nodesOfTypes, visitNodesOfTypes, walk, type Node } from './tree';

export interface PyCacheFact extends CacheFact {
  /** The value to replace to bound the store (`{}`, `None` in `maxsize=None`, the decorator), and how. */
  replace?: { start: number; end: number; text: string };
  /** Where `, ex=…` goes in a Redis write. */
  insertAt?: number;
  /** What the replacement names and the file may not import yet (`lru_cache` for a `cache` imported by name). */
  needsImport?: { module: string; name: string };
}

/** `defaulting`: a `defaultdict`, which adds every key it is read with. */
type Store = { name: string; kind: 'dict' | 'set' | 'list'; value: Node; target: Node; defaulting: boolean };

function storeKind(value: Node): Store['kind'] | undefined {
  if (value.type === 'dictionary' && value.namedChildren.length === 0) return 'dict';
  if (value.type === 'list' && value.namedChildren.length === 0) return 'list';
  if (value.type === 'call' && args(value).length === 0) {
    const f = field(value, 'function')?.text ?? '';
    if (/^(dict|OrderedDict|collections\.OrderedDict)$/.test(f)) return 'dict';
    if (f === 'set') return 'set';
    if (f === 'list') return 'list';
  }
  // `defaultdict(list)`: a dict that adds entries on every read of a new key.
  if (value.type === 'call' && /^(collections\.)?defaultdict$/.test(field(value, 'function')?.text ?? '')) return 'dict';
  return undefined;
}

function moduleStores(root: Node): Store[] {
  const out: Store[] = [];
  for (const { left, right } of assignmentStatements(root)) {
    const kind = right ? storeKind(right) : undefined;
    if (left?.type === 'identifier' && right && kind) out.push({ name: left.text, kind, value: right, target: left, defaulting: right.type === 'call' && /defaultdict$/.test(field(right, 'function')?.text ?? '') });
  }
  return out;
}

function inFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

/**
 * A method that implements a key-value store's own `set` over Redis (django-constance's
 * `RedisBackend.set(self, key, value)`): the key and the value are its parameters, so the keys are
 * its callers' (a config's fixed names there), not input this code turns into keys.
 */
function storeMethod(write: Node): boolean {
  const fn = inFunction(write);
  if (!fn || !/^(set|__setitem__|put|set_value|setitem)$/.test(field(fn, 'name')?.text ?? '') || fn.parent?.parent?.type !== 'class_definition') return false;
  const params = new Set((field(fn, 'parameters')?.namedChildren ?? []).map((p) => (p?.type === 'identifier' ? p.text : p ? field(p, 'name')?.text ?? p.namedChildren.find((c) => c?.type === 'identifier')?.text : undefined)).filter((x): x is string => !!x && x !== 'self'));
  const fromParams = (n: Node | undefined) => {
    if (!n) return false;
    const used: string[] = [];
    walk(n, (k) => {
      const role = k.parent && (k.parent.type === 'attribute' ? 'attribute' : k.parent.type === 'call' ? 'function' : k.parent.type === 'keyword_argument' ? 'name' : undefined);
      if (k.type === 'identifier' && !(role && field(k.parent!, role)?.id === k.id)) used.push(k.text);
    });
    return used.some((u) => params.has(u)) && used.every((u) => params.has(u) || u === 'self' || /^[A-Z_]+$/.test(u) || u === 'settings');
  };
  const [key, value] = args(write);
  return fromParams(key) && fromParams(value);
}

function isConstant(n: Node): boolean {
  return n.type === 'integer' || n.type === 'float' || n.type === 'true' || n.type === 'false' || n.type === 'none' || (n.type === 'string' && !n.namedChildren.some((c) => c?.type === 'interpolation'));
}

interface Usage {
  write?: { node: Node; fn: Node; key: Node };
  evicted: boolean;
  iterated: boolean;
  readers: Set<number>;
}

function usage(root: Node, store: Store, index: number): Usage {
  const u: Usage = { evicted: false, iterated: false, readers: new Set() };
  let uses = false;
  const named = (n: Node | null | undefined) => {
    const is = n?.type === 'identifier' && n.text === store.name;
    if (is) uses = true;
    return is;
  };
  // A node's use of the store depends on its statement (and the store): after an edit, the
  // statements it did not touch are looked at only where they used it (visitNodesOfTypes).
  const context = `${store.name} ${store.kind} ${store.defaulting}`;
  visitNodesOfTypes(root, ['call', 'subscript', 'comparison_operator', 'for_statement', 'global_statement'], `caches:store${index}`, 'statement', context, (n) => {
    uses = false;
    const fn = inFunction(n);
    if (n.type === 'call') {
      const f = field(n, 'function');
      if (f?.type === 'attribute' && named(field(f, 'object'))) {
        const method = field(f, 'attribute')?.text ?? '';
        const first = args(n)[0];
        if (/^(setdefault|add|append|insert)$/.test(method) && fn && first && !isConstant(first)) u.write ??= { node: n, fn, key: first };
        else if (/^(update|extend)$/.test(method) && fn && first) {
          // `cache.update({key: value})`: a key from input; a set's `update(items)`, a list's `extend(items)`.
          const key = store.kind === 'dict' ? dictKeys(first).find((k) => !isConstant(k)) : isConstant(first) ? undefined : first;
          if (key) u.write ??= { node: n, fn, key };
        }
        else if (/^(pop|popitem|clear|remove|discard)$/.test(method)) u.evicted = true;
        else if (/^(items|keys|values)$/.test(method)) u.iterated = true;
        else if (/^get$/.test(method) && fn) u.readers.add(fn.id);
      }
      // `len(cache) > MAX`
      if (f?.text === 'len' && named(args(n)[0]) && n.parent?.type === 'comparison_operator') u.evicted = true;
      if (/^(list|sorted|tuple|iter)$/.test(f?.text ?? '') && named(args(n)[0])) u.iterated = true;
    } else if (n.type === 'subscript' && named(field(n, 'value'))) {
      const p = n.parent;
      const key = field(n, 'subscript');
      if (p?.type === 'assignment' && field(p, 'left')?.id === n.id) {
        if (fn && key && !isConstant(key)) u.write ??= { node: p, fn, key };
      } else if (p?.type === 'delete_statement' || p?.parent?.type === 'delete_statement') u.evicted = true;
      else if (fn) {
        // A defaultdict adds the key it is read with: `hits[ip] += 1`, `log[ip].append(path)`. That
        // read is the write, not the lookup of a get-or-compute cache.
        if (store.defaulting && key && !isConstant(key)) u.write ??= { node: p?.type === 'augmented_assignment' ? p : p?.type === 'attribute' && p.parent?.type === 'call' ? p.parent : n, fn, key };
        else u.readers.add(fn.id);
      }
    } else if (n.type === 'comparison_operator' && /\bin\b/.test(n.text) && n.namedChildren.some((c) => named(c)) && fn) {
      u.readers.add(fn.id);
    } else if (n.type === 'for_statement' && named(field(n, 'right'))) u.iterated = true;
    else if (n.type === 'global_statement' && n.namedChildren.some((c) => named(c))) {
      // `global cache` then `cache = {}`: emptied on some schedule.
      const body = inFunction(n);
      if (body && new RegExp(`^\\s*${store.name}\\s*=`, 'm').test(body.text)) u.evicted = true;
    }
    return uses;
  });
  return u;
}

/**
 * A decorator that registers what it decorates: `def add(cls): _cleanups.append((priority, cls));
 * return cls`. It runs once per decorated definition, when the module is imported: the store has
 * as many entries as the code has definitions (the parameter named so: DECORATED_PARAMETER).
 */
function registersItsArgument(fn: Node, write: Node): boolean {
  const params = new Set<string>();
  for (const p of field(fn, 'parameters')?.namedChildren ?? []) if (p?.type === 'identifier' && DECORATED_PARAMETER.test(p.text)) params.add(p.text);
  if (params.size === 0) return false;
  let returned: string | undefined;
  walk(field(fn, 'body')!, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'return_statement') {
      const value = n.namedChildren[0];
      if (value?.type === 'identifier' && params.has(value.text)) returned = value.text;
    }
    return undefined;
  });
  if (!returned) return false;
  let mentioned = false;
  walk(write, (n) => {
    if (n.type === 'identifier' && n.text === returned) mentioned = true;
  });
  return mentioned;
}

/** `settings.RENDERING_HOSTS`, `ALLOWED_BACKENDS`, `list(settings.X)`, `settings.X[:]`, `app.config["X"]`: values the configuration fixes. */
const CONFIGURATION = /^(?:(?:list|tuple|sorted|set)\(\s*)?(?:(?:[\w.]*\b(?:settings|config|conf|CONF)\b)(?:\.[A-Za-z_]\w*|\[\s*["'][A-Z_][A-Z0-9_]*["']\s*\])|[A-Z][A-Z0-9_]+)(?:\[\s*:\s*\])?\s*\)?$/;

/**
 * A key that is the loop variable over a value of the configuration (graphite's `for server in
 * servers` with `servers = settings.RENDERING_HOSTS[:]`): as many keys as the settings list, not
 * one per input.
 */
function keyFromConfiguration(key: Node): boolean {
  if (key.type !== 'identifier') return false;
  for (let p = key.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type !== 'for_statement' || field(p, 'left')?.text !== key.text) continue;
    let iterable = field(p, 'right');
    if (iterable?.type === 'identifier') iterable = assignedBefore(iterable) ?? null;
    return !!iterable && CONFIGURATION.test(iterable.text.replace(/\s+/g, ' '));
  }
  return false;
}

/** The keys a dict literal writes (`{k: v}`); none for `**other`. */
function dictKeys(n: Node): Node[] {
  if (n.type !== 'dictionary') return [];
  return n.namedChildren.flatMap((c) => (c?.type === 'pair' && field(c, 'key') ? [field(c, 'key')!] : []));
}

function collectionCaches(root: Node, reach: ReadonlyMap<number, PyReach>): PyCacheFact[] {
  const out: PyCacheFact[] = [];
  for (const [i, store] of moduleStores(root).entries()) {
    const u = usage(root, store, i);
    if (!u.write || u.evicted) continue;
    const getOrSet = u.readers.has(u.write.fn.id);
    const onRequestPath = !!requestPathOf(u.write.node, reach);
    const cacheNamed = CACHE_NAME.test(store.name);
    if (!cacheNamed && (REGISTRY_NAME.test(store.name) || CONSTANT_NAME.test(store.name))) continue;
    const key = u.write.key.type === 'attribute' ? field(u.write.key, 'attribute')?.text ?? '' : u.write.key.text;
    if (BOUNDED_KEY.test(key)) continue;
    if (keyFromConfiguration(u.write.key)) continue;
    if (registersItsArgument(u.write.fn, u.write.node)) continue;
    // A set or list with a membership check is a de-duplication guard unless it says it caches or fills per request.
    const grows = store.kind === 'set' || store.kind === 'list' ? cacheNamed || onRequestPath : getOrSet || cacheNamed || onRequestPath;
    if (!grows) continue;
    out.push({
      start: store.target.startIndex,
      end: store.target.endIndex,
      name: store.name,
      kind: store.kind,
      write: { start: u.write.node.startIndex, end: u.write.node.endIndex, text: u.write.node.text },
      iterated: u.iterated,
      replace: { start: store.value.startIndex, end: store.value.endIndex, text: store.value.text },
    });
  }
  return out;
}

/**
 * Whether the function's cache has more than a few keys: it takes arguments besides the ones
 * bound to it (`self`, or a class method's `cls`: cached per class, there are as many entries as
 * classes, which code defines) and besides flags (`strict=False`, `flag: bool`), which have two values.
 */
function hasArguments(fn: Node, bound: boolean): boolean {
  const params = field(fn, 'parameters')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  return params.slice(bound ? 1 : 0).some((p) => !isFlag(p, fn) && !/^[*\/]$/.test(p.text));
}

/**
 * `strict=False`, `strict: bool`, `strict: bool = False`, or a parameter the function only tests
 * for truth (`if prettify:`, `not aligned`, `a and b`: debug-toolbar's `get_filter_stack`).
 */
function isFlag(param: Node, fn: Node): boolean {
  if (param.type === 'default_parameter') return /^(True|False)$/.test(field(param, 'value')?.text ?? '');
  if (param.type === 'typed_parameter' || param.type === 'typed_default_parameter') return field(param, 'type')?.text === 'bool';
  return param.type === 'identifier' && onlyTested(param.text, fn);
}

/** Whether every read of `name` in the function's body is a truth test. */
function onlyTested(name: string, fn: Node): boolean {
  const body = field(fn, 'body');
  if (!body) return false;
  let reads = 0;
  let other = false;
  walk(body, (n) => {
    if (other) return false;
    if (n.type !== 'identifier' || n.text !== name) return undefined;
    reads++;
    const p = n.parent;
    const tested =
      ((p?.type === 'if_statement' || p?.type === 'elif_clause' || p?.type === 'while_statement') && field(p, 'condition')?.id === n.id) ||
      // `a if flag else b`: the condition is the middle operand.
      (p?.type === 'conditional_expression' && p.namedChildren[1]?.id === n.id) ||
      p?.type === 'not_operator' ||
      p?.type === 'boolean_operator';
    if (!tested) other = true;
    return undefined;
  });
  return reads > 0 && !other;
}

function isClassMethod(fn: Node): boolean {
  return decoratorsOf(fn).some((d) => /^@\s*classmethod\b/.test(d.text));
}

function isMethod(fn: Node): boolean {
  const p = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  if (p?.type !== 'block' || p.parent?.type !== 'class_definition') return false;
  // Static and class methods have no `self` to keep alive.
  return !decoratorsOf(fn).some((d) => /^@\s*(staticmethod|classmethod)\b/.test(d.text));
}

/** `@cache`, `@lru_cache(maxsize=None)`, and any `lru_cache` on a method. */
function functionCaches(root: Node, names: ModuleNames): PyCacheFact[] {
  const out: PyCacheFact[] = [];
  // Only decorated functions, by the module's names: after an edit, the statements it did not
  // touch are looked at only where they had a cache (visitNodesOfTypes).
  visitNodesOfTypes(root, ['function_definition'], 'caches:functions', 'statement', namesKey(names), (n) => {
    const before = out.length;
    cachesOf(n, names, out);
    return out.length > before;
  });
  return out;
}

/** The caches a function's decorators make that grow without bound (functionCaches). */
function cachesOf(n: Node, names: ModuleNames, out: PyCacheFact[]): void {
  const method = isMethod(n);
  for (const d of decoratorsOf(n)) {
    const expr = d.namedChildren[0];
    if (!expr) continue;
    const callee = expr.type === 'call' ? field(expr, 'function')! : expr;
    const q = qualifiedName(callee, names);
    const span = { start: d.startIndex, end: d.endIndex };
    if (q === 'cachetools.cached' && expr.type === 'call') {
      // `@cached(cache={})`: cachetools' decorator over a plain dict keeps every argument's result.
      const store = keywordArg(expr, 'cache') ?? args(expr).find((a) => a.type !== 'keyword_argument');
      if (store && storeKind(store) === 'dict' && !/defaultdict$/.test(store.type === 'call' ? field(store, 'function')?.text ?? '' : '') && hasArguments(n, method || isClassMethod(n))) {
        const lru = callee.text.includes('.') ? callee.text.replace(/cached$/, 'LRUCache') : 'LRUCache';
        out.push({ ...span, name: `@${callee.text}(cache=${store.text})`, kind: 'function-cache', replace: { start: store.startIndex, end: store.endIndex, text: `${lru}(maxsize=1024)` }, needsImport: callee.text.includes('.') ? undefined : { module: 'cachetools', name: 'LRUCache' } });
      }
      return;
    }
    if (q !== 'functools.cache' && q !== 'functools.lru_cache') continue;
    if (method) {
      out.push({ ...span, name: `@${callee.text}`, kind: 'method-cache' });
      return;
    }
    if (!hasArguments(n, isClassMethod(n))) return; // a few entries at most
    if (q === 'functools.cache') {
      const lru = callee.text.includes('.') ? callee.text.replace(/cache$/, 'lru_cache') : 'lru_cache';
      out.push({ ...span, name: `@${callee.text}`, kind: 'function-cache', replace: { start: expr.startIndex, end: expr.endIndex, text: `${lru}(maxsize=1024)` }, needsImport: callee.text.includes('.') ? undefined : { module: 'functools', name: 'lru_cache' } });
      return;
    }
    const maxsize = expr.type === 'call' ? keywordArg(expr, 'maxsize') ?? args(expr)[0] : undefined;
    if (maxsize?.type === 'none') out.push({ ...span, name: `@${callee.text}(maxsize=None)`, kind: 'function-cache', replace: { start: maxsize.startIndex, end: maxsize.endIndex, text: '1024' } });
    return;
  }
}

const REDIS_CLIENT = /^(redis\.(Redis|StrictRedis|from_url|Redis\.from_url)|redis\.asyncio\.(Redis|from_url)|django_redis\.get_redis_connection)$/;

/** `r.set(f"user:{id}", v)` without `ex=`/`px=`/`exat=`/`keepttl=`, and no `expire` on that key. */
function redisWrites(root: Node, names: ModuleNames): PyCacheFact[] {
  const clients = new Set<string>();
  visitNodesOfTypes(root, ['assignment'], 'caches:redis', 'statement', namesKey(names), (n) => {
    const right = field(n, 'right');
    const call = right?.type === 'call' ? right : undefined;
    const q = call ? qualifiedName(field(call, 'function')!, names) : undefined;
    if (!q || !REDIS_CLIENT.test(q)) return false;
    clients.add(field(n, 'left')!.text);
    return true;
  });
  if (clients.size === 0) return [];
  const expired = new Set<string>();
  const writes: Node[] = [];
  nodesOfTypes(root, ['call']).forEach((n) => {
    if (n.type !== 'call') return;
    const f = field(n, 'function');
    if (f?.type !== 'attribute' || !clients.has(field(f, 'object')?.text ?? '')) return;
    const method = field(f, 'attribute')?.text ?? '';
    const key = args(n)[0];
    if (/^(expire|pexpire|expireat|setex|psetex)$/.test(method) && key) expired.add(key.text);
    if (/^(set|hset|hmset|sadd|lpush|rpush|zadd)$/.test(method) && key && inFunction(n) && !isConstant(key) && !storeMethod(n)) writes.push(n);
  });
  const out: PyCacheFact[] = [];
  for (const call of writes) {
    const key = args(call)[0];
    if (expired.has(key.text)) continue;
    const f = field(call, 'function')!;
    const method = field(f, 'attribute')?.text ?? '';
    if (method === 'set' && ['ex', 'px', 'exat', 'pxat', 'keepttl'].some((k) => keywordArg(call, k))) continue;
    if (method === 'set' && args(call).filter((a) => a.type !== 'keyword_argument').length > 2) continue;
    const last = args(call).pop();
    out.push({ start: f.startIndex, end: f.endIndex, name: key.text, kind: 'redis-key', write: { start: call.startIndex, end: call.endIndex, text: call.text }, insertAt: method === 'set' && last ? last.endIndex : undefined });
  }
  return out;
}

export function pythonCaches(root: Node, names: ModuleNames, reach: ReadonlyMap<number, PyReach>): PyCacheFact[] {
  return [...collectionCaches(root, reach), ...functionCaches(root, names), ...redisWrites(root, names)];
}

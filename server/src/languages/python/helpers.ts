/**
 * Functions of one Python file that issue a query (directly or through other such functions): their
 * calls inside loops (`customer_for(order)`, `self.load(x)`), the module-level ones other files can
 * import, and calls in loops to names imported from other modules of the project.
 */
import type { ImportedCallFact, QueryHelperFact } from '../facts';
import { sqlArgument } from './embedded-sql';
import { assignedBefore } from './item-access';
import { enclosingLoop, usesItem } from './loops';
import type { PyQueryFact } from './queries';
import { args, calleeName, decoratorsOf, enclosingClass, enclosingFunction, field, isModuleLevel, visitNodesOfTypes, type Node } from './tree';

export interface PyHelpers {
  /** Calls in loops of this file's query helpers. */
  calls: PyQueryFact[];
  /** Module-level query helpers other files can import. */
  exported: QueryHelperFact[];
  /** Calls in loops to names imported from other modules. */
  imported: ImportedCallFact[];
}

function calledName(call: Node): string | undefined {
  const f = field(call, 'function');
  if (f?.type === 'identifier') return f.text;
  if (f?.type === 'attribute' && /^(self|cls)$/.test(field(f, 'object')?.text ?? '')) return field(f, 'attribute')?.text;
  return undefined;
}

function functionName(n: Node | undefined): string | undefined {
  return n ? field(n, 'name')?.text : undefined;
}

/** Modules of Python's standard library that loops call into most: never a project's helpers. */
const STANDARD_LIBRARY = new Set(['os', 're', 'json', 'sys', 'math', 'time', 'datetime', 'logging', 'itertools', 'collections', 'functools', 'random', 'string', 'typing', 'pathlib', 'subprocess', 'shutil', 'copy', 'decimal', 'uuid', 'hashlib', 'base64', 'operator', 'csv', 'io', 'struct', 'inspect', 'warnings', 'textwrap', 'urllib', 'asyncio']);

/**
 * Names bound to modules of the project: `from . import services` → services → '.services',
 * `from blog import services` → 'blog.services', `import blog.services as services`. A name that
 * turns out to be a function (`from .services import customer_for`) finds no module by that name.
 */
export function importedModules(root: Node): Map<string, string> {
  const out = new Map<string, string>();
  // Modules are named in lower case; `from .models import Post` binds a class.
  const add = (local: string, module: string) => {
    if (/^[a-z_]/.test(local) && !STANDARD_LIBRARY.has(module.split('.')[0])) out.set(local, module);
  };
  const join = (base: string, name: string) => (/\.$/.test(base) ? `${base}${name}` : `${base}.${name}`);
  for (const st of root.namedChildren) {
    if (st?.type === 'import_from_statement') {
      const module = field(st, 'module_name')?.text ?? '';
      if (!module) continue;
      for (const n of st.childrenForFieldName('name')) {
        if (n?.type === 'aliased_import') add(field(n, 'alias')?.text ?? '', join(module, field(n, 'name')?.text ?? ''));
        else if (n) add(n.text, join(module, n.text));
      }
    } else if (st?.type === 'import_statement') {
      for (const n of st.childrenForFieldName('name')) {
        if (n?.type === 'aliased_import') add(field(n, 'alias')?.text ?? '', field(n, 'name')?.text ?? '');
        // `import blog.services`: calls name it in full (`blog.services.load(…)`).
        else if (n) add(n.text, n.text);
      }
    }
  }
  return out;
}

/** `from .services import customer_for as cf` → cf → { module: '.services', name: 'customer_for' }. */
export function importedNames(root: Node): Map<string, { module: string; name: string }> {
  const out = new Map<string, { module: string; name: string }>();
  for (const st of root.namedChildren) {
    if (st?.type !== 'import_from_statement') continue;
    const module = field(st, 'module_name')?.text ?? '';
    if (!module) continue;
    for (const n of st.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') out.set(field(n, 'alias')?.text ?? '', { module, name: field(n, 'name')?.text ?? '' });
      else out.set(n.text, { module, name: n.text });
    }
  }
  return out;
}

/** The class a local is an instance of: made from it in the function (`repo = PostRepo(session)`), or a parameter typed with it. */
function instanceClass(id: Node): string | undefined {
  const value = assignedBefore(id);
  if (value) {
    const callee = value.type === 'call' ? field(value, 'function') : null;
    return callee?.type === 'identifier' && /^[A-Z]/.test(callee.text) ? callee.text : undefined;
  }
  const fn = enclosingFunction(id);
  for (const p of field(fn ?? id, 'parameters')?.namedChildren ?? []) {
    if ((p?.type === 'typed_parameter' || p?.type === 'typed_default_parameter') && (p.type === 'typed_parameter' ? p.namedChildren[0]?.text : field(p, 'name')?.text) === id.text) {
      const type = field(p, 'type')?.text ?? '';
      return /^[A-Z]\w*$/.test(type) ? type : undefined;
    }
  }
  return undefined;
}

/** What a module imports: names from modules (`importedNames`) and the project's modules (`importedModules`). */
export interface ModuleImports {
  imported: Map<string, { module: string; name: string }>;
  modules: Map<string, string>;
}

/**
 * A function whose results are kept by its arguments (`@lru_cache`, `@cache`, cachetools'
 * `@cached`): called again with the same ones it runs no query, and such caches are kept for few
 * keys (a connection, a setting), so it is not counted as a query per call. `@cached_property` is:
 * it keeps one result per object, and each item is another object.
 */
function memoized(fn: Node): boolean {
  return decoratorsOf(fn).some((d) => /^@\s*(?:[\w.]+\.)?(lru_cache|cache|cached|memoize|memoized)\b/.test(d.text));
}

/**
 * `Model.objects.bulk_create(self.pending)`: a bulk write of what the object gathered, called
 * when the buffer is full or at the end (django-import-export's batches). A call per item reaches
 * it once per batch, not once per item.
 */
function flushesBuffer(query: Node): boolean {
  const call = query.type === 'call' ? query : undefined;
  const first = call && /^(bulk_create|bulk_update)$/.test(calleeName(call) ?? '') ? args(call)[0] : undefined;
  return first?.type === 'attribute' && field(first, 'object')?.text === 'self';
}

export function pythonHelpers(root: Node, queries: readonly PyQueryFact[], { imported, modules }: ModuleImports): PyHelpers {
  const helpers = new Map<string, { chain: string[]; query: PyQueryFact; fn: Node }>();
  for (const q of queries) {
    // Query facts keep spans, not nodes: find the node again by its span.
    const node = root.descendantForIndex(q.start, q.end);
    const fn = node ? enclosingFunction(node) : undefined;
    const name = functionName(fn);
    if (fn && name && !helpers.has(name) && !memoized(fn) && !(node && flushesBuffer(node))) helpers.set(name, { chain: [name, q.callee], query: q, fn });
  }
  // After an edit, the statements it did not touch answer from what was found in them before
  // (visitNodesOfTypes): here, which calls name a function.
  const named = helpers.size > 0 ? visitNodesOfTypes(root, ['call'], 'helpers:named', 'statement', '', (c) => !!calledName(c)) : [];
  for (let round = 0; round < 3 && helpers.size > 0; round++) {
    let grew = false;
    for (const call of named) {
      const inner = helpers.get(calledName(call)!);
      const outerFn = inner ? enclosingFunction(call) : undefined;
      const outer = functionName(outerFn);
      if (inner && outerFn && outer && !helpers.has(outer) && !memoized(outerFn)) {
        helpers.set(outer, { chain: [outer, ...inner.chain], query: inner.query, fn: outerFn });
        grew = true;
      }
    }
    if (!grew) break;
  }
  const out: PyHelpers = { calls: [], exported: [], imported: [] };
  // Methods by `Class.method` as well: a repository's `repo.get(i)` names its class through `repo`.
  const methods = new Map<string, { chain: string[]; query: PyQueryFact; fn: Node }>();
  for (const [name, h] of helpers) {
    if (isModuleLevel(h.fn)) out.exported.push({ name, chain: h.chain, orm: h.query.orm, operation: h.query.operation, write: h.query.write });
    const cls = enclosingClass(h.fn);
    const className = cls && field(cls, 'name')?.text;
    if (cls && className) {
      const key = `${className}.${name}`;
      methods.set(key, { ...h, chain: [key, ...h.chain.slice(1)] });
      if (isModuleLevel(cls)) out.exported.push({ name: key, chain: [key, ...h.chain.slice(1)], orm: h.query.orm, operation: h.query.operation, write: h.query.write });
    }
  }
  // `services.customer_for(order)` on a module the file imports.
  if (modules.size) {
    const onModules = (call: Node) => {
      const f = field(call, 'function');
      const owner = f?.type === 'attribute' ? field(f, 'object')?.text : undefined;
      return !!owner && modules.has(owner) && !!enclosingLoop(call);
    };
    const modulesKey = JSON.stringify([...modules]);
    for (const call of visitNodesOfTypes(root, ['call'], 'helpers:modules', 'statement', modulesKey, onModules)) {
      const f = field(call, 'function')!;
      const module = modules.get(field(f, 'object')!.text)!;
      const loop = enclosingLoop(call);
      if (loop) out.imported.push({ local: f.text, imported: field(f, 'attribute')!.text, module, loop: loop.fact, usesLoopItem: usesItem(loop, call), start: f.startIndex, end: f.endIndex });
    }
  }
  // `repo.get(i)`, `repo` made from a class (`repo = PostRepo(session)`) or typed with it (`repo: PostRepo`).
  // Which class a local is an instance of is read in its function (at module level, in the module).
  const onInstance = (call: Node) => {
    const f = field(call, 'function');
    const object = f?.type === 'attribute' ? field(f, 'object') : null;
    return object?.type === 'identifier' && !/^(self|cls)$/.test(object.text) && !!instanceClass(object) && !!field(f!, 'attribute');
  };
  for (const call of visitNodesOfTypes(root, ['call'], 'helpers:instances', 'function', '', onInstance)) {
    const f = field(call, 'function')!;
    const object = field(f, 'object')!;
    if (modules.has(object.text)) continue;
    const className = instanceClass(object);
    const method = field(f, 'attribute')?.text;
    if (!className || !method) continue;
    const helper = methods.get(`${className}.${method}`);
    const from = helper ? undefined : imported.get(className);
    if (!helper && !from) continue;
    const loop = enclosingLoop(call);
    if (!loop) continue;
    if (from) {
      out.imported.push({ local: f.text, imported: `${from.name}.${method}`, module: from.module, loop: loop.fact, usesLoopItem: usesItem(loop, call), start: f.startIndex, end: f.endIndex });
      continue;
    }
    const q = helper!.query;
    out.calls.push({
      orm: q.orm, model: q.model, operation: q.operation, callee: f.text, start: call.startIndex, end: call.endIndex,
      style: q.style, loop: loop.fact, usesLoopItem: usesItem(loop, call), write: q.write, via: helper!.chain,
    });
  }
  // SQL imported from another module, run per item: `cursor.execute(FIND_USER, [i])`, `queries.FIND_USER`.
  const importedSql = (call: Node): { module: string; name: string } | undefined => {
    const sql = sqlArgument(call);
    if (sql?.type === 'identifier') return imported.get(sql.text);
    const owner = sql ? field(sql, 'object') : null;
    const module = owner?.type === 'identifier' ? modules.get(owner.text) : undefined;
    return module ? { module, name: field(sql!, 'attribute')!.text } : undefined;
  };
  if (imported.size > 0 || modules.size > 0) {
    const key = `${[...imported.keys()].join(',')}\n${[...modules.keys()].join(',')}`;
    for (const call of visitNodesOfTypes(root, ['call'], 'helpers:sql', 'statement', key, (c) => !!importedSql(c) && !!enclosingLoop(c))) {
      const from = importedSql(call)!;
      const loop = enclosingLoop(call)!;
      const f = field(call, 'function')!;
      out.imported.push({ local: f.text, imported: from.name, module: from.module, argument: true, loop: loop.fact, usesLoopItem: usesItem(loop, call), start: f.startIndex, end: f.endIndex });
    }
  }
  // Calls in loops of the helpers and of imported names.
  const inLoop = (call: Node) => {
    const name = calledName(call);
    return !!name && (helpers.has(name) || (field(call, 'function')?.type === 'identifier' && imported.has(name))) && !!enclosingLoop(call);
  };
  const names = `${[...helpers.keys()].join(',')}\n${[...imported.keys()].join(',')}`;
  for (const call of helpers.size > 0 || imported.size > 0 ? visitNodesOfTypes(root, ['call'], 'helpers:calls', 'statement', names, inLoop) : []) {
    const name = calledName(call)!;
    const helper = helpers.get(name);
    const isImported = !helper && field(call, 'function')?.type === 'identifier' ? imported.get(name) : undefined;
    if (!helper && !isImported) continue;
    const loop = enclosingLoop(call);
    if (!loop) continue;
    if (isImported) {
      const f = field(call, 'function')!;
      out.imported.push({ local: name, imported: isImported.name, module: isImported.module, loop: loop.fact, usesLoopItem: usesItem(loop, call), start: f.startIndex, end: f.endIndex });
      continue;
    }
    const q = helper!.query;
    out.calls.push({
      orm: q.orm, model: q.model, operation: q.operation, callee: field(call, 'function')!.text, start: call.startIndex, end: call.endIndex,
      style: q.style, loop: loop.fact, usesLoopItem: usesItem(loop, call), write: q.write, via: helper!.chain,
    });
  }
  return out;
}

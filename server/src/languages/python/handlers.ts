/**
 * Which functions of a Python module run while an HTTP request waits: Flask/Quart routes and
 * `MethodView`s, FastAPI/Starlette path operations, Django function views (`def view(request)`),
 * class-based views and DRF views/viewsets, aiohttp handlers, Graphene resolvers. Then the
 * module's functions those call (a few levels deep), each with the chain of names. Celery/RQ tasks,
 * management commands and module start-up code are not handlers: nothing here marks them.
 */
import type { HandlerFact } from '../facts';
import type { ModuleNames } from './imports';
import { decoratorsOf, enclosingClass, field, isModuleLevel, visitNodesOfTypes, walk, type Node } from './tree';

export interface PyHandler {
  fn: Node;
  fact: HandlerFact;
}

export interface PyReach {
  handler: PyHandler;
  chain: string[];
}

const ROUTE_DECORATOR = /^@\s*([\w.]+)\.(route|get|post|put|patch|delete|head|options|api_route|websocket)\s*\(\s*(?:rule\s*=\s*|path\s*=\s*)?(?:f?["']([^"']*)["'])?/;
const ROUTER_NAME = /^(app|api|router|bp|blueprint|\w+_(router|bp|blueprint|api|app)|routes)$/i;
const VIEW_BASE = /(View|ViewSet|APIView|MethodView|Mixin|HTTPEndpoint|Resource)$/;
/** Methods of class-based views that run per request. */
const VIEW_METHODS = /^(get|post|put|patch|delete|head|options|list|retrieve|create|update|partial_update|destroy|dispatch|get_queryset|get_object|get_context_data|get_serializer_context|perform_create|perform_update|perform_destroy|form_valid|form_invalid|dispatch_request)$/;
const TASK_DECORATOR = /^@\s*([\w.]+\.)?(task|shared_task|job|actor|periodic_task|receiver)\b/;

function frameworkFor(names: ModuleNames): string | undefined {
  const modules = [...names.values()].join(' ');
  if (/\bfastapi\b/.test(modules)) return 'fastapi';
  if (/\b(flask|quart)\b/.test(modules)) return 'flask';
  if (/\brest_framework\b/.test(modules)) return 'drf';
  if (/\bdjango\b/.test(modules)) return 'django';
  if (/\bstarlette\b/.test(modules)) return 'starlette';
  if (/\baiohttp\b/.test(modules)) return 'aiohttp';
  if (/\b(sanic|litestar|falcon)\b/.test(modules)) return 'http';
  return undefined;
}

function isAsync(fn: Node): boolean {
  return fn.children.some((c) => c?.type === 'async');
}

function firstParam(fn: Node): string | undefined {
  const p = field(fn, 'parameters')?.namedChildren.find((c) => !!c);
  if (!p) return undefined;
  return p.type === 'identifier' ? p.text : (field(p, 'name') ?? p.namedChildren.find((c) => c?.type === 'identifier'))?.text;
}

function make(fn: Node, framework: string, route?: string): PyHandler {
  return { fn, fact: { start: fn.startIndex, end: fn.endIndex, framework, name: field(fn, 'name')?.text ?? 'view', route, async: isAsync(fn) } };
}

export function findHandlers(root: Node, path: string, names: ModuleNames): PyHandler[] {
  const framework = frameworkFor(names);
  const viewsFile = /(^|\/)views?(\.py$|\/)|(^|\/)(api|routes|endpoints|routers?)(\.py$|\/)/.test(path.replace(/\\/g, '/'));
  const out: PyHandler[] = [];
  // A class's bases, bare (`generics.ListAPIView` → `ListAPIView`), read once for all its methods.
  const basesOf = new Map<Node, { text: string; bare: string[] }>();
  const classBases = (cls: Node): { text: string; bare: string[] } => {
    let b = basesOf.get(cls);
    if (!b) {
      const text = field(cls, 'superclasses')?.text ?? '';
      basesOf.set(cls, (b = { text, bare: text.replace(/[()]/g, '').split(',').map((x) => x.trim().split('.').pop() ?? '') }));
    }
    return b;
  };
  /** Adds the handler `n` is, if it is one. */
  function handlerAt(n: Node): void {
    const decorators = decoratorsOf(n);
    if (decorators.some((d) => TASK_DECORATOR.test(d.text))) return;
    for (const d of decorators) {
      const m = ROUTE_DECORATOR.exec(d.text);
      if (m && (framework || ROUTER_NAME.test(m[1].split('.').pop() ?? ''))) {
        out.push(make(n, framework === 'django' || framework === 'drf' ? 'http' : framework ?? 'http', m[3]));
        return;
      }
      if (/^@\s*(\w+\.)?api_view\b/.test(d.text)) {
        out.push(make(n, 'drf'));
        return;
      }
      if (/^@\s*(\w+\.)?action\b/.test(d.text) && enclosingClass(n)) {
        out.push(make(n, 'drf'));
        return;
      }
    }
    const cls = enclosingClass(n);
    const name = field(n, 'name')?.text ?? '';
    if (cls) {
      const { text: bases, bare: bareBases } = classBases(cls);
      if (bareBases.some((b) => VIEW_BASE.test(b)) && VIEW_METHODS.test(name) && bareBases.every((b) => b !== 'BaseCommand')) {
        out.push(make(n, framework ?? 'django'));
        return;
      }
      // Graphene: `resolve_<field>(root, info)` on an ObjectType.
      if (/ObjectType$/.test(bases.replace(/[()]/g, '')) && name.startsWith('resolve_')) out.push(make(n, 'graphql'));
      return;
    }
    // Django function views, Starlette/aiohttp handlers: a module-level function taking the request.
    if (isModuleLevel(n) && firstParam(n) === 'request' && (viewsFile || (framework && framework !== 'fastapi' && framework !== 'flask'))) {
      out.push(make(n, framework === 'drf' ? 'django' : framework ?? 'django'));
    }
  }
  // Whether a function is a handler depends on its statement, its classes' headers, the framework
  // and the file's name: after an edit, the statements it did not touch are looked at only where
  // they had handlers (visitNodesOfTypes).
  visitNodesOfTypes(root, ['function_definition'], 'handlers', 'statement', `${framework}|${viewsFile}`, (n) => {
    const before = out.length;
    handlerAt(n);
    return out.length > before;
  });
  return out;
}

/** The function a call targets in this module: a module-level function, or a method of the same class through `self`. */
function callTarget(call: Node, functions: ReadonlyMap<string, Node>): Node | undefined {
  const f = field(call, 'function');
  if (f?.type === 'identifier') return functions.get(f.text);
  if (f?.type === 'attribute' && field(f, 'object')?.text === 'self') {
    for (let p = call.parent; p; p = p.parent) {
      if (p.type === 'class_definition') {
        const body = field(p, 'body');
        for (const st of body?.namedChildren ?? []) {
          const fn = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
          if (fn?.type === 'function_definition' && field(fn, 'name')?.text === field(f, 'attribute')?.text) return fn;
        }
        return undefined;
      }
    }
  }
  return undefined;
}

/** Every function on a request path in this module, breadth-first so each keeps its shortest chain. */
export function requestPathFunctions(root: Node, handlers: readonly PyHandler[]): Map<number, PyReach> {
  const reach = new Map<number, PyReach>();
  if (handlers.length === 0) return reach;
  const functions = new Map<string, Node>();
  for (const st of root.namedChildren) {
    const fn = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
    const name = fn?.type === 'function_definition' ? field(fn, 'name')?.text : undefined;
    if (fn && name) functions.set(name, fn);
  }
  let frontier: Node[] = [];
  for (const h of handlers) {
    reach.set(h.fn.id, { handler: h, chain: [h.fact.name] });
    frontier.push(h.fn);
  }
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const next: Node[] = [];
    for (const fn of frontier) {
      const from = reach.get(fn.id)!;
      walk(fn, (n) => {
        if (n.type !== 'call') return;
        const target = callTarget(n, functions);
        if (target && !reach.has(target.id)) {
          reach.set(target.id, { handler: from.handler, chain: [...from.chain, field(target, 'name')?.text ?? 'helper'] });
          next.push(target);
        }
      });
    }
    frontier = next;
  }
  return reach;
}

/** The request path a node runs on: the innermost enclosing function that is on one (lambdas and nested functions run inside it). */
export function requestPathOf(node: Node, reach: ReadonlyMap<number, PyReach>): { reach: PyReach; fn: Node } | undefined {
  if (reach.size === 0) return undefined;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      const r = reach.get(p.id);
      if (r) return { reach: r, fn: p };
    }
  }
  return undefined;
}

export { isAsync };

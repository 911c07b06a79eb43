/**
 * Which functions of a JS/TS file run while an HTTP request waits: route handlers (Express, Fastify,
 * Koa, Hono and their routers), NestJS controller methods, Next.js route handlers, `pages/api`
 * handlers and server actions, tRPC procedures and GraphQL resolvers. Then the functions of the same
 * file that those handlers call (a few levels deep), each with the chain of names from the handler.
 * What is not found here is not a handler: queue workers, CLI scripts, module start-up code.
 */
import ts from 'typescript';
import type { HandlerFact } from '../facts';
import type { FileImports } from './imports';
import { nodesOfKind, walk } from './walk';

export interface TsHandler {
  fn: ts.FunctionLikeDeclaration;
  fact: HandlerFact;
}

/** A function that runs on a request path, reached from `handler` through `chain` (handler first). */
export interface HandlerReach {
  handler: TsHandler;
  chain: string[];
}

const HTTP_FRAMEWORKS: Array<[RegExp, string]> = [
  [/^express$/, 'express'],
  [/^fastify$|^fastify-plugin$/, 'fastify'],
  [/^koa$|^@koa\/router$|^koa-router$/, 'koa'],
  [/^hono($|\/)/, 'hono'],
  [/^restify$|^polka$|^h3$|^@hapi\/hapi$/, 'http'],
];
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use']);
/** Names a router or app object usually has when the file receives it as a parameter. */
const ROUTER_NAMES = /^(app|router|server|api|fastify|instance|hono|\w+Router|\w+App)$/;
const NEST_ROUTES = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options']);
const RESOLVER_DECORATORS = new Set(['Query', 'Mutation', 'ResolveField', 'FieldResolver']);
const NEXT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function frameworkOf(imports: FileImports): string | undefined {
  for (const module of imports.names.values()) for (const [re, name] of HTTP_FRAMEWORKS) if (re.test(module)) return name;
  return undefined;
}

function isFunction(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n);
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return !!ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The function a handler argument names: inline, or a function declared in this file. */
function resolveFunction(e: ts.Expression, locals: ReadonlyMap<string, ts.FunctionLikeDeclaration>): ts.FunctionLikeDeclaration | undefined {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
  if (isFunction(e)) return e;
  if (ts.isIdentifier(e)) return locals.get(e.text);
  // `asyncHandler(async (req, res) => …)`, `wrap(fn)`: a wrapper around the real handler.
  if (ts.isCallExpression(e) && e.arguments.length === 1) return resolveFunction(e.arguments[0], locals);
  return undefined;
}

/** Top-level `function f` and `const f = () => …` of the file, by name. */
function localFunctions(sf: ts.SourceFile): Map<string, ts.FunctionLikeDeclaration> {
  const out = new Map<string, ts.FunctionLikeDeclaration>();
  const visit = (st: ts.Statement) => {
    if (ts.isFunctionDeclaration(st) && st.name && st.body) out.set(st.name.text, st);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        let init = d.initializer;
        while (init && (ts.isParenthesizedExpression(init) || ts.isAsExpression(init))) init = init.expression;
        if (ts.isIdentifier(d.name) && init && isFunction(init)) out.set(d.name.text, init);
      }
    }
  };
  for (const st of sf.statements) visit(st);
  return out;
}

function decoratorName(d: ts.Decorator): string | undefined {
  const e = d.expression;
  const callee = ts.isCallExpression(e) ? e.expression : e;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

function decorators(n: ts.Node): ts.Decorator[] {
  return ts.canHaveDecorators(n) ? [...(ts.getDecorators(n) ?? [])] : [];
}

function firstStringArg(call: ts.CallExpression | ts.Decorator): string | undefined {
  const e = ts.isDecorator(call) ? call.expression : call;
  if (!ts.isCallExpression(e)) return undefined;
  const a = e.arguments[0];
  return a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) ? a.text : undefined;
}

function nameOf(fn: ts.FunctionLikeDeclaration, fallback: string): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if (ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return fallback;
}

function handler(fn: ts.FunctionLikeDeclaration, framework: string, fallbackName: string, route?: string): TsHandler {
  return { fn, fact: { start: fn.getStart(), end: fn.getEnd(), framework, name: nameOf(fn, fallbackName), route, async: isAsync(fn) } };
}

/** `app.get('/x', auth, handler)`, `router.route('/x').post(fn)`, `app.use(fn)`, `fastify.route({ handler })`. */
function routeCall(call: ts.CallExpression, framework: string | undefined, locals: ReadonlyMap<string, ts.FunctionLikeDeclaration>): TsHandler[] {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const method = callee.name.text;
  const receiver = callee.expression;
  const receiverName = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  const chained = ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'route';
  if (method === 'route' && framework === 'fastify' && call.arguments[0] && ts.isObjectLiteralExpression(call.arguments[0])) {
    const opts = call.arguments[0];
    const prop = opts.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'handler');
    const url = opts.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'url');
    const fn = prop && (ts.isPropertyAssignment(prop) ? resolveFunction(prop.initializer, locals) : ts.isMethodDeclaration(prop) ? prop : undefined);
    const route = url && ts.isPropertyAssignment(url) && ts.isStringLiteral(url.initializer) ? url.initializer.text : undefined;
    return fn ? [handler(fn, 'fastify', 'handler', route)] : [];
  }
  if (!ROUTE_METHODS.has(method)) return [];
  const path = firstStringArg(call);
  const pathLike = path !== undefined && path.startsWith('/');
  // Evidence that this is a router: a framework import, or the usual name plus a route path.
  if (!framework && !(receiverName && ROUTER_NAMES.test(receiverName) && (pathLike || chained))) return [];
  if (!pathLike && !chained && method !== 'use') return [];
  const out: TsHandler[] = [];
  const fnArgs = call.arguments.slice(pathLike || (path !== undefined && method === 'use') ? 1 : 0);
  for (const a of fnArgs) {
    const fn = resolveFunction(a, locals);
    if (fn) out.push(handler(fn, framework ?? 'http', method === 'use' ? `middleware${path ? ` ${path}` : ''}` : `${method.toUpperCase()} ${path ?? ''}`.trim(), path));
  }
  return out;
}

/** tRPC: `publicProcedure.input(z…).query(async ({ ctx, input }) => …)`. */
function trpcProcedure(call: ts.CallExpression): TsHandler | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !/^(query|mutation)$/.test(callee.name.text)) return undefined;
  let root: ts.Expression = callee.expression;
  while (ts.isCallExpression(root) || ts.isPropertyAccessExpression(root)) root = ts.isCallExpression(root) ? root.expression : root.expression;
  if (!ts.isIdentifier(root) || !/procedure$/i.test(root.text)) return undefined;
  const fn = call.arguments[0] && isFunction(call.arguments[0]) ? call.arguments[0] : undefined;
  const prop = call.parent && ts.isPropertyAssignment(call.parent) && ts.isIdentifier(call.parent.name) ? call.parent.name.text : callee.name.text;
  return fn ? handler(fn, 'trpc', prop) : undefined;
}

/** NestJS controllers (`@Get()`), NestJS and type-graphql resolvers (`@Query()`, `@ResolveField()`). */
function decoratedMethods(cls: ts.ClassDeclaration): TsHandler[] {
  const classDecorators = decorators(cls).map(decoratorName);
  const controller = classDecorators.includes('Controller');
  const resolver = classDecorators.includes('Resolver');
  if (!controller && !resolver) return [];
  const out: TsHandler[] = [];
  for (const m of cls.members) {
    if (!ts.isMethodDeclaration(m) || !m.body) continue;
    for (const d of decorators(m)) {
      const name = decoratorName(d) ?? '';
      if ((controller && NEST_ROUTES.has(name)) || (resolver && RESOLVER_DECORATORS.has(name))) {
        out.push(handler(m, resolver && !controller ? 'graphql' : 'nestjs', 'handler', firstStringArg(d)));
        break;
      }
    }
  }
  return out;
}

/** A route method of a NestJS controller (`@Get()` in a `@Controller()` class): Nest fills its parameters from decorators. */
export function isNestRoute(fn: ts.Node): boolean {
  if (!ts.isMethodDeclaration(fn) || !ts.isClassLike(fn.parent)) return false;
  return decorators(fn.parent).some((d) => decoratorName(d) === 'Controller') && decorators(fn).some((d) => NEST_ROUTES.has(decoratorName(d) ?? ''));
}

function hasDirective(statements: ts.NodeArray<ts.Statement> | undefined, directive: string): boolean {
  for (const st of statements ?? []) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === directive) return true;
  }
  return false;
}

function isExported(n: ts.Node): boolean {
  return !!ts.getModifiers(n as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * File-based routes: Next.js `app/**\/route.ts` method exports (and Medusa's `api/**\/route.ts`,
 * same convention), `pages/api/**` default exports, and server actions (`'use server'`).
 */
function fileRouteHandlers(sf: ts.SourceFile, locals: ReadonlyMap<string, ts.FunctionLikeDeclaration>): TsHandler[] {
  const path = sf.fileName.replace(/\\/g, '/');
  const routeFile = /(^|\/)(app|api)\/(.*\/)?route\.[cm]?[jt]sx?$/.test(path);
  const framework = /(^|\/)app\//.test(path) ? 'nextjs' : 'medusa';
  const apiFile = /(^|\/)pages\/api\//.test(path);
  const actions = hasDirective(sf.statements, 'use server');
  const out: TsHandler[] = [];
  const method = (name: string) => routeFile && NEXT_METHODS.has(name);
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.body && isExported(st)) {
      const name = st.name?.text ?? 'default';
      const isDefault = !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (method(name) || (apiFile && isDefault) || (actions && isAsync(st))) out.push(handler(st, routeFile ? framework : 'nextjs', name));
    } else if (ts.isVariableStatement(st) && isExported(st)) {
      for (const d of st.declarationList.declarations) {
        const fn = d.initializer && resolveFunction(d.initializer, locals);
        if (fn && ts.isIdentifier(d.name) && (method(d.name.text) || (actions && isAsync(fn)))) out.push(handler(fn, routeFile ? framework : 'nextjs', d.name.text));
      }
    } else if (ts.isExportAssignment(st) && apiFile) {
      const fn = resolveFunction(st.expression, locals);
      if (fn) out.push(handler(fn, 'nextjs', 'default'));
    } else if (routeFile && ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
      // Compiled CommonJS: `exports.GET = GET;`
      const m = /^(?:module\.)?exports\.(\w+)$/.exec(st.expression.left.getText());
      const fn = m && method(m[1]) ? resolveFunction(st.expression.right, locals) : undefined;
      if (fn && m) out.push(handler(fn, framework, m[1]));
    }
  }
  return out;
}

/** `const resolvers = { Query: { posts: () => … }, Post: { author: (post) => … } }`. */
function resolverMap(obj: ts.ObjectLiteralExpression): TsHandler[] {
  const owner = obj.parent;
  const named = ts.isVariableDeclaration(owner) && ts.isIdentifier(owner.name) && /resolvers?$/i.test(owner.name.text);
  const typed = ts.isVariableDeclaration(owner) && owner.type?.getText().includes('Resolvers');
  const hasRoot = obj.properties.some((p) => p.name && ts.isIdentifier(p.name) && /^(Query|Mutation)$/.test(p.name.text));
  if (!named && !typed && !hasRoot) return [];
  const out: TsHandler[] = [];
  for (const typeProp of obj.properties) {
    if (!ts.isPropertyAssignment(typeProp) || !ts.isObjectLiteralExpression(typeProp.initializer)) continue;
    const typeName = typeProp.name.getText();
    for (const field of typeProp.initializer.properties) {
      const fn = ts.isMethodDeclaration(field) ? field : ts.isPropertyAssignment(field) && isFunction(field.initializer) ? field.initializer : undefined;
      if (fn) out.push(handler(fn, 'graphql', `${typeName}.${field.name?.getText() ?? 'resolver'}`));
    }
  }
  return out;
}

export function findHandlers(sf: ts.SourceFile, imports: FileImports): TsHandler[] {
  const framework = frameworkOf(imports);
  const locals = localFunctions(sf);
  const out = fileRouteHandlers(sf, locals);
  nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ObjectLiteralExpression).forEach((n) => {
    if (ts.isCallExpression(n)) {
      out.push(...routeCall(n, framework, locals));
      const t = trpcProcedure(n);
      if (t) out.push(t);
    } else if (ts.isClassDeclaration(n)) out.push(...decoratedMethods(n));
    else if (ts.isObjectLiteralExpression(n) && ts.isVariableDeclaration(n.parent)) out.push(...resolverMap(n));
  });
  // One function registered twice (`app.get` and `app.head`) is one handler.
  const seen = new Set<ts.Node>();
  return out.filter((h) => !seen.has(h.fn) && !!seen.add(h.fn));
}

/** The name a call targets when it is a function of this file or a method of the same class. */
function callTarget(call: ts.CallExpression, locals: ReadonlyMap<string, ts.FunctionLikeDeclaration>): ts.FunctionLikeDeclaration | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return locals.get(e.text);
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) {
    for (let p: ts.Node | undefined = call.parent; p; p = p.parent) {
      if (ts.isClassLike(p)) {
        const m = p.members.find((k): k is ts.MethodDeclaration => ts.isMethodDeclaration(k) && !!k.body && k.name.getText() === e.name.text);
        return m;
      }
    }
  }
  return undefined;
}

/**
 * Every function that runs on a request path in this file: the handlers, and what they call,
 * breadth-first so each function keeps its shortest chain.
 */
export function requestPathFunctions(sf: ts.SourceFile, handlers: readonly TsHandler[]): Map<ts.Node, HandlerReach> {
  const reach = new Map<ts.Node, HandlerReach>();
  if (handlers.length === 0) return reach;
  const locals = localFunctions(sf);
  let frontier: ts.FunctionLikeDeclaration[] = [];
  for (const h of handlers) {
    reach.set(h.fn, { handler: h, chain: [h.fact.name] });
    frontier.push(h.fn);
  }
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const next: ts.FunctionLikeDeclaration[] = [];
    for (const fn of frontier) {
      const from = reach.get(fn)!;
      walk(fn, (n) => {
        if (ts.isCallExpression(n)) {
          const target = callTarget(n, locals);
          if (target && !reach.has(target)) {
            reach.set(target, { handler: from.handler, chain: [...from.chain, nameOf(target, 'helper')] });
            next.push(target);
          }
        }
      });
    }
    frontier = next;
  }
  return reach;
}

/**
 * The request path a node runs on: its enclosing functions, innermost first, until one is a
 * handler or a function a handler calls. Callbacks inside a handler run during the request.
 */
export function requestPathOf(node: ts.Node, reach: ReadonlyMap<ts.Node, HandlerReach>): { reach: HandlerReach; fn: ts.FunctionLikeDeclaration } | undefined {
  if (reach.size === 0) return undefined;
  for (let n = node.parent; n; n = n.parent) {
    if (isFunction(n)) {
      const r = reach.get(n);
      if (r) return { reach: r, fn: n };
    }
  }
  return undefined;
}

/** The innermost function around a node. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}

export { isAsync };

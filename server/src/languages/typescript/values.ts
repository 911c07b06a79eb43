/**
 * Where a value comes from, inside one function: a literal, request input (`req.query.page`,
 * `searchParams.get('page')`, `c.req.query('page')`, a NestJS `@Query()` parameter), a parameter,
 * or a computation over those. Local `const`/`let` initialisers are followed, a few levels deep.
 */
import ts from 'typescript';
import type { ValueFact, ValueOrigin } from '../facts';

export interface ValueInfo {
  origin: ValueOrigin;
  constant?: number | string | boolean | null;
  requestInputs: string[];
  /** The request object the input was read from (`req.query`), to read the cursor from the same place. */
  requestObject?: string;
}

const REQUEST_OBJECTS = /^(req|request|ctx|context|c|event)\.(query|params|body|request\.query|request\.body|req\.query|req\.param|req\.valid\(['"]query['"]\))$/;
const NEST_REQUEST_DECORATORS = new Set(['Query', 'Param', 'Body', 'Args']);
const NUMERIC_WRAPPERS = new Set(['Number', 'parseInt', 'parseFloat', 'Math.max', 'Math.min', 'Math.floor', 'Math.ceil', 'Math.trunc', 'BigInt', 'String']);

function unwrap(e: ts.Expression): ts.Expression {
  while (
    ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)
  ) e = e.expression;
  return e;
}

/** `req.query.page` → { object: 'req.query', input: 'page' } for request-shaped reads. */
function requestRead(e: ts.Expression): { object: string; input: string } | undefined {
  e = unwrap(e);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const obj = unwrap(e.expression).getText();
    const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    if (name && REQUEST_OBJECTS.test(obj)) return { object: obj, input: name };
  }
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText();
    const arg = e.arguments[0];
    // searchParams.get('page'), request.nextUrl.searchParams.get('page'), url.searchParams.get(…)
    if (/(^|\.)searchParams\.get$/.test(callee) && arg && ts.isStringLiteralLike(arg)) return { object: callee.slice(0, -4), input: arg.text };
    // Hono: c.req.query('page'), c.req.param('id')
    if (/^(c|ctx|context)\.req\.(query|param)$/.test(callee) && arg && ts.isStringLiteralLike(arg)) return { object: callee, input: arg.text };
  }
  return undefined;
}

function isRequestObject(e: ts.Expression): string | undefined {
  const text = unwrap(e).getText();
  return REQUEST_OBJECTS.test(text) ? text : undefined;
}

function merge(parts: ValueInfo[]): ValueInfo {
  const requestInputs = [...new Set(parts.flatMap((p) => p.requestInputs))];
  const requestObject = parts.find((p) => p.requestObject)?.requestObject;
  if (parts.some((p) => p.origin === 'request')) return { origin: parts.length === 1 ? 'request' : 'computed', requestInputs, requestObject };
  if (parts.every((p) => p.origin === 'literal')) return { origin: 'literal', requestInputs };
  if (parts.every((p) => p.origin === 'literal' || p.origin === 'setting')) return { origin: 'setting', requestInputs };
  return { origin: parts.length === 1 ? parts[0].origin : 'computed', requestInputs, requestObject };
}

function fold(op: ts.SyntaxKind, a: unknown, b: unknown): number | undefined {
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  switch (op) {
    case ts.SyntaxKind.PlusToken: return a + b;
    case ts.SyntaxKind.MinusToken: return a - b;
    case ts.SyntaxKind.AsteriskToken: return a * b;
    case ts.SyntaxKind.SlashToken: return b === 0 ? undefined : a / b;
    default: return undefined;
  }
}

/** The declaration a name refers to, searching enclosing scopes up to the source file. */
export function findDeclaration(id: ts.Identifier): ts.Node | undefined {
  const name = id.text;
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const p of scope.parameters) {
        if (ts.isIdentifier(p.name) && p.name.text === name) return p;
        if (ts.isObjectBindingPattern(p.name)) for (const el of p.name.elements) if (ts.isIdentifier(el.name) && el.name.text === name) return el;
      }
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isCaseClause(scope) || ts.isModuleBlock(scope)) {
      for (const st of scope.statements) {
        if (st.pos > id.pos) break;
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.name.text === name) return d;
          if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name) && el.name.text === name) return el;
        }
      }
    }
  }
  return undefined;
}

function isNestRequestParameter(p: ts.ParameterDeclaration): boolean {
  return (ts.getDecorators(p) ?? []).some((d) => {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    return ts.isIdentifier(callee) && NEST_REQUEST_DECORATORS.has(callee.text);
  });
}

/**
 * `this.cacheSize` where the class writes the field only in its constructor or its declaration
 * (`cacheSize = 10000`, `constructor(private cacheSize: number)`): a setting of the instance, the
 * same on every call of its methods.
 */
function setOnlyWhenMade(access: ts.PropertyAccessExpression): boolean {
  let cls: ts.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return false;
  const name = access.name.text;
  let declared = false;
  let written = false;
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && m.name.getText() === name) declared = true;
    if (ts.isConstructorDeclaration(m)) {
      if (m.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length)) declared = true;
      if (m.body && writesField(m.body, name)) declared = true;
      continue;
    }
    if ((ts.isGetAccessor(m) || ts.isSetAccessor(m)) && m.name.getText() === name) return false;
    if (writesField(m, name)) written = true;
  }
  return declared && !written;
}

/** Whether code assigns `this.<name>` (`=`, `+=`, `++`…), nested functions included. */
function writesField(node: ts.Node, name: string): boolean {
  let found = false;
  const isField = (e: ts.Expression): boolean => ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && e.name.text === name;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && isField(n.left)) found = true;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && isField(n.operand)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

export function valueInfo(expr: ts.Expression, depth = 0): ValueInfo {
  const e = unwrap(expr);
  if (depth > 6) return { origin: 'unknown', requestInputs: [] };
  if (ts.isNumericLiteral(e)) return { origin: 'literal', constant: Number(e.text), requestInputs: [] };
  if (ts.isStringLiteralLike(e)) return { origin: 'literal', constant: e.text, requestInputs: [] };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { origin: 'literal', constant: null, requestInputs: [] };
  if (e.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return { origin: 'literal', constant: null, requestInputs: [] };
  if (ts.isPrefixUnaryExpression(e)) {
    const inner = valueInfo(e.operand, depth + 1);
    if (e.operator === ts.SyntaxKind.MinusToken && typeof inner.constant === 'number') return { ...inner, constant: -inner.constant };
    return { ...inner, constant: e.operator === ts.SyntaxKind.PlusToken ? inner.constant : undefined };
  }
  const read = requestRead(e);
  if (read) return { origin: 'request', requestInputs: [read.input], requestObject: read.object };
  if (ts.isBinaryExpression(e)) {
    const l = valueInfo(e.left, depth + 1);
    const r = valueInfo(e.right, depth + 1);
    // `page ?? 1`, `page || 1`: the value is the left side when given.
    if (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
      return l.origin === 'literal' ? r : { ...l, constant: undefined };
    }
    const folded = fold(e.operatorToken.kind, l.constant, r.constant);
    if (folded !== undefined) return { origin: 'literal', constant: folded, requestInputs: [] };
    const fixed = (o: ValueInfo['origin']): boolean => o === 'literal' || o === 'setting';
    return { ...merge([l, r]), origin: l.origin === 'literal' && r.origin === 'literal' ? 'literal' : fixed(l.origin) && fixed(r.origin) ? 'setting' : 'computed' };
  }
  if (ts.isConditionalExpression(e)) {
    const a = valueInfo(e.whenTrue, depth + 1);
    const b = valueInfo(e.whenFalse, depth + 1);
    // `cursor ? 1 : 0` is a constant either way: not an offset that grows.
    if (a.constant !== undefined && b.constant !== undefined) return { origin: 'literal', constant: Math.max(Number(a.constant) || 0, Number(b.constant) || 0), requestInputs: [] };
    return merge([a, b]);
  }
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText();
    if (NUMERIC_WRAPPERS.has(callee) && e.arguments.length) return merge(e.arguments.map((a) => valueInfo(a, depth + 1)));
    return { origin: 'unknown', requestInputs: [] };
  }
  if (ts.isPropertyAccessExpression(e)) {
    // `query.page` where `query` is itself the request's query object (destructured or aliased).
    const base = valueInfo(e.expression, depth + 1);
    if (base.origin === 'request') return { origin: 'request', requestInputs: [e.name.text], requestObject: base.requestObject };
    if (base.origin === 'parameter') return { origin: 'parameter', requestInputs: [] };
    if (e.expression.kind === ts.SyntaxKind.ThisKeyword && setOnlyWhenMade(e)) return { origin: 'setting', requestInputs: [] };
    return { origin: 'unknown', requestInputs: [] };
  }
  if (ts.isIdentifier(e)) {
    const decl = findDeclaration(e);
    if (!decl) return { origin: 'unknown', requestInputs: [] };
    if (ts.isParameter(decl)) return isNestRequestParameter(decl) ? { origin: 'request', requestInputs: [e.text] } : { origin: 'parameter', requestInputs: [] };
    if (ts.isBindingElement(decl)) {
      const pattern = decl.parent;
      const owner = pattern.parent;
      const key = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : e.text;
      if (ts.isVariableDeclaration(owner) && owner.initializer) {
        const obj = isRequestObject(owner.initializer);
        if (obj) return { origin: 'request', requestInputs: [key], requestObject: obj };
        const base = valueInfo(owner.initializer, depth + 1);
        if (base.origin === 'request') return { origin: 'request', requestInputs: [key], requestObject: base.requestObject };
      }
      if (ts.isParameter(owner)) return isNestRequestParameter(owner) ? { origin: 'request', requestInputs: [key] } : { origin: 'parameter', requestInputs: [] };
      return { origin: 'unknown', requestInputs: [] };
    }
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const obj = isRequestObject(decl.initializer);
      if (obj) return { origin: 'request', requestInputs: [], requestObject: obj };
      // A `let` may be reassigned; its initialiser is still the best single-file evidence.
      return valueInfo(decl.initializer, depth + 1);
    }
    return { origin: 'unknown', requestInputs: [] };
  }
  return { origin: 'unknown', requestInputs: [] };
}

export function valueFact(expr: ts.Expression): ValueFact & { requestObject?: string } {
  const info = valueInfo(expr);
  const fact: ValueFact & { requestObject?: string } = { start: expr.getStart(), end: expr.getEnd(), text: expr.getText(), origin: info.origin };
  if (info.constant !== undefined) fact.constant = info.constant;
  if (info.requestInputs.length) fact.requestInputs = info.requestInputs;
  if (info.requestObject) fact.requestObject = info.requestObject;
  return fact;
}

/**
 * Where a Python value comes from inside one function: request input (`request.GET.get("page")`,
 * `request.query_params`, Flask `request.args`, a FastAPI path-operation parameter), a parameter,
 * a literal, or a computation. Assignments earlier in the function are followed.
 */
import type { ValueFact, ValueOrigin } from '../facts';
import { decoratorsOf, enclosingFunction, field, walk, type Node } from './tree';

export interface PyValue {
  origin: ValueOrigin;
  constant?: number | string | null;
  requestInputs: string[];
  requestObject?: string;
}

const REQUEST_OBJECT = /^(self\.)?request\.(GET|POST|query_params|data|args|form|values|query)$/;
const ROUTE_DECORATOR = /^@?\s*\w+(\.\w+)*\.(get|post|put|patch|delete|api_route|route)\s*\(/;
const WRAPPERS = new Set(['int', 'float', 'max', 'min', 'abs', 'str', 'round']);

function strValue(n: Node): string | undefined {
  if (n.type !== 'string') return undefined;
  const content = n.namedChildren.filter((c) => c?.type === 'string_content');
  return n.namedChildren.some((c) => c?.type === 'interpolation') ? undefined : content.map((c) => c!.text).join('');
}

/** Is `fn` a FastAPI/Starlette-style path operation, whose parameters are request input? */
export function isRouteFunction(fn: Node): boolean {
  return decoratorsOf(fn).some((d) => ROUTE_DECORATOR.test(d.text));
}

function requestRead(n: Node): { object: string; input: string } | undefined {
  if (n.type === 'subscript') {
    const obj = field(n, 'value')?.text ?? '';
    const key = field(n, 'subscript');
    const name = key ? strValue(key) : undefined;
    if (REQUEST_OBJECT.test(obj) && name) return { object: obj, input: name };
  }
  if (n.type === 'call') {
    const f = field(n, 'function');
    if (f?.type === 'attribute' && field(f, 'attribute')?.text === 'get') {
      const obj = field(f, 'object')?.text ?? '';
      const first = field(n, 'arguments')?.namedChildren[0];
      const name = first ? strValue(first) : undefined;
      if (REQUEST_OBJECT.test(obj) && name) return { object: obj, input: name };
    }
  }
  return undefined;
}

function parameterNamed(fn: Node, name: string): Node | undefined {
  const params = field(fn, 'parameters');
  for (const p of params?.namedChildren ?? []) {
    if (!p) continue;
    const id = p.type === 'identifier' ? p : field(p, 'name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
    if (id?.text === name) return p;
  }
  return undefined;
}

/** The last assignment `name = …` in the function before `before`. */
function assignmentBefore(fn: Node | undefined, root: Node, name: string, before: number): Node | undefined {
  let found: Node | undefined;
  const scope = fn ? field(fn, 'body') : root;
  if (!scope) return undefined;
  walk(scope, (n) => {
    if (n.startIndex >= before) return false;
    if ((n.type === 'function_definition' || n.type === 'class_definition') && n !== fn) return false;
    // Source order: the last assignment before the use wins.
    if (n.type === 'assignment' && field(n, 'left')?.text === name && field(n, 'right')) found = field(n, 'right')!;
  });
  return found;
}

function merge(parts: PyValue[]): PyValue {
  const requestInputs = [...new Set(parts.flatMap((p) => p.requestInputs))];
  const requestObject = parts.find((p) => p.requestObject)?.requestObject;
  if (parts.every((p) => p.origin === 'literal')) return { origin: 'literal', requestInputs };
  const single = parts.filter((p) => p.origin !== 'literal');
  return { origin: single.length === 1 && parts.length === 1 ? single[0].origin : 'computed', requestInputs, requestObject };
}

export function pyValue(n: Node, root: Node, depth = 0): PyValue {
  if (depth > 6) return { origin: 'unknown', requestInputs: [] };
  switch (n.type) {
    case 'integer':
      return { origin: 'literal', constant: Number(n.text.replace(/_/g, '')), requestInputs: [] };
    case 'float':
      return { origin: 'literal', constant: Number(n.text), requestInputs: [] };
    case 'none':
      return { origin: 'literal', constant: null, requestInputs: [] };
    case 'string': {
      const s = strValue(n);
      return s === undefined ? { origin: 'unknown', requestInputs: [] } : { origin: 'literal', constant: s, requestInputs: [] };
    }
    case 'parenthesized_expression':
      return n.namedChildren[0] ? pyValue(n.namedChildren[0], root, depth + 1) : { origin: 'unknown', requestInputs: [] };
    case 'unary_operator': {
      const v = pyValue(field(n, 'argument')!, root, depth + 1);
      return typeof v.constant === 'number' && n.text.startsWith('-') ? { ...v, constant: -v.constant } : v;
    }
    case 'binary_operator': {
      const l = pyValue(field(n, 'left')!, root, depth + 1);
      const r = pyValue(field(n, 'right')!, root, depth + 1);
      const op = field(n, 'operator')?.text ?? n.children.find((c) => c && !c.isNamed)?.text;
      if (typeof l.constant === 'number' && typeof r.constant === 'number') {
        const v = op === '+' ? l.constant + r.constant : op === '-' ? l.constant - r.constant : op === '*' ? l.constant * r.constant : op === '//' || op === '/' ? (r.constant ? Math.floor(l.constant / r.constant) : undefined) : undefined;
        if (v !== undefined) return { origin: 'literal', constant: v, requestInputs: [] };
      }
      const m = merge([l, r]);
      return { ...m, origin: m.origin === 'literal' ? 'literal' : 'computed' };
    }
    case 'boolean_operator': {
      // `page or 1`: the value is the left side when given.
      const l = pyValue(field(n, 'left')!, root, depth + 1);
      return l.origin === 'literal' ? pyValue(field(n, 'right')!, root, depth + 1) : { ...l, constant: undefined };
    }
    case 'conditional_expression': {
      const [a, , b] = n.namedChildren;
      const va = a ? pyValue(a, root, depth + 1) : { origin: 'unknown' as const, requestInputs: [] };
      const vb = b ? pyValue(b, root, depth + 1) : { origin: 'unknown' as const, requestInputs: [] };
      if (va.constant !== undefined && vb.constant !== undefined) return { origin: 'literal', constant: 0, requestInputs: [] };
      return merge([va, vb]);
    }
    case 'subscript':
    case 'call': {
      const read = requestRead(n);
      if (read) return { origin: 'request', requestInputs: [read.input], requestObject: read.object };
      if (n.type === 'call') {
        const f = field(n, 'function')?.text ?? '';
        const a = field(n, 'arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'keyword_argument') ?? [];
        if (WRAPPERS.has(f) && a.length) return merge(a.map((x) => pyValue(x, root, depth + 1)));
      }
      return { origin: 'unknown', requestInputs: [] };
    }
    case 'identifier': {
      const fn = enclosingFunction(n);
      const assigned = assignmentBefore(fn, root, n.text, n.startIndex);
      if (assigned) return pyValue(assigned, root, depth + 1);
      if (fn && parameterNamed(fn, n.text)) {
        return isRouteFunction(fn) ? { origin: 'request', requestInputs: [n.text] } : { origin: 'parameter', requestInputs: [] };
      }
      return { origin: 'unknown', requestInputs: [] };
    }
    default:
      return { origin: 'unknown', requestInputs: [] };
  }
}

export function pyValueFact(n: Node, root: Node): ValueFact & { requestObject?: string } {
  const v = pyValue(n, root);
  const fact: ValueFact & { requestObject?: string } = { start: n.startIndex, end: n.endIndex, text: n.text, origin: v.origin };
  if (v.constant !== undefined) fact.constant = v.constant;
  if (v.requestInputs.length) fact.requestInputs = v.requestInputs;
  if (v.requestObject) fact.requestObject = v.requestObject;
  return fact;
}

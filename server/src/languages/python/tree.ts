/** Small helpers over tree-sitter nodes, shared by the Python fact builders. */
import type { Node } from 'web-tree-sitter';

export type { Node };

export function field(n: Node, name: string): Node | null {
  return n.childForFieldName(name);
}

/** `a.b.c(…)` → 'c'; `f(…)` → 'f'. */
export function calleeName(call: Node): string | undefined {
  const f = field(call, 'function');
  if (!f) return undefined;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'attribute') return field(f, 'attribute')?.text;
  return undefined;
}

export function args(call: Node): Node[] {
  const list = field(call, 'arguments');
  return list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

export function keywordArg(call: Node, name: string): Node | undefined {
  for (const a of args(call)) if (a.type === 'keyword_argument' && field(a, 'name')?.text === name) return field(a, 'value') ?? undefined;
  return undefined;
}

/** The calls of a method chain from the innermost out: `Post.objects.filter().order_by()`. */
export function chainCalls(n: Node): Node[] {
  const calls: Node[] = [];
  let cur: Node | null = n;
  while (cur) {
    if (cur.type === 'call') {
      calls.unshift(cur);
      const f = field(cur, 'function');
      cur = f?.type === 'attribute' ? field(f, 'object') : null;
    } else if (cur.type === 'attribute') cur = field(cur, 'object');
    else if (cur.type === 'subscript') cur = field(cur, 'value');
    else if (cur.type === 'parenthesized_expression') cur = cur.namedChildren[0] ?? null;
    else break;
  }
  return calls;
}

export function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

export function decoratorsOf(fn: Node): Node[] {
  const parent = fn.parent;
  return parent?.type === 'decorated_definition' ? parent.namedChildren.filter((c): c is Node => !!c && c.type === 'decorator') : [];
}

/**
 * Visits `node` and its descendants depth-first without recursion: deeply nested input (thousands
 * of brackets) must not overflow the stack. `enter` returns false to skip a node's subtree.
 */
export function walk(node: Node, enter: (n: Node) => boolean | void, named = true): void {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (enter(n) === false) continue;
    const kids = named ? n.namedChildren : n.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
}

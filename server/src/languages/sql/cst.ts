/** Small, typed helpers over sql-parser-cst's tree: walking it and reading names out of it. */
import type { Expr, Node } from 'sql-parser-cst';

/** Every node under `root` (itself included), with its parent, depth first in source order. */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => void): void {
  const stack: Array<[Node, Node | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    visit(node, parent);
    const children: Node[] = [];
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const v of value) if (isNode(v)) children.push(v);
      } else if (isNode(value)) children.push(value);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], node]);
  }
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export function rangeOf(node: Node): [number, number] {
  return node.range ?? [0, 0];
}

/** `posts`, `public.posts` → `posts`; `"Post"` → `Post`. Undefined for anything else. */
export function columnName(expr: Node): string | undefined {
  if (expr.type === 'identifier') return expr.name;
  if (expr.type === 'member_expr' && expr.property.type === 'identifier') return expr.property.name;
  return undefined;
}

/** The qualifier of `p.created_at` (`p`), if any. */
export function qualifierOf(expr: Node): string | undefined {
  return expr.type === 'member_expr' ? columnName(expr.object) : undefined;
}

/** Strips redundant parentheses: `(($1))` → `$1`. */
export function unparen(expr: Expr): Expr {
  let e = expr;
  while (e.type === 'paren_expr') e = e.expr as Expr;
  return e;
}

/** Folds number literals under + - * / and unary minus: `2 * 10` → 20. Undefined when not constant. */
export function foldNumber(expr: Node): number | undefined {
  switch (expr.type) {
    case 'number_literal':
      return expr.value;
    case 'paren_expr':
      return foldNumber(expr.expr);
    case 'prefix_op_expr': {
      const v = foldNumber(expr.expr);
      if (v === undefined) return undefined;
      return expr.operator === '-' ? -v : expr.operator === '+' ? v : undefined;
    }
    case 'binary_expr': {
      const l = foldNumber(expr.left);
      const r = foldNumber(expr.right);
      if (l === undefined || r === undefined || typeof expr.operator !== 'string') return undefined;
      switch (expr.operator) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return r === 0 ? undefined : Math.trunc(l / r);
        default: return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** Names of the tables a FROM clause reads (joins included, sub-queries and functions not). */
export function fromTables(expr: Node, out: Array<{ name: string; alias?: string }>): void {
  switch (expr.type) {
    case 'join_expr':
      fromTables(expr.left, out);
      fromTables(expr.right, out);
      return;
    case 'alias': {
      const before = out.length;
      fromTables(expr.expr, out);
      if (out.length === before + 1) out[before].alias = expr.alias.name;
      return;
    }
    case 'paren_expr':
      if (expr.expr.type !== 'select_stmt' && expr.expr.type !== 'compound_select_stmt') fromTables(expr.expr, out);
      return;
    case 'identifier':
    case 'member_expr': {
      const name = columnName(expr);
      if (name) out.push({ name });
      return;
    }
    case 'table_with_inheritance':
    case 'table_without_inheritance':
    case 'indexed_table':
    case 'not_indexed_table':
    case 'partitioned_table':
      fromTables(expr.table, out);
      return;
    default:
      return;
  }
}

/**
 * Values in Python ORM calls: literals, and module-level names bound once to a literal
 * (`PAGE_SIZE = 20`), are inlined; everything else becomes a placeholder.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeValue, SqlLiteral } from './sql-builder';

export function pyString(n: Node | null | undefined): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

export function pyConstant(n: Node, depth = 0): SqlLiteral | undefined {
  if (depth > 5) return undefined;
  switch (n.type) {
    case 'integer': return /^\d+$/.test(n.text.replace(/_/g, '')) ? Number(n.text.replace(/_/g, '')) : undefined;
    case 'float': return Number(n.text.replace(/_/g, ''));
    case 'true': return true;
    case 'false': return false;
    case 'none': return null;
    case 'string': return pyString(n);
    case 'parenthesized_expression': return n.namedChildren[0] ? pyConstant(n.namedChildren[0], depth + 1) : undefined;
    case 'unary_operator': {
      const v = n.childForFieldName('argument');
      const c = v ? pyConstant(v, depth + 1) : undefined;
      return typeof c === 'number' && n.text.trimStart().startsWith('-') ? -c : undefined;
    }
    case 'binary_operator': {
      const l = pyConstant(n.childForFieldName('left')!, depth + 1);
      const r = pyConstant(n.childForFieldName('right')!, depth + 1);
      const op = n.childForFieldName('operator')?.text;
      if (typeof l !== 'number' || typeof r !== 'number') return undefined;
      return op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : undefined;
    }
    case 'identifier': {
      const value = moduleConstant(n);
      return value ? pyConstant(value, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** `NAME = <literal>` assigned exactly once at module level, and not a local of the function using it. */
function moduleConstant(id: Node): Node | undefined {
  let root: Node = id;
  while (root.parent) root = root.parent;
  const assignments = root.descendantsOfType('assignment').filter((a): a is Node => !!a && a.childForFieldName('left')?.text === id.text);
  if (assignments.length !== 1) return undefined;
  const a = assignments[0];
  if (a.parent?.parent?.type !== 'module') return undefined;
  return a.childForFieldName('right') ?? undefined;
}

export function pyCodeValue(n: Node): CodeValue {
  const c = pyConstant(n);
  return c !== undefined ? { literal: c } : { expression: n.text.replace(/\s*\n\s*/g, ' ') };
}

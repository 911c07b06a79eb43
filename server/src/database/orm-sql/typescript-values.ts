/**
 * Values in JS/TS ORM calls: a literal (or a `const` bound to one, or arithmetic over them) is
 * inlined; anything else (a variable, request data, a call) becomes a placeholder. A `let` is not
 * a constant here even when its initialiser is: the value may change before the call.
 */
import ts from 'typescript';
import { findDeclaration } from '../../languages/typescript/values';
import type { CodeValue, SqlLiteral } from './sql-builder';

export function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

export function constantOf(expr: ts.Expression, depth = 0): SqlLiteral | undefined {
  const e = unwrap(expr);
  if (depth > 5) return undefined;
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const v = constantOf(e.operand, depth + 1);
    return typeof v === 'number' ? -v : undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const l = constantOf(e.left, depth + 1);
    const r = constantOf(e.right, depth + 1);
    if (typeof l !== 'number' || typeof r !== 'number') {
      return e.operatorToken.kind === ts.SyntaxKind.PlusToken && typeof l === 'string' && typeof r === 'string' ? l + r : undefined;
    }
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken: return l + r;
      case ts.SyntaxKind.MinusToken: return l - r;
      case ts.SyntaxKind.AsteriskToken: return l * r;
      default: return undefined;
    }
  }
  if (ts.isIdentifier(e)) {
    const decl = findDeclaration(e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
      return constantOf(decl.initializer, depth + 1);
    }
  }
  return undefined;
}

export function codeValue(expr: ts.Expression): CodeValue {
  const c = constantOf(expr);
  return c !== undefined ? { literal: c } : { expression: oneLine(expr.getText()) };
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** The name of a property (`where`, `'createdAt'`), or undefined for computed names. */
export function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

/**
 * The properties of an options object, in order. A conditional spread (`...(after ? { cursor } : {})`)
 * takes its non-empty branch, with a note; other spreads and computed keys cannot be read.
 */
export function objectEntries(expr: ts.Expression, what: string, notes: string[], fail: (what: string) => never): Map<string, ts.Expression> {
  const e = unwrap(expr);
  if (!ts.isObjectLiteralExpression(e)) fail(`${what} is not an object literal (\`${oneLine(expr.getText())}\`)`);
  const out = new Map<string, ts.Expression>();
  for (const p of (e as ts.ObjectLiteralExpression).properties) {
    if (ts.isPropertyAssignment(p)) {
      const name = propertyName(p) ?? fail(`a computed key in ${what} is not translated`);
      out.set(name, p.initializer);
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out.set(p.name.text, p.name);
    } else if (ts.isSpreadAssignment(p)) {
      const s = unwrap(p.expression);
      if (!ts.isConditionalExpression(s)) fail(`the spread \`${oneLine(p.getText())}\` in ${what} is not translated`);
      const c = s as ts.ConditionalExpression;
      const empty = (x: ts.Expression): boolean => ts.isObjectLiteralExpression(unwrap(x)) && (unwrap(x) as ts.ObjectLiteralExpression).properties.length === 0;
      const branch = empty(c.whenFalse) ? c.whenTrue : empty(c.whenTrue) ? c.whenFalse : fail(`the spread \`${oneLine(p.getText())}\` in ${what} is not translated`);
      notes.push(`assumes \`${oneLine(c.condition.getText())}\` is ${branch === c.whenTrue ? 'truthy' : 'falsy'}: the spread's options are included`);
      for (const [k, v] of objectEntries(branch, what, notes, fail)) out.set(k, v);
    } else fail(`\`${oneLine(p.getText())}\` in ${what} is not translated`);
  }
  return out;
}

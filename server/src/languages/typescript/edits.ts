/** Edits that fixes of every rule need in JS/TS: adding an import, making a function `async`. */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';

/**
 * `import { a, b } from 'module'`: the names added to an existing named import of the module when
 * there is one, else a new import (or a `require` in a CommonJS file) at the top. Type-only imports
 * bind no value: they neither count nor take the names.
 */
export function ensureImport(sf: ts.SourceFile, module: string, names: string[]): Edit[] {
  const missing = new Set(names);
  let target: ts.NamedImports | undefined;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.importClause?.isTypeOnly) continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) if (!el.isTypeOnly) missing.delete(el.name.text);
      if (st.moduleSpecifier.text === module) target = bindings;
    }
  }
  // `const { Op } = require('sequelize')` also brings the name in.
  for (const n of [...missing]) if (new RegExp(`\\b${n}\\b[^\\n]*require\\(['"]${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]\\)`).test(sf.text)) missing.delete(n);
  if (missing.size === 0) return [];
  const list = [...missing].join(', ');
  if (target) {
    const last = target.elements[target.elements.length - 1];
    return [{ start: last ? last.getEnd() : target.getStart() + 1, end: last ? last.getEnd() : target.getStart() + 1, newText: last ? `, ${list}` : ` ${list} ` }];
  }
  const cjs = isCommonJs(sf);
  const line = cjs ? `const { ${list} } = require('${module}');\n` : `import { ${list} } from '${module}';\n`;
  const at = importInsertionPoint(sf, cjs);
  return [{ start: at, end: at, newText: line }];
}

/** `import Name from 'module'` (or `const Name = require('module')`), unless the file has it. */
export function ensureDefaultImport(sf: ts.SourceFile, module: string, name: string): Edit[] {
  if (new RegExp(`\\b${name}\\b[^\\n]*(from ['"]${module}['"]|require\\(['"]${module}['"]\\))`).test(sf.text)) return [];
  const cjs = isCommonJs(sf);
  const at = importInsertionPoint(sf, cjs);
  return [{ start: at, end: at, newText: cjs ? `const ${name} = require('${module}');\n` : `import ${name} from '${module}';\n` }];
}

/** After the file's last import (or top-level require), where people put them; else at the top, after directives. */
function importInsertionPoint(sf: ts.SourceFile, cjs: boolean): number {
  const last = [...sf.statements].reverse().find((s) => (cjs ? ts.isVariableStatement(s) && /^\s*(const|let|var)\b[^\n]*\brequire\(/.test(s.getText()) : ts.isImportDeclaration(s)));
  if (last) return last.getEnd() + 1;
  const first = sf.statements.find((s) => !(ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)));
  return first ? first.getFullStart() + (first.getFullStart() === 0 ? 0 : 1) : 0;
}

export function isCommonJs(sf: ts.SourceFile): boolean {
  return !sf.statements.some(ts.isImportDeclaration) && /\brequire\(/.test(sf.text);
}

/** Whether a name is already bound at the top level of the file (an import, a declaration). */
export function isBound(sf: ts.SourceFile, name: string): boolean {
  return new RegExp(`(import|const|let|var|function|class)\\b[^\\n;]*\\b${name}\\b`).test(sf.text);
}

/** `async` before a function that is not yet: the edit, or none when it already is. */
export function makeAsync(fn: ts.FunctionLikeDeclaration): Edit[] {
  if (ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return [];
  // Before `function`, before an arrow's parameters, before a method's name (after its other modifiers).
  const at = ts.isMethodDeclaration(fn) ? fn.name.getStart() : fn.getStart();
  return [{ start: at, end: at, newText: 'async ' }];
}

/** Adds `prop` to the options object at `index`, or the object itself (with `undefined` for skipped arguments). */
export function addOption(call: ts.CallExpression | ts.NewExpression, index: number, prop: string): Edit[] | undefined {
  // `new NodeCache` without parentheses.
  if (!call.arguments) return index === 0 ? [{ start: call.getEnd(), end: call.getEnd(), newText: `({ ${prop} })` }] : undefined;
  const args = call.arguments;
  const arg = args[index];
  if (arg) return ts.isObjectLiteralExpression(arg) ? addProperty(arg, prop) : undefined;
  const fill = Array.from({ length: index - args.length }, () => 'undefined');
  const at = args.length ? args[args.length - 1].getEnd() : args.pos;
  const before = args.length ? ', ' : '';
  return [{ start: at, end: at, newText: `${before}${[...fill, `{ ${prop} }`].join(', ')}` }];
}

/** Adds `prop` (`key: value`) to an object literal, laid out as its properties are. */
export function addProperty(obj: ts.ObjectLiteralExpression, prop: string): Edit[] {
  const last = obj.properties[obj.properties.length - 1];
  if (!last) return [{ start: obj.getStart(), end: obj.getEnd(), newText: `{ ${prop} }` }];
  const text = obj.getSourceFile().text;
  const trailing = obj.properties.hasTrailingComma;
  const end = last.getEnd() + (trailing ? 1 : 0);
  // One property per line: the new one on a line of its own, indented as the last.
  const lastStart = last.getStart();
  const lineStart = text.lastIndexOf('\n', lastStart - 1) + 1;
  if (text.slice(obj.getStart(), lastStart).includes('\n') && /^[ \t]*$/.test(text.slice(lineStart, lastStart))) {
    return [{ start: end, end, newText: `${trailing ? '' : ','}\n${text.slice(lineStart, lastStart)}${prop}${trailing ? ',' : ''}` }];
  }
  return [{ start: end, end, newText: `${trailing ? ' ' : ', '}${prop}${trailing ? ',' : ''}` }];
}

/**
 * The edit that puts `newText` in place of `expr`. In a shorthand property (`{ where }`) the name
 * is the value too: the edit keeps the key (`{ where: newText }`).
 */
export function replaceExpression(expr: ts.Expression, newText: string): Edit {
  const parent = expr.parent as ts.Node | undefined;
  const shorthand = parent !== undefined && ts.isShorthandPropertyAssignment(parent) && parent.name === expr;
  return { start: expr.getStart(), end: expr.getEnd(), newText: shorthand ? `${expr.getText()}: ${newText}` : newText };
}

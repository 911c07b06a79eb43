/**
 * The edits that index a column of a TypeORM entity, from the entity file's text when the fix is
 * applied: `@Index()` on its own line right above the property (after its other decorators), and
 * `Index` in the file's import from 'typeorm' (an import added when there is none). None when the
 * class or the property is not found.
 */
import type { Edit } from '../../engine/finding';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function importEdit(text: string): Edit | undefined {
  const named = /^import\s*(?:type\s+)?\{([^}]*)\}\s*from\s*['"]typeorm['"]/m.exec(text);
  if (named && !named[1].includes('type ') && /\bIndex\b/.test(named[1])) return undefined;
  if (named && !/^import\s*type\b/.test(named[0])) {
    const close = named.index + named[0].indexOf('}');
    const inner = named[1];
    const trimmed = inner.replace(/\s+$/, '');
    const at = named.index + named[0].indexOf('{') + 1 + trimmed.length;
    // `{ Column, Entity }`, `{\n  Column,\n  Entity,\n}`: the name after the last one, as they are written.
    if (trimmed.endsWith(',')) {
      const multiline = inner.slice(trimmed.length).includes('\n');
      const indent = multiline ? /\n([ \t]*)[^\n]*$/.exec(trimmed)?.[1] ?? '  ' : '';
      return { start: at, end: at, newText: multiline ? `\n${indent}Index,` : ' Index' };
    }
    return trimmed.trim() ? { start: at, end: at, newText: ', Index' } : { start: close, end: close, newText: ' Index ' };
  }
  const imports = [...text.matchAll(/^import[^;]*;[^\n]*\n/gm)];
  const after = imports.length ? imports[imports.length - 1].index! + imports[imports.length - 1][0].length : 0;
  return { start: after, end: after, newText: "import { Index } from 'typeorm';\n" };
}

export function typeormIndexEdits(text: string, entity: string, property: string): Edit[] {
  const cls = new RegExp(`\\bclass\\s+${escape(entity)}\\b[^{]*\\{`).exec(text);
  if (!cls) return [];
  const body = text.slice(cls.index + cls[0].length);
  const prop = new RegExp(`^([ \\t]*)((?:@[\\w.]+(?:\\([^)\\n]*\\))?[ \\t]+)*)(?:(?:public|private|protected|readonly|declare|override)\\s+)*${escape(property)}[!?]?\\s*[:=;]`, 'm').exec(body);
  if (!prop) return [];
  const lineStart = cls.index + cls[0].length + prop.index;
  const at = lineStart + prop[1].length;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Decorators written on the property's line: `@Index()` joins them there.
  const decorator: Edit = prop[2] ? { start: at, end: at, newText: '@Index() ' } : { start: at, end: at, newText: `@Index()${eol}${prop[1]}` };
  const imported = importEdit(text);
  return imported ? [imported, decorator].sort((a, b) => a.start - b.start) : [decorator];
}

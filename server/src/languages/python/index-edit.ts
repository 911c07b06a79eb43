/**
 * The edit that indexes a field of a Python model, from the models module's text: a keyword among
 * the field's arguments, `db_index=True` for Django (`email = models.EmailField(max_length=254,
 * db_index=True)`), `index=True` for SQLAlchemy and SQLModel (`mapped_column(String, index=True)`).
 * The text is read as it is when the fix is applied (it may have changed since the lint): the class
 * `model`, then the field's assignment in it, then the call's closing parenthesis, counting
 * brackets outside strings. None when the field already has the keyword or is not found.
 */
import type { Edit } from '../../engine/finding';
import { escapeRegExp as escape } from '../../engine/regexp';

/** The offset of the `)` closing the bracket opened at `open`, skipping strings and comments. */
function closing(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const end = triple ? text.indexOf(c.repeat(3), i + 3) : text.slice(i + 1).search(new RegExp(`(?<!\\\\)${c}|\\n`)) + i + 1;
      if (end < i) return undefined;
      i = triple ? end + 2 : end;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : undefined;
    }
  }
  return undefined;
}

export function pythonIndexEdit(text: string, model: string, fieldName: string, keyword: 'db_index' | 'index'): Edit | undefined {
  const cls = new RegExp(`^([ \\t]*)class\\s+${escape(model)}\\s*\\(`, 'm').exec(text);
  if (!cls) return undefined;
  // The class body: the lines after it indented deeper than the class line.
  const bodyStart = text.indexOf('\n', cls.index) + 1;
  const after = text.slice(bodyStart);
  const end = new RegExp(`^(?!${cls[1]}[ \\t]|[ \\t]*(#.*)?\\r?$)`, 'm').exec(after);
  const body = after.slice(0, end ? end.index : after.length);
  const assign = new RegExp(`^[ \\t]+${escape(fieldName)}\\s*(?::[^=\\n]+)?=\\s*[\\w.]+\\(`, 'm').exec(body);
  if (!assign) return undefined;
  const open = bodyStart + assign.index + assign[0].length - 1;
  const close = closing(text, open);
  if (close === undefined) return undefined;
  const inner = text.slice(open + 1, close);
  if (new RegExp(`\\b${keyword}\\s*=`).test(inner)) return undefined;
  const trimmed = inner.replace(/\s+$/, '');
  const arg = `${keyword}=True`;
  if (trimmed === '') return { start: open + 1, end: open + 1, newText: arg };
  const last = open + 1 + trimmed.length;
  // A call written one argument per line, with a trailing comma: the new argument on its own line.
  if (trimmed.endsWith(',') && inner.slice(trimmed.length).includes('\n')) {
    const lineStart = text.lastIndexOf('\n', last - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return { start: last, end: last, newText: `${eol}${indent}${arg},` };
  }
  return { start: last, end: last, newText: trimmed.endsWith(',') ? ` ${arg}` : `, ${arg}` };
}

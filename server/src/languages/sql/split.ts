/**
 * Splits a SQL script into statements without parsing it, so that one statement the parser does
 * not understand (a dialect extension, a half-typed query) does not hide the others. Respects
 * quotes, PostgreSQL dollar quoting, comments, `BEGIN … END` bodies of triggers, psql
 * meta-commands and the MySQL client's `DELIMITER` command.
 */

export interface StatementText {
  text: string;
  /** File offset of the statement's first character. */
  start: number;
}

export interface SplitOptions {
  /** MySQL: backslash escapes in strings and `#` line comments. */
  mysql?: boolean;
}

const WORD = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

export function splitStatements(text: string, options: SplitOptions = {}): StatementText[] {
  const out: StatementText[] = [];
  let delimiter = ';';
  let stmtStart = -1;
  /** Open `BEGIN`/`CASE` words inside a CREATE TRIGGER/PROCEDURE/FUNCTION body. */
  let depth = 0;
  let blockBody = false;
  let i = 0;
  const n = text.length;

  const flush = (end: number): void => {
    if (stmtStart >= 0) {
      const raw = text.slice(stmtStart, end);
      const trimmed = raw.trimEnd();
      if (trimmed.length > 0) out.push({ text: trimmed, start: stmtStart });
    }
    stmtStart = -1;
    depth = 0;
    blockBody = false;
  };

  while (i < n) {
    const c = text[i];
    // Whitespace and comments before a statement do not belong to it.
    if (c === '-' && text[i + 1] === '-') {
      i = lineEnd(text, i);
      continue;
    }
    if (c === '#' && options.mysql) {
      i = lineEnd(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (stmtStart < 0) {
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      const atLineStart = i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
      if (atLineStart && c === '\\') {
        // psql meta-command (\connect, \i …): not SQL, ends at the line's end.
        i = lineEnd(text, i);
        continue;
      }
      const delim = /^DELIMITER[ \t]+(\S+)/i.exec(text.slice(i, i + 40));
      if (atLineStart && delim) {
        delimiter = delim[1];
        i = lineEnd(text, i);
        continue;
      }
      stmtStart = i;
    }
    if (c === "'" || c === '"' || c === '`') {
      const backslash = c !== '`' && (options.mysql || (c === "'" && /[eE]/.test(text[i - 1] ?? '') && !WORD.test(text[i - 2] ?? '')));
      i = quoteEnd(text, i, c, backslash);
      continue;
    }
    if (c === '$' && !WORD.test(text[i - 1] ?? '')) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        continue;
      }
    }
    if (text.startsWith(delimiter, i) && (delimiter !== ';' || depth === 0)) {
      flush(i);
      i += delimiter.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && !WORD.test(text[i - 1] ?? '')) {
      let j = i + 1;
      while (j < n && WORD.test(text[j])) j++;
      const word = text.slice(i, j).toUpperCase();
      if (!blockBody && (word === 'TRIGGER' || word === 'PROCEDURE' || word === 'FUNCTION') && /^\s*CREATE\b/i.test(text.slice(stmtStart, i))) {
        // PostgreSQL bodies are dollar-quoted; SQLite triggers and MySQL routines use BEGIN … END.
        blockBody = true;
      } else if (blockBody && (word === 'BEGIN' || word === 'CASE')) depth++;
      else if (blockBody && word === 'END' && depth > 0) depth--;
      i = j;
      continue;
    }
    i++;
  }
  flush(n);
  return out;
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl + 1;
}

function quoteEnd(text: string, i: number, quote: string, backslash: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (backslash && c === '\\') {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

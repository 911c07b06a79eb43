/**
 * SQL found in code may use its driver's placeholders (`?` for mysql2 and sqlite3, `%s` for
 * psycopg); PostgreSQL wants `$1 … $n`. Quoted strings, quoted names and comments are left alone.
 */
export function toDollarPlaceholders(sql: string): string {
  if (/\$\d/.test(sql)) return sql;
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      out += sql.slice(i, end < 0 ? sql.length : end);
      i = end < 0 ? sql.length : end - 1;
    } else if (c === '?' && !/[?|&]/.test(sql[i + 1] ?? '')) {
      out += `$${++n}`;
    } else if (c === '%' && sql[i + 1] === 's') {
      out += `$${++n}`;
      i++;
    } else out += c;
  }
  return out;
}

function closingQuote(sql: string, start: number, quote: string, backslashEscapes = false): number {
  for (let i = start + 1; i < sql.length; i++) {
    // MySQL also escapes with a backslash inside quoted strings (not inside backquoted names).
    if (backslashEscapes && quote !== '`' && sql[i] === '\\') i++;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i++;
      else return i;
    }
  }
  return sql.length - 1;
}

/**
 * The opposite direction, for MySQL: statements arrive with `$1 … $n` and mysql2 binds `?` in
 * order, so each `$n` becomes a `?` and the values are laid out in the order they appear (a `$1`
 * used twice is bound twice). Strings, backquoted names and comments are left alone.
 */
export function toQuestionPlaceholders(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  let out = '';
  const ordered: unknown[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c, true);
      out += sql.slice(i, end + 1);
      i = end;
    } else if ((c === '-' && sql[i + 1] === '-') || c === '#') {
      const end = sql.indexOf('\n', i);
      out += sql.slice(i, end < 0 ? sql.length : end);
      i = end < 0 ? sql.length : end - 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '$' && /\d/.test(sql[i + 1] ?? '') && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const digits = /^\d+/.exec(sql.slice(i + 1))![0];
      const index = Number(digits);
      if (index < 1 || index > params.length) throw new Error(`$${index} has no value: ${params.length} parameter(s) given`);
      out += '?';
      ordered.push(params[index - 1]);
      i += digits.length;
    } else out += c;
  }
  return { sql: out, params: ordered };
}

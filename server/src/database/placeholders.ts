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

function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i++;
      else return i;
    }
  }
  return sql.length - 1;
}

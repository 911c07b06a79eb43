/** Parses one statement with sql-parser-cst, trying dialects in order until one accepts it. */
import { parse, type ParserOptions, type Program } from 'sql-parser-cst';
import type { SqlDialect } from '../facts';
import { ParseCache } from './parse-cache';

export const DIALECTS: readonly SqlDialect[] = ['postgresql', 'mysql', 'sqlite'];

/**
 * Bind-parameter syntaxes each dialect's drivers use: node-postgres/asyncpg `$1`, mysql2/sqlite3
 * `?`, SQLAlchemy `text()` and named styles `:name`, better-sqlite3 `@name`/`$name`.
 */
const PARAM_TYPES: Record<SqlDialect, NonNullable<ParserOptions['paramTypes']>> = {
  postgresql: ['$nr', ':name'],
  mysql: ['?', ':name'],
  sqlite: ['?', '?nr', ':name', '@name', '$name'],
};

export interface ParsedStatement {
  dialect: SqlDialect;
  program: Program;
}

export interface ParseFailure {
  /** The first dialect's error: the one the user most likely wrote in. */
  message: string;
  /** Offset of the error in the text, when the parser says where. */
  offset?: number;
}

/** Dialects in the order to try them: the preferred one first, then the rest in the usual order. */
export function dialectOrder(preferred?: SqlDialect): SqlDialect[] {
  return preferred ? [preferred, ...DIALECTS.filter((d) => d !== preferred)] : [...DIALECTS];
}

const cache = new ParseCache();

export function parseStatement(text: string, dialects: readonly SqlDialect[]): ParsedStatement | ParseFailure {
  let failure: ParseFailure | undefined;
  // Syntax errors are the common case (strings that only look like SQL, other dialects) and only
  // their message is read: capturing a stack trace through the deep recursion of the generated
  // parser for each of them was a large share of a workspace scan.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const dialect of dialects) {
      const result = cache.get(dialect, text, () => {
        try {
          return { program: parse(text, { dialect, includeRange: true, paramTypes: PARAM_TYPES[dialect] }) };
        } catch (e) {
          // The parser reports syntax errors by throwing; anything else (a stack overflow on a
          // pathological input) is treated the same way: this dialect does not take the text.
          return { error: e as Error };
        }
      });
      if ('program' in result) {
        if (result.program.statements.some((s) => s.type !== 'empty')) return { dialect, program: result.program };
      } else failure ??= { message: firstLine(result.error.message), offset: errorOffset(text, result.error.message) };
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return failure ?? { message: 'Empty statement' };
}

export function isParsed(r: ParsedStatement | ParseFailure): r is ParsedStatement {
  return (r as ParsedStatement).program !== undefined;
}

/** MySQL's `LIMIT offset, count` is not PostgreSQL: try MySQL first. */
export function preferredDialect(statement: string): SqlDialect | undefined {
  return /\blimit\s+[^\s,;()]+\s*,/i.test(statement) ? 'mysql' : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** The parser's messages end with `--> file:line:column`. */
function errorOffset(text: string, message: string): number | undefined {
  const m = /-->\s*[^\n]*?:(\d+):(\d+)\s*$/m.exec(message);
  if (!m) return undefined;
  let offset = 0;
  for (let line = 1; line < Number(m[1]); line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Number(m[2]) - 1);
}

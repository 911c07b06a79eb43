/**
 * SQL inside strings of other languages (`$queryRaw\`…\``, `knex.raw('…')`, `cursor.execute("…")`,
 * `text("…")`). The host adapter finds the string and hands over its literal chunks and its
 * interpolations; this joins them with a placeholder per interpolation, parses, and maps every
 * span back to the file, so that rules report and fix inside the string.
 */
import type { QueryHelperFact, SqlDialect, SqlStatementFact } from '../facts';
import { dialectOrder, isParsed, parseStatement, preferredDialect } from './parse';
import { SqlSourceMap, type SqlSegment } from './source-map';
import { mayStartStatement } from './statement-start';
import { statementFact, type SqlStatement } from './statement';

/**
 * A literal chunk of the string: its text as written in the source (escapes not processed, so that
 * offsets map one to one) and the file offset of its first character.
 */
export interface SqlPiece {
  text: string;
  start: number;
}

/**
 * An interpolation between two chunks: `${offset}`, an f-string field, `" + offset + "`. `start`/
 * `end` is its source span (the expression), `text` its source text. Everything between the end of
 * one piece and the start of the next is the interpolation's syntax and is removed as a whole.
 */
export interface SqlHole {
  start: number;
  end: number;
  text: string;
}

export interface EmbeddedSql {
  /** pieces.length === holes.length + 1 */
  pieces: SqlPiece[];
  holes: SqlHole[];
  /** The dialect the driver speaks, when the host knows it (mysql2 → mysql); otherwise tried in order. */
  dialect?: SqlDialect;
  host: 'string';
  /**
   * Tagged templates (`sql\`…\``, `$queryRaw\`…\``) bind their `${}` values as parameters, and
   * placeholders like `$1` or `:name` would not be bound: new values must be interpolations too.
   */
  interpolatedParams?: boolean;
  /**
   * Knex's raw SQL (`knex.raw`, `whereRaw`): `?` is a value binding and `??` an identifier one,
   * whatever the database, which Knex turns into the driver's own (`$1` for PostgreSQL).
   */
  knexBindings?: boolean;
}

/** Bigger strings are not queries anyone pages through; skipping them bounds the work. */
const MAX_EMBEDDED = 256 * 1024;

/**
 * What stands in for an interpolation: a bind parameter (`OFFSET ${n}`), an identifier
 * (`FROM ${table}`) or nothing (an optional fragment: `FROM t ${where}`). `context` decides per
 * hole from the SQL before it; the uniform modes are the fallbacks when that guess does not parse.
 */
type HoleMode = 'context' | 'param' | 'ident' | 'empty';

/** Before a value: an operator, an opening parenthesis or comma, or a keyword that takes a value. */
const BEFORE_VALUE = /(?:[=<>(,+\-*\/%|]|\b(?:offset|limit|in|like|ilike|and|or|not|where|having|between|values|set|then|else|when|is|case|return|select|on))\s*$/i;
/**
 * SQL before an interpolation that names a table (or its schema): `FROM ${t}`, `JOIN "${schema}".x`,
 * `INSERT INTO {t}`: the loops' check for a query per table (queriesTableOfItem).
 */
export const BEFORE_TABLE = /\b(?:from|join|into|update|table)\s+["`\[]?$/i;
/** Before a name: a keyword that takes a table or column, or a qualifier's dot. */
const BEFORE_NAME = /(?:\.|\b(?:from|join|into|update|table|by)\s)\s*$/i;

function contextMode(before: string): 'param' | 'ident' | 'empty' {
  if (BEFORE_NAME.test(before)) return 'ident';
  if (BEFORE_VALUE.test(before) || before.trim() === '') return 'param';
  return 'empty';
}

export function sqlFactsFromEmbedded(input: EmbeddedSql): SqlStatementFact[] {
  const { pieces, holes } = input;
  if (pieces.length !== holes.length + 1) return [];
  const length = pieces.reduce((n, p) => n + p.text.length, 0);
  if (length > MAX_EMBEDDED) return [];
  const literal = pieces.map((p) => p.text).join(' ');
  // The driver's dialect when the host knows it; otherwise the likely one first, then the others.
  const dialects = input.dialect ? [input.dialect] : dialectOrder(preferredDialect(literal));
  // Without holes every mode gives the same text: parse each distinct (dialect, text) once.
  const tried = new Set<string>();
  for (const mode of ['context', 'param', 'ident', 'empty'] as const) {
    for (const dialect of dialects) {
      const { sql, map } = join(pieces, holes, dialect, mode, input.knexBindings ? KNEX_BINDINGS : PYFORMAT);
      const key = `${dialect}\0${sql}`;
      if (tried.has(key)) continue;
      tried.add(key);
      if (!mayStartStatement(sql, dialect)) continue;
      const parsed = parseStatement(sql, [dialect]);
      if (!isParsed(parsed)) continue;
      const out: SqlStatement[] = [];
      for (const stmt of parsed.program.statements) {
        if (stmt.type === 'empty') continue;
        const fact = statementFact(stmt, sql, map, dialect, 'string');
        if (input.interpolatedParams && fact.keyset) fact.keyset.params = { kind: 'interpolation' };
        out.push(fact);
      }
      return out;
    }
  }
  return [];
}

const SQL_START = /^\s*(?:\(\s*)*(?:select\b[\s\S]*?\bfrom\b|with\s+(?:recursive\s+)?[\w"`]+(?:\s*\([^)]*\))?\s+as\s*\(|insert\s+into\b|update\s+[\w."`\[\]]+\s+set\b|delete\s+from\b|replace\s+into\b)/i;

/** Cheap test before parsing: does the string start like a query (SELECT … FROM, WITH x AS (, INSERT INTO …)? */
export function looksLikeSql(text: string): boolean {
  return SQL_START.test(text.slice(0, 4096));
}

/**
 * The dialect a folder of the path names (`migrations/sqlite/…`, `postgresdb/`, `mysqldb/`: n8n
 * keeps one set of migrations per database), for a file whose imports name no driver.
 */
export function dialectOfPath(file: string): SqlDialect | undefined {
  const m = /[\\/](sqlite3?|postgres|postgresql|postgresdb|pg|mysql|mysqldb|mariadb)[\\/][^\\/]*$|[\\/](sqlite3?|postgres|postgresql|postgresdb|mysql|mysqldb|mariadb)[\\/]/i.exec(file);
  const name = (m?.[1] ?? m?.[2])?.toLowerCase();
  if (!name) return undefined;
  return name.startsWith('sqlite') ? 'sqlite' : name.startsWith('p') ? 'postgresql' : 'mysql';
}

/**
 * A statement SQLite runs: its driver's (the dialect), or one that reads SQLite's own catalog
 * (`sqlite_master`, `sqlite_schema`) whatever the file imports. An in-process database answers many
 * small queries as fast as one large one: a query per item there is no N+1.
 */
export function isSqliteStatement(statement: { dialect: SqlDialect; text: string }): boolean {
  return statement.dialect === 'sqlite' || /\bsqlite_(master|schema|temp_master|temp_schema|sequence)\b/i.test(statement.text);
}

/**
 * A constant holding a query's SQL (`FIND_USER = 'SELECT …'`), as the query helper another file
 * that imports and runs it finds: none for SQLite's (see isSqliteStatement) or what is no query.
 */
export function sqlConstantHelper(name: string, statement: SqlStatementFact | undefined): QueryHelperFact | undefined {
  const operation = statement && !isSqliteStatement(statement) ? sqlOperation(statement.text) : undefined;
  if (!operation) return undefined;
  return { name, chain: [name], orm: 'sql', operation, ...(/^(insert|update|delete)$/.test(operation) ? { write: true as const } : {}), constant: true };
}

/** What a SQL statement does, as the query facts name it: `select` (`count` for a count), `insert`, `update`, `delete`. */
export function sqlOperation(text: string): string | undefined {
  const m = /^[\s(]*(select|with|insert|replace|update|delete)\b/i.exec(text);
  if (!m) return undefined;
  const verb = m[1].toLowerCase();
  if (verb === 'select') return /^[\s(]*select\s+count\s*\(/i.test(text) ? 'count' : 'select';
  return verb === 'with' ? 'select' : verb === 'replace' ? 'insert' : verb;
}

/**
 * Placeholders the SQL parser does not know: Python DB-API's `%s` and `%(name)s`; pg-promise's named
 * ones (`$<name>`, `${name}`, `$(name)`, `$[name]`, `$/name/`) and its formatting filters after any
 * (`$1:name`, `$<table~>`, `$<ids:csv>`, `$1:raw`). Plain `$1` is PostgreSQL's own.
 */
const PYFORMAT = /%(?:\(\w+\))?s|\$(?:<[\w.$]+|\{[\w.$]+|\([\w.$]+|\[[\w.$]+|\/[\w.$]+)(?::(?:name|alias|raw|value|csv|list|json)|\^|~)?[>})\]\/]|\$\d+(?::(?:name|alias|raw|value|csv|list|json)|\^|~)/g;
/** pg-promise's filters that put a name or raw SQL in, not a value: the placeholder becomes an identifier. */
const PG_PROMISE_NAME = /(?::(?:name|alias|raw)|\^|~)[>})\]\/]?$/;
/** Knex's bindings in raw SQL: `??` an identifier, `?` a value (`\\?` is a literal question mark). */
const KNEX_BINDINGS = /(?<!\\)\?\??/g;

/** `bindings`: the driver's placeholders in the text (DB-API's `%s`, Knex's `?`), made the dialect's. */
function join(pieces: readonly SqlPiece[], holes: readonly SqlHole[], dialect: SqlDialect, mode: HoleMode, bindings: RegExp): { sql: string; map: SqlSourceMap } {
  const segments: SqlSegment[] = [];
  let sql = '';
  let numbered = maxDollarParam(pieces);
  const placeholder = (): string => {
    const kind = mode === 'context' ? contextMode(sql.slice(-64)) : mode;
    if (kind === 'empty') return '';
    numbered++;
    if (kind === 'ident') return `perflens_hole_${numbered}`;
    return dialect === 'postgresql' ? `$${numbered}` : '?';
  };
  const pushText = (text: string, fileStart: number): void => {
    segments.push({ sqlStart: sql.length, sqlEnd: sql.length + text.length, fileStart, fileEnd: fileStart + text.length, kind: 'text', text });
    sql += text;
  };
  pieces.forEach((piece, i) => {
    const text = neutraliseEscapes(piece.text);
    let last = 0;
    for (const m of text.matchAll(bindings)) {
      pushText(text.slice(last, m.index), piece.start + last);
      // A driver placeholder is always a value (Knex's `??` a name): it stays a bind parameter whatever the mode.
      const ph = m[0] === '??' || PG_PROMISE_NAME.test(m[0]) ? `perflens_hole_${++numbered}` : dialect === 'postgresql' ? `$${++numbered}` : '?';
      const fileStart = piece.start + m.index!;
      segments.push({ sqlStart: sql.length, sqlEnd: sql.length + ph.length, fileStart, fileEnd: fileStart + m[0].length, kind: 'hole', text: m[0] });
      sql += ph;
      last = m.index! + m[0].length;
    }
    pushText(text.slice(last), piece.start + last);
    if (i < holes.length) {
      const hole = holes[i];
      const ph = placeholder();
      const gap = { start: piece.start + piece.text.length, end: pieces[i + 1].start };
      segments.push({ sqlStart: sql.length, sqlEnd: sql.length + ph.length, fileStart: hole.start, fileEnd: hole.end, kind: 'hole', text: hole.text, gap });
      sql += ph;
    }
  });
  return { sql, map: new SqlSourceMap(segments) };
}

function maxDollarParam(pieces: readonly SqlPiece[]): number {
  let max = 0;
  for (const p of pieces) for (const m of p.text.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/**
 * The pieces are source text, so `\n` is two characters. Replace escapes by SQL of the same length
 * so that offsets still map one to one: `\n` → two spaces, `\'` → `''` (SQL's own quote escape),
 * `\"` → a quote padded with a space on the side away from the quoted word.
 */
function neutraliseEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(?:\r\n|[ntr\n\r'"\\])/g, (m, offset: number) => {
    if (m === '\\\r\n') return '   ';
    const c = m[1];
    if (c === "'") return "''";
    if (c === '"') return /\w/.test(text[offset + 2] ?? '') ? ' "' : '" ';
    if (c === '\\') return m;
    return '  ';
  });
}

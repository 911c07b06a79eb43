/**
 * `.sql` files: split into statements, parse each in the first dialect that takes it, build
 * facts. A statement no dialect parses becomes a problem and the others are still analysed.
 */
import type { SourceFile } from '../../engine/source-file';
import type { LanguageAdapter } from '../adapter';
import type { FileFacts, ForeignKeyFact, ModelFact, ParseProblem, SqlDialect } from '../facts';
import { dialectOrder, isParsed, parseStatement, preferredDialect } from './parse';
import { SqlSourceMap } from './source-map';
import { splitStatements } from './split';
import { statementFact, type SqlStatement } from './statement';
import { droppedIndexes, tableDrops, tableKeys } from './table-keys';

export interface SqlFacts extends FileFacts {
  language: 'sql';
  sql: SqlStatement[];
  foreignKeys: ForeignKeyFact[];
}

/** A statement this big is data (a dump's INSERT), not a query to page through. */
const MAX_STATEMENT = 1024 * 1024;
/**
 * Parsing is the expensive part (about half a megabyte a second). Past this much SQL, only
 * statements that can page (they mention OFFSET or LIMIT) are parsed; the rest of a dump is skipped.
 */
const PARSE_BUDGET = 512 * 1024;
const PAGING = /\b(?:offset|limit)\b/i;

/** `-- dialect: mysql` in the file's leading comments picks the dialect tried first. */
const DIALECT_COMMENT = /^(?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*?\s*(?:--|\/\*)\s*dialect\s*[:=]\s*(postgres(?:ql)?|pg|mysql|mariadb|sqlite3?)\b/i;

export function fileDialect(text: string): SqlDialect | undefined {
  const m = DIALECT_COMMENT.exec(text.slice(0, 4096));
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  if (name.startsWith('postgres') || name === 'pg') return 'postgresql';
  if (name === 'mysql' || name === 'mariadb') return 'mysql';
  return 'sqlite';
}

export class SqlAdapter implements LanguageAdapter<SqlFacts> {
  readonly language = 'sql' as const;

  init(): Promise<void> {
    return Promise.resolve();
  }

  facts(file: SourceFile): SqlFacts {
    const facts: SqlFacts = { language: 'sql', queries: [], sql: [], problems: [], foreignKeys: [] };
    const text = file.text;
    // A binary file opened by mistake: NUL characters never occur in SQL text.
    if (text.slice(0, 8192).includes('\u0000')) return facts;
    const forced = fileDialect(text);
    const down = downSection(text);
    let budget = PARSE_BUDGET;
    for (const stmt of splitStatements(text, { mysql: forced === 'mysql' })) {
      if (stmt.text.length > MAX_STATEMENT) continue;
      if (budget <= 0 && !PAGING.test(stmt.text)) continue;
      budget -= stmt.text.length;
      const parsed = parseStatement(stmt.text, dialectOrder(forced ?? preferredDialect(stmt.text)));
      if (!isParsed(parsed)) {
        facts.problems.push(problem(stmt.start, stmt.text, parsed.message, parsed.offset));
        continue;
      }
      // The table's entry among the file's models, made on first use.
      const modelOf = (table: string): ModelFact => {
        let model = (facts.models ??= []).find((m) => m.name === table);
        if (!model) facts.models.push((model = { name: table, orm: 'sql', relations: [], indexes: [], start: stmt.start, end: stmt.start + stmt.text.length }));
        return model;
      };
      // A migration's down section undoes it: its DDL is not the schema (its statements are still SQL to check).
      const ddl = stmt.start < down;
      const index = ddl ? createIndex(stmt.text) : undefined;
      // Indexes the schema already has: advice that asks for one can say it exists.
      if (index) modelOf(index.table).indexes!.push({ columns: index.columns, name: index.name, at: stmt.start });
      const map = SqlSourceMap.identity(stmt.start, stmt.text.length, stmt.text);
      // Past the statement's `;`: where a statement that follows it goes.
      const end = stmt.start + stmt.text.length + (text[stmt.start + stmt.text.length] === ';' ? 1 : 0);
      for (const s of parsed.program.statements) {
        if (s.type === 'empty') continue;
        facts.sql.push(statementFact(s, stmt.text, map, parsed.dialect, 'file'));
        if (!ddl) continue;
        for (const { table, drop } of tableDrops(s, stmt.start)) (modelOf(table).drops ??= []).push(drop);
        // `DROP INDEX a, b` (PostgreSQL, SQLite: no table named), `DROP INDEX a ON t` (MySQL).
        if (s.type === 'drop_index_stmt') for (const name of droppedIndexes(s)) (modelOf(name.table ?? '').drops ??= []).push({ at: stmt.start, index: name.index });
        if (s.type !== 'create_table_stmt' && s.type !== 'alter_table_stmt') continue;
        const keys = tableKeys(s, stmt.text, stmt.start, end, parsed.dialect);
        if (!keys) continue;
        facts.foreignKeys.push(...keys.foreignKeys);
        if (keys.keys.length) (modelOf(keys.table.name).keys ??= []).push(...keys.keys);
      }
    }
    return facts;
  }
}

/**
 * Where a migration file's down section starts (the text's length when it has none): the
 * rollback of dbmate (`-- migrate:down`), goose (`-- +goose Down`) and sql-migrate (`-- +migrate Down`).
 */
const DOWN_MARKER = /^[ \t]*--[ \t]*(?:migrate:down|\+goose[ \t]+down|\+migrate[ \t]+down)\b/im;

export function downSection(text: string): number {
  const m = DOWN_MARKER.exec(text);
  return m ? m.index : text.length;
}

/** Points at the error's line when the parser says where, otherwise at the statement's first line. */
function problem(start: number, text: string, message: string, offset: number | undefined): ParseProblem {
  const at = offset ?? 0;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  const lineEnd = nl < 0 ? text.length : nl;
  return { start: start + lineStart, end: start + Math.max(lineEnd, lineStart), message: `Not parsed as PostgreSQL, MySQL or SQLite: ${message}` };
}

// The column list is the first parenthesised group (one level of nesting for `lower(email)`): not
// what an INCLUDE (…), WITH (…) or WHERE (…) after it lists.
const CREATE_INDEX = /^\s*(?:--[^\n]*\n\s*)*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?("[^"]+"|[\w.$]+)?\s*ON\s+(?:ONLY\s+)?("[^"]+"|[\w.$"]+)\s*(?:USING\s+\w+\s*)?\(([^()]*(?:\([^()]*\)[^()]*)*)\)/i;

/** `CREATE INDEX posts_created_at_id_idx ON posts (created_at DESC, id DESC)` → its table and plain columns. */
export function createIndex(sql: string): { name?: string; table: string; columns: string[] } | undefined {
  const m = CREATE_INDEX.exec(sql);
  if (!m) return undefined;
  const unquote = (x: string) => x.trim().replace(/^"(.*)"$/, '$1');
  const columns: string[] = [];
  for (const part of m[3].split(',')) {
    const col = /^\s*("[^"]+"|[A-Za-z_][\w$]*)(\s+(ASC|DESC|NULLS\s+(FIRST|LAST)|COLLATE\s+\S+|\w+_ops))*\s*$/i.exec(part);
    // An expression index (`lower(email)`): the columns after it are not a plain prefix any more.
    if (!col) break;
    columns.push(unquote(col[1]));
  }
  if (columns.length === 0) return undefined;
  return { name: m[1] ? unquote(m[1]) : undefined, table: unquote(m[2].split('.').pop()!), columns };
}

/**
 * SQL inside JS/TS strings: tagged templates (`sql\`…\``, `Prisma.sql`, `$queryRaw\`…\``) and
 * string or template arguments of query functions (`pool.query('…')`, `knex.raw('…')`,
 * `$queryRawUnsafe('…')`, `sequelize.query('…')`). Chunks are passed as written in the source,
 * so that every offset maps one to one to the file.
 */
import ts from 'typescript';
import type { QueryHelperFact, SqlDialect, SqlStatementFact } from '../facts';
import { looksLikeSql, sqlConstantHelper, sqlFactsFromEmbedded, type SqlHole, type SqlPiece } from '../sql/embedded';
import { findDeclaration } from './values';

const SQL_TAGS = /(^|\.)(sql|SQL|\$queryRaw|\$executeRaw|raw|unsafe)$/;
const SQL_CALLS = /(^|\.)(query|execute|raw|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|orderByRaw|unsafe|prepare|all|get|run|exec|none|one|oneOrNone|many|manyOrNone|any|result|multi|multiResult|map|each)$/;

/** The literal chunks and `${}` holes of a string or template, as source text. */
function piecesOf(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): { pieces: SqlPiece[]; holes: SqlHole[] } {
  if (!ts.isTemplateExpression(node)) {
    // Skip the quote or backtick; the end quote is excluded by the text length.
    const start = node.getStart() + 1;
    return { pieces: [{ text: node.getText().slice(1, -1), start }], holes: [] };
  }
  const pieces: SqlPiece[] = [];
  const holes: SqlHole[] = [];
  const head = node.head;
  pieces.push({ text: head.getText().slice(1, -2), start: head.getStart() + 1 });
  for (const span of node.templateSpans) {
    const e = span.expression;
    holes.push({ start: e.getStart(), end: e.getEnd(), text: e.getText() });
    const lit = span.literal;
    // A middle chunk is `}…${`, the tail `}…\``.
    const raw = lit.getText();
    pieces.push({ text: raw.slice(1, ts.isTemplateTail(lit) ? -1 : -2), start: lit.getStart() + 1 });
  }
  return { pieces, holes };
}

function sqlOf(node: ts.Expression, dialect: SqlDialect | undefined, requireSqlShape: boolean, tagged = false, knexBindings = false): SqlStatementFact[] {
  if (!(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))) return [];
  const { pieces, holes } = piecesOf(node);
  if (requireSqlShape && !looksLikeSql(pieces.map((p) => p.text).join(' '))) return [];
  return sqlFactsFromEmbedded({ pieces, holes, dialect, host: 'string', interpolatedParams: tagged, knexBindings });
}

/** Knex's raw SQL methods, whose `?` are Knex's bindings whatever the database. */
const KNEX_RAW = /(^|\.)(raw|whereRaw|orderByRaw)$/;

/**
 * The callee's text against `pattern`, which matches names at the end of it (`(^|\.)name$`):
 * for `name` and `a.b.name` the name alone decides, without the cost of getText on every call.
 */
export function calleeMatches(callee: ts.Expression, pattern: RegExp): boolean {
  if (ts.isIdentifier(callee)) return pattern.test(callee.text);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) && !pattern.test(callee.name.text)) return false;
  return pattern.test(callee.getText());
}

/** SQL at this node, if it is a tagged template or a query call's string argument. */
export function embeddedSqlAt(node: ts.Node, dialect: SqlDialect | undefined): SqlStatementFact[] {
  if (ts.isTaggedTemplateExpression(node) && SQL_TAGS.test(node.tag.getText())) {
    return sqlOf(node.template, dialect, false, true);
  }
  if (ts.isCallExpression(node) && node.arguments[0] && calleeMatches(node.expression, SQL_CALLS)) {
    // Query-shaped method names are common (`.get`, `.all`, `.run`): the string must look like SQL.
    return sqlOf(node.arguments[0], dialect, true, false, calleeMatches(node.expression, KNEX_RAW));
  }
  return [];
}

/**
 * Methods that run the SQL string they are given (or the constant holding it): node-postgres and
 * mysql2 `query`/`execute`, `knex.raw`, Prisma's unsafe raw queries, postgres.js `unsafe`, TypeORM's
 * and Sequelize's `query`, pg-promise's `one`, `oneOrNone`, `many`, `manyOrNone`, `any`, `none`,
 * `result`, `multi`, `map` and `each`.
 */
export const RUNS_SQL = /(^|\.)(query|execute|raw|\$queryRawUnsafe|\$executeRawUnsafe|unsafe|none|one|oneOrNone|many|manyOrNone|any|result|multi|multiResult|map|each)$/;

/**
 * The SQL of a constant a query call runs (`const FIND_USER = 'SELECT …'; … pool.query(FIND_USER,
 * [id])`), or of a variable's first value (`let sql = 'SELECT … WHERE a = $1'; if (b) sql += ' AND
 * …'`): for counting the query, which is one whatever is appended. The SQL rules read the string
 * where it is written, once.
 */
export function constantSqlAt(call: ts.CallExpression, dialect: SqlDialect | undefined): SqlStatementFact[] {
  const first = call.arguments[0];
  if (!first || !ts.isIdentifier(first) || !calleeMatches(call.expression, RUNS_SQL)) return [];
  const decl = findDeclaration(first);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return [];
  let value: ts.Expression = decl.initializer;
  while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value)) value = value.expression;
  return sqlOf(value, dialect, true, false, calleeMatches(call.expression, KNEX_RAW));
}

/**
 * The SQL constants other files can import and run (`export const FIND_USER = 'SELECT …'`,
 * `exports.FIND_USER = '…'`), as query helpers that are no functions: a loop in another file that
 * runs one (`pool.query(FIND_USER, [id])`) runs a query per item. Not SQLite's (see rawSqlQuery).
 */
export function sqlConstants(sf: ts.SourceFile, exported: ReadonlySet<string>, dialect: SqlDialect | undefined): QueryHelperFact[] {
  const out: QueryHelperFact[] = [];
  const add = (name: string, value: ts.Expression | undefined): void => {
    while (value && (ts.isParenthesizedExpression(value) || ts.isAsExpression(value))) value = value.expression;
    if (!value || !exported.has(name) || !(ts.isStringLiteralLike(value) || ts.isTemplateExpression(value))) return;
    const helper = sqlConstantHelper(name, sqlOf(value, dialect, true)[0]);
    if (helper) out.push(helper);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, d.initializer);
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const m = /^(?:module\.)?exports\.(\w+)$/.exec(st.expression.left.getText());
      if (m) add(m[1], st.expression.right);
    }
  }
  return out;
}

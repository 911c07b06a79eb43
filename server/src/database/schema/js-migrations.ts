/**
 * The raw SQL that JS/TS migrations run in their `up`: what `typeorm migration:generate` writes
 * (`await queryRunner.query(\`CREATE TABLE …\`)`), Knex's `knex.raw(…)` and `knex.schema.raw(…)`,
 * Sequelize's `queryInterface.sequelize.query(…)`. A TypeORM project with migrations has no `.sql`
 * file for the embedded database; its migrations hold the schema.
 */
import ts from 'typescript';

/** A script in a migration folder (`migrations/`, `migration/`, at any depth below it). */
export function isMigrationScript(relPath: string): boolean {
  return /(^|\/)migrations?\/([^/]+\/)*[^/]+\.(ts|mts|cts|js|mjs|cjs)$/.test(relPath) && !/\.d\.[mc]?ts$/.test(relPath);
}

/** A migration that may run raw SQL. */
export function mayRunSql(relPath: string, text: string): boolean {
  return isMigrationScript(relPath) && /\.(query|raw)\s*\(/.test(text);
}

function scriptKind(file: string): ts.ScriptKind {
  return /\.[mc]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** The function that applies the migration: a method, function or property named `up`. */
function upBodies(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n)) && n.name && ts.isIdentifier(n.name) && n.name.text === 'up' && n.body) {
      out.push(n.body);
      return;
    }
    // `exports.up = …`, `up: async () => …`, `export const up = …`.
    const named =
      (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.name.text === 'up' && n.right) ||
      (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'up' && n.initializer) ||
      (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'up' && n.initializer);
    if (named && (ts.isArrowFunction(named) || ts.isFunctionExpression(named))) {
      out.push(named.body);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Larger than any migration a person or a generator writes: not read. */
const MAX_CHARS = 1024 * 1024;

/**
 * A hole that prefixes table names, as configured when the app runs (n8n's
 * `` `CREATE TABLE ${tablePrefix}credentials_entity …` ``): the schema's names are without it.
 */
function isNamePrefix(e: ts.Expression): boolean {
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  return /prefix$/i.test(name);
}

/** The text of a string, or of a template whose holes are all table-name prefixes (without them). */
function sqlText(arg: ts.Expression): string | undefined {
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (!ts.isTemplateExpression(arg) || !arg.templateSpans.every((span) => isNamePrefix(span.expression))) return undefined;
  return arg.head.text + arg.templateSpans.map((span) => span.literal.text).join('');
}

/**
 * The SQL texts the file's `up` passes to `.query(…)` or `.raw(…)`, in order: plain strings, and
 * templates whose only holes are table-name prefixes (any other `${…}` is skipped).
 */
export function migrationSql(file: string, text: string): string[] {
  if (text.length > MAX_CHARS) return [];
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const out: string[] = [];
  for (const body of upBodies(sf)) {
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(query|raw)$/.test(n.expression.name.text)) {
        const sql = n.arguments[0] && sqlText(n.arguments[0]);
        if (sql !== undefined) out.push(sql);
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
  }
  return out;
}

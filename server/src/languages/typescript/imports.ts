/** Which ORMs and drivers a file uses, from its imports and requires: the evidence queries need. */
import ts from 'typescript';
import type { OrmId, SqlDialect } from '../facts';
import { nodesOfKind } from './walk';

const ORM_MODULES: Array<[RegExp, OrmId]> = [
  [/^@prisma\/client($|\/)|^\.prisma\/client|\/generated\/prisma|^@\/lib\/prisma$|\/prisma$/, 'prisma'],
  [/(^|\/)typeorm$/, 'typeorm'],
  [/^sequelize$|^sequelize-typescript$|^@sequelize\/core$/, 'sequelize'],
  [/^knex$|^objection$/, 'knex'],
  [/^drizzle-orm($|\/)/, 'drizzle'],
  [/^kysely($|\/)/, 'kysely'],
  [/^mongoose$|^@nestjs\/mongoose$|^@typegoose\/typegoose$/, 'mongoose'],
  [/^@mikro-orm\//, 'mikro-orm'],
];

const DRIVER_DIALECTS: Array<[RegExp, SqlDialect]> = [
  [/^(pg|postgres|pg-promise|@vercel\/postgres|@neondatabase\/serverless|slonik|@databases\/pg)$/, 'postgresql'],
  [/^(mysql|mysql2|mysql2\/promise|@planetscale\/database|@databases\/mysql)$/, 'mysql'],
  [/^(better-sqlite3|sqlite3|sqlite|@libsql\/client|bun:sqlite)$/, 'sqlite'],
];

export interface FileImports {
  orms: Set<OrmId>;
  dialect?: SqlDialect;
  /** Local names bound to imports: `knex`, `db`, `sql`, `desc`, … → module. */
  names: Map<string, string>;
}

export function readImports(sf: ts.SourceFile): FileImports {
  const out: FileImports = { orms: new Set(), names: new Map() };
  const note = (module: string, names: string[]) => {
    for (const [re, orm] of ORM_MODULES) if (re.test(module)) out.orms.add(orm);
    for (const [re, dialect] of DRIVER_DIALECTS) if (re.test(module)) out.dialect ??= dialect;
    // drizzle-orm/pg-core, kysely's PostgresDialect, drizzle-orm/mysql-core tell the dialect too.
    if (/pg-core|node-postgres|postgres-js|PostgresDialect/.test(module)) out.dialect ??= 'postgresql';
    if (/mysql-core|mysql2/.test(module)) out.dialect ??= 'mysql';
    if (/sqlite-core|better-sqlite3/.test(module)) out.dialect ??= 'sqlite';
    for (const n of names) out.names.set(n, module);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const names: string[] = [];
      const clause = node.importClause;
      if (clause?.name) names.push(clause.name.text);
      if (clause?.namedBindings) {
        if (ts.isNamespaceImport(clause.namedBindings)) names.push(clause.namedBindings.name.text);
        else for (const el of clause.namedBindings.elements) names.push(el.name.text);
      }
      note(node.moduleSpecifier.text, names);
      return;
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      const decl = node.parent;
      const names: string[] = [];
      if (ts.isVariableDeclaration(decl)) {
        if (ts.isIdentifier(decl.name)) names.push(decl.name.text);
        else if (ts.isObjectBindingPattern(decl.name)) for (const el of decl.name.elements) if (ts.isIdentifier(el.name)) names.push(el.name.text);
      }
      note(node.arguments[0].text, names);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'PrismaClient') out.orms.add('prisma');
  };
  // Imports, requires and `new PrismaClient()` live at the top level: not in the bodies of the
  // file's function and class declarations. The nodes come in source order, and so do those.
  const skipped = sf.statements.filter((st) => ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st));
  let next = 0;
  for (const node of nodesOfKind(sf, ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression)) {
    while (next < skipped.length && skipped[next].end <= node.pos) next++;
    if (next < skipped.length && skipped[next].pos <= node.pos && node.end <= skipped[next].end) continue;
    visit(node);
  }
  return out;
}

/**
 * Drizzle tables as the translator needs them: `export const posts = pgTable('posts', { authorId:
 * integer('author_id'), … })` gives the table and, per property, the column (the builder's first
 * string argument; without one, the property name, or its snake_case or camelCase form when the
 * workspace's drizzle.config sets `casing`), read by languages/typescript/drizzle-tables.ts.
 * `relations(posts, ({ one, many }) => ({ … }))` gives the relations `db.query.posts.findMany({
 * with })` loads.
 */
import ts from 'typescript';
import { drizzleTables, type DrizzleCasing, type DrizzleColumn } from '../../languages/typescript/drizzle-tables';
import { walk } from '../../languages/typescript/walk';
import type { TsModules } from './typescript-modules';
import { propertyName } from './typescript-values';

export type { DrizzleColumn };

export interface DrizzleRelation {
  name: string;
  kind: 'one' | 'many';
  /** The target table's variable. */
  target: string;
  /** `one(users, { fields: [posts.authorId], references: [users.id] })`: properties on each side. */
  fields?: string[];
  references?: string[];
}

export interface DrizzleTable {
  /** The variable (`posts`). */
  name: string;
  table: string;
  columns: DrizzleColumn[];
  relations: DrizzleRelation[];
  file: string;
}

export class DrizzleTables {
  private readonly byFile = new Map<string, DrizzleTable[]>();

  constructor(private readonly file: string, private readonly modules: TsModules) {}

  /** The table bound to the variable `name` as `from` sees it. */
  table(name: string, from = this.file): DrizzleTable | undefined {
    for (const c of this.modules.candidates('drizzle', name, from)) {
      const t = this.tablesOf(c.file).find((x) => x.name === c.name);
      if (t) return t;
    }
    return undefined;
  }

  private tablesOf(file: string): DrizzleTable[] {
    let tables = this.byFile.get(file);
    if (!tables) {
      const sf = this.modules.sourceFile(file);
      tables = sf ? readTables(sf, file, this.modules.sources.drizzleCasing) : [];
      this.byFile.set(file, tables);
    }
    return tables;
  }
}

function readTables(sf: ts.SourceFile, file: string, casing: DrizzleCasing | undefined): DrizzleTable[] {
  // The tables (and their columns) as the rules read them; the relations are the translator's.
  const out: DrizzleTable[] = drizzleTables(sf, casing).map((t) => ({ name: t.name, table: t.table, columns: t.columns, relations: [], file }));
  const relationCalls: ts.CallExpression[] = [];
  walk(sf, (n) => {
    if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || !n.initializer || !ts.isCallExpression(n.initializer)) return;
    const call = n.initializer;
    if (ts.isIdentifier(call.expression) && call.expression.text === 'relations') relationCalls.push(call);
  });
  for (const call of relationCalls) {
    const [tableArg, fnArg] = call.arguments;
    const table = tableArg && ts.isIdentifier(tableArg) ? out.find((t) => t.name === tableArg.text) : undefined;
    if (!table || !fnArg || !(ts.isArrowFunction(fnArg) || ts.isFunctionExpression(fnArg))) continue;
    let body: ts.Node = fnArg.body;
    while (ts.isParenthesizedExpression(body)) body = body.expression;
    if (ts.isBlock(body)) body = body.statements.find(ts.isReturnStatement)?.expression ?? body;
    while (ts.isParenthesizedExpression(body)) body = body.expression;
    if (!ts.isObjectLiteralExpression(body)) continue;
    for (const p of body.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isCallExpression(p.initializer) || !ts.isIdentifier(p.initializer.expression)) continue;
      const kind = p.initializer.expression.text;
      const target = p.initializer.arguments[0];
      if ((kind !== 'one' && kind !== 'many') || !target || !ts.isIdentifier(target)) continue;
      const rel: DrizzleRelation = { name: propertyName(p) ?? '', kind, target: target.text };
      const config = p.initializer.arguments[1];
      if (config && ts.isObjectLiteralExpression(config)) {
        const list = (key: string): string[] | undefined => {
          const x = config.properties.find((q) => ts.isPropertyAssignment(q) && propertyName(q) === key);
          return x && ts.isPropertyAssignment(x) && ts.isArrayLiteralExpression(x.initializer) ? x.initializer.elements.map((el) => (ts.isPropertyAccessExpression(el) ? el.name.text : '')) : undefined;
        };
        rel.fields = list('fields');
        rel.references = list('references');
      }
      table.relations.push(rel);
    }
  }
  return out;
}

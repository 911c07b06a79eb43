/**
 * Drizzle tables as the translator needs them: `export const posts = pgTable('posts', { authorId:
 * integer('author_id'), … })` gives the table and, per property, the column (the builder's first
 * string argument; without one, the property name, which is what Drizzle uses unless the client
 * was created with `casing: 'snake_case'`). `relations(posts, ({ one, many }) => ({ … }))` gives
 * the relations `db.query.posts.findMany({ with })` loads.
 */
import ts from 'typescript';
import { walk } from '../../languages/typescript/walk';
import type { TsModules } from './typescript-modules';
import { propertyName } from './typescript-values';

export interface DrizzleColumn {
  property: string;
  column: string;
  /** Named by the property: snake_case casing on the client would rename it. */
  unnamed?: boolean;
  primary?: boolean;
}

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

const TABLE_FUNCTIONS = /^(pgTable|mysqlTable|sqliteTable|pgTableCreator)$/;

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
      tables = sf ? readTables(sf, file) : [];
      this.byFile.set(file, tables);
    }
    return tables;
  }
}

function readTables(sf: ts.SourceFile, file: string): DrizzleTable[] {
  const out: DrizzleTable[] = [];
  const relationCalls: ts.CallExpression[] = [];
  walk(sf, (n) => {
    if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || !n.initializer || !ts.isCallExpression(n.initializer)) return;
    const call = n.initializer;
    const fn = ts.isIdentifier(call.expression) ? call.expression.text : '';
    if (fn === 'relations') {
      relationCalls.push(call);
      return;
    }
    if (!TABLE_FUNCTIONS.test(fn)) return;
    const [nameArg, columnsArg] = call.arguments;
    if (!nameArg || !ts.isStringLiteralLike(nameArg) || !columnsArg || !ts.isObjectLiteralExpression(columnsArg)) return;
    const columns: DrizzleColumn[] = [];
    for (const p of columnsArg.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const property = propertyName(p);
      if (!property) continue;
      // `integer('author_id').notNull().references(…)`: the innermost call names the column.
      let e: ts.Expression = p.initializer;
      let primary = false;
      while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
        if (e.expression.name.text === 'primaryKey') primary = true;
        e = e.expression.expression;
      }
      const first = ts.isCallExpression(e) ? e.arguments[0] : undefined;
      const named = first && ts.isStringLiteralLike(first) ? first.text : undefined;
      columns.push({ property, column: named ?? property, ...(named ? {} : { unnamed: true }), ...(primary ? { primary: true } : {}) });
    }
    out.push({ name: n.name.text, table: nameArg.text, columns, relations: [], file });
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

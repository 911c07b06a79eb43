/**
 * Edits that index a model's columns where a TypeScript ORM declares them, made from the file's
 * text when the fix is applied.
 *
 * TypeORM: the edits that index a column of an entity, from the entity file's text when the fix is
 * applied: `@Index()` on its own line right above the property (after its other decorators), and
 * `Index` in the file's import from 'typeorm' (an import added when there is none). MikroORM's the same. None when the
 * class or the property is not found.
 */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';
import { addToExtraConfig, drizzleIndex, drizzleIndexed, drizzleTables } from './drizzle-tables';
import { addProperty, ensureImport } from './edits';
import { readModels, sequelizeIndexEdits } from './sequelize-definitions';
import { escapeRegExp as escape } from '../../engine/regexp';

function importEdit(text: string, module: string): Edit | undefined {
  const named = new RegExp(`^import\\s*(?:type\\s+)?\\{([^}]*)\\}\\s*from\\s*['"]${escape(module)}['"]`, 'm').exec(text);
  if (named && !named[1].includes('type ') && /\bIndex\b/.test(named[1])) return undefined;
  if (named && !/^import\s*type\b/.test(named[0])) {
    const close = named.index + named[0].indexOf('}');
    const inner = named[1];
    const trimmed = inner.replace(/\s+$/, '');
    const at = named.index + named[0].indexOf('{') + 1 + trimmed.length;
    // `{ Column, Entity }`, `{\n  Column,\n  Entity,\n}`: the name after the last one, as they are written.
    if (trimmed.endsWith(',')) {
      const multiline = inner.slice(trimmed.length).includes('\n');
      const indent = multiline ? /\n([ \t]*)[^\n]*$/.exec(trimmed)?.[1] ?? '  ' : '';
      return { start: at, end: at, newText: multiline ? `\n${indent}Index,` : ' Index' };
    }
    return trimmed.trim() ? { start: at, end: at, newText: ', Index' } : { start: close, end: close, newText: ' Index ' };
  }
  const imports = [...text.matchAll(/^import[^;]*;[^\n]*\n/gm)];
  const after = imports.length ? imports[imports.length - 1].index! + imports[imports.length - 1][0].length : 0;
  return { start: after, end: after, newText: `import { Index } from '${module}';\n` };
}

export function typeormIndexEdits(text: string, entity: string, property: string): Edit[] {
  return decoratorIndexEdits(text, entity, property, 'typeorm');
}

/** MikroORM: the same `@Index()`, imported from the `@mikro-orm/…` package the entity file uses. */
export function mikroOrmIndexEdits(text: string, entity: string, property: string): Edit[] {
  return decoratorIndexEdits(text, entity, property, /from\s*['"](@mikro-orm\/[\w-]+)['"]/.exec(text)?.[1] ?? '@mikro-orm/core');
}

function decoratorIndexEdits(text: string, entity: string, property: string, module: string): Edit[] {
  const cls = new RegExp(`\\bclass\\s+${escape(entity)}\\b[^{]*\\{`).exec(text);
  if (!cls) return [];
  const body = text.slice(cls.index + cls[0].length);
  const prop = new RegExp(`^([ \\t]*)((?:@[\\w.]+(?:\\([^)\\n]*\\))?[ \\t]+)*)(?:(?:public|private|protected|readonly|declare|override)\\s+)*${escape(property)}[!?]?\\s*[:=;]`, 'm').exec(body);
  if (!prop) return [];
  const lineStart = cls.index + cls[0].length + prop.index;
  const at = lineStart + prop[1].length;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Decorators written on the property's line: `@Index()` joins them there.
  const decorator: Edit = prop[2] ? { start: at, end: at, newText: '@Index() ' } : { start: at, end: at, newText: `@Index()${eol}${prop[1]}` };
  const imported = importEdit(text, module);
  return imported ? [imported, decorator].sort((a, b) => a.start - b.start) : [decorator];
}

/**
 * The edits that add `index('<table>_<columns>_idx').on(t.a, t.b)` to a Drizzle table's extra
 * config (made when the table has none) and `index` to the import of its table function, from the
 * schema file's text parsed when the fix is applied. None when the table is gone, an index already
 * starts with the columns, or its config's columns cannot be named.
 */
export function drizzleIndexEdits(text: string, file: string, tableVar: string, keys: readonly string[]): Edit[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const table = drizzleTables(sf).find((t) => t.name === tableVar);
  if (!table || drizzleIndexed(table, keys)) return [];
  const columns = keys.map((k) => table.columns.find((c) => c.property === k)?.column ?? k);
  const edits = addToExtraConfig(sf, table, drizzleIndex(`${table.table}_${columns.join('_')}_idx`, keys), /^[A-Za-z_$][\w$]*$/.test(keys[0]) ? `${keys[0]}Idx` : 'filterIdx');
  return edits ? [...edits, ...ensureImport(sf, table.module, ['index'])].sort((a, b) => a.start - b.start) : [];
}

/**
 * Mongoose: the edit that gives a schema field `index: true` (`email: String` becomes `email: {
 * type: String, index: true }`), in the schema `mongoose.model(model, schema)` registers (or the
 * variable named after the model, `userSchema`), from the file's text parsed when applied.
 */
export function mongooseIndexEdits(text: string, file: string, model: string, field: string): Edit[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  let schemaVar: string | undefined;
  const schemas = new Map<string, ts.ObjectLiteralExpression>();
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isStringLiteralLike(n.arguments[0] ?? n) && (n.arguments[0] as ts.StringLiteral).text === model && n.arguments[1] && ts.isIdentifier(n.arguments[1])) {
      const callee = n.expression;
      if ((ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText()) === 'model') schemaVar = n.arguments[1].text;
    }
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isNewExpression(n.initializer) && /(^|\.)Schema$/.test(n.initializer.expression.getText())) {
      const fields = n.initializer.arguments?.[0];
      if (fields && ts.isObjectLiteralExpression(fields)) schemas.set(n.name.text, fields);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const fields = schemas.get(schemaVar ?? '') ?? [...schemas].find(([v]) => v.replace(/_?schema$/i, '').toLowerCase() === model.toLowerCase())?.[1];
  const p = fields?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText().replace(/['"]/g, '') === field);
  if (!p) return [];
  const def = p.initializer;
  if (ts.isObjectLiteralExpression(def)) return def.properties.some((x) => x.name?.getText() === 'index') ? [] : addProperty(def, 'index: true');
  return [{ start: def.getStart(sf), end: def.getEnd(), newText: `{ type: ${def.getText(sf)}, index: true }` }];
}

/** Sequelize: `{ fields: [...] }` added to the `indexes` of the model `init`/`define` makes, from the file parsed when applied. */
export function sequelizeIndexEditsAt(text: string, file: string, model: string, fields: readonly string[]): Edit[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = readModels(sf, file).find((m) => m.name === model);
  if (!found || found.indexes.some((ix) => fields.every((f, i) => ix[i] === f))) return [];
  return sequelizeIndexEdits(sf, found, `{ fields: [${fields.map((f) => `'${f}'`).join(', ')}] }`) ?? [];
}

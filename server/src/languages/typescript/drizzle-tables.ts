/**
 * Drizzle table declarations: `pgTable('posts', { … }, (t) => [index(…).on(t.authorId)])`, read
 * for what the database gets from them: the foreign keys (`.references(() => users.id)` on a
 * column, `foreignKey({ columns, foreignColumns })` in the extra config) and the column lists
 * that an index, unique constraint or primary key starts with. Tables are declared at the top
 * level of a schema module: only its statements are looked at, not the whole tree.
 */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';
import { casedColumn, type DrizzleCasing } from './drizzle-casing';

export type { DrizzleCasing };

export type DrizzleDialect = 'postgresql' | 'sqlite' | 'mysql';

/** Table constructors by module: `pgTable` of drizzle-orm/pg-core, `sqliteTable`, … */
const TABLE_FUNCTIONS: Record<string, { fn: RegExp; dialect: DrizzleDialect }> = {
  'drizzle-orm/pg-core': { fn: /^(pgTable|pgTableCreator|pgSchema)$/, dialect: 'postgresql' },
  'drizzle-orm/sqlite-core': { fn: /^(sqliteTable|sqliteTableCreator)$/, dialect: 'sqlite' },
  'drizzle-orm/mysql-core': { fn: /^(mysqlTable|mysqlTableCreator|mysqlSchema)$/, dialect: 'mysql' },
  'drizzle-orm/singlestore-core': { fn: /^(singlestoreTable|singlestoreTableCreator|singlestoreSchema)$/, dialect: 'mysql' },
};

export interface DrizzleForeignKey {
  /** Property keys of the columns, in the key's order: `['authorId']`. */
  keys: string[];
  /** Their database names (the column builder's first argument, else the key). */
  columns: string[];
  /** What it references, as written: `users.id`. */
  target: string;
  /** The same as table variables and property keys: `[{ table: 'users', key: 'id' }]`. */
  references: Array<{ table: string; key: string }>;
  /** `.references(…)` or `foreignKey(…)`: where the finding goes. */
  node: ts.Node;
}

export interface DrizzleColumn {
  property: string;
  /** The builder's first string argument, else the property. */
  column: string;
  /** Named by the property, with no casing known: a client with `casing: 'snake_case'` would rename it. */
  unnamed?: boolean;
  primary?: boolean;
  /** The column builder's name (`integer`, `varchar`, an enum's function) and its options object. */
  builder: string;
  options?: ts.ObjectLiteralExpression;
  notNull?: boolean;
  unique?: boolean;
  /** `.defaultNow()` → `now()`, `.defaultRandom()` → `gen_random_uuid()`; other defaults are not kept. */
  sqlDefault?: string;
}

/** What the extra config (or a column's `.primaryKey()`/`.unique()`) declares over columns. */
export interface DrizzleIndex {
  /** Property keys, in order. */
  keys: string[];
  kind: 'index' | 'unique' | 'primary';
}

export interface DrizzleTable {
  /** The variable: `posts`. */
  name: string;
  /** The database table's name as given: `posts`. */
  table: string;
  dialect: DrizzleDialect;
  /** `pgTable` as the file calls it. */
  call: ts.CallExpression;
  columns: DrizzleColumn[];
  /** The third argument, when there is one. */
  extra?: ts.FunctionLikeDeclaration & { body: ts.ConciseBody };
  /** The extra config's list of constraints (array, or the object of older Drizzle). */
  extraList?: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression;
  foreignKeys: DrizzleForeignKey[];
  /** Column names in the database → property keys. */
  keysByColumn: Map<string, string>;
  /** The indexes, unique constraints and primary keys, by property keys. */
  indexed: DrizzleIndex[];
  /** The module `index` is imported from for a fix: the one the table function came from. */
  module: string;
}

const unwrap = (e: ts.Expression): ts.Expression => {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
};

/** The calls of a builder chain, innermost first: `integer('a').notNull().references(…)`. */
function chain(e: ts.Expression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let cur: ts.Expression = unwrap(e);
  while (ts.isCallExpression(cur)) {
    calls.unshift(cur);
    const callee = cur.expression;
    if (!ts.isPropertyAccessExpression(callee)) break;
    cur = unwrap(callee.expression);
  }
  return calls;
}

function methodName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isIdentifier(callee)) return callee.text;
  return undefined;
}

/** `t.authorId`, `t.authorId.asc()`, `t.title.op('text_ops')` → `authorId` when `t` is the config's parameter. */
function columnKey(e: ts.Expression | undefined, param: string | undefined, tableVar: string): string | undefined {
  if (!e) return undefined;
  let cur = unwrap(e);
  while (ts.isCallExpression(cur) && ts.isPropertyAccessExpression(cur.expression)) cur = unwrap(cur.expression.expression);
  if (!ts.isPropertyAccessExpression(cur)) return undefined;
  const owner = unwrap(cur.expression);
  // `table.authorId`, or `posts.authorId` in a self-referencing config.
  return ts.isIdentifier(owner) && (owner.text === param || owner.text === tableVar) ? cur.name.text : undefined;
}

function arrayOption(options: ts.Expression | undefined, key: string): readonly ts.Expression[] | undefined {
  const o = options && unwrap(options);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  const p = o.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === key);
  const v = p && unwrap(p.initializer);
  return v && ts.isArrayLiteralExpression(v) ? v.elements : undefined;
}

/** The expression a function returns: its concise body or a block's return. */
function returned(fn: ts.FunctionLikeDeclaration & { body: ts.ConciseBody }): ts.Expression | undefined {
  const body = fn.body;
  if (!ts.isBlock(body)) return unwrap(body);
  const ret = body.statements.find(ts.isReturnStatement);
  return ret?.expression ? unwrap(ret.expression) : undefined;
}

function stringArg(call: ts.CallExpression | undefined): string | undefined {
  const a = call?.arguments[0];
  return a && ts.isStringLiteralLike(a) ? a.text : undefined;
}

/** The file's Drizzle tables, or none when it imports no Drizzle table function. */
/** The tables the schema module declares; `casing` names the columns declared without a name. */
export function drizzleTables(sf: ts.SourceFile, casing?: DrizzleCasing): DrizzleTable[] {
  if (!sf.text.includes('drizzle-orm/')) return [];
  // Local name → [module, imported name].
  const imported = new Map<string, { module: string; name: string }>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !TABLE_FUNCTIONS[st.moduleSpecifier.text]) continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) imported.set(el.name.text, { module: st.moduleSpecifier.text, name: (el.propertyName ?? el.name).text });
    }
  }
  if (imported.size === 0) return [];
  // Local table functions: the imported ones, `createTable = pgTableCreator(…)`, `auth = pgSchema('auth')`.
  const makers = new Map<string, { module: string; schema: boolean }>();
  for (const [local, { module, name }] of imported) {
    if (TABLE_FUNCTIONS[module].fn.test(name) && /Table$/.test(name)) makers.set(local, { module, schema: false });
  }
  const tables: DrizzleTable[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const decl of st.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
      const init = unwrap(decl.initializer);
      if (!ts.isCallExpression(init)) continue;
      const callee = init.expression;
      // `pgTableCreator(…)` / `pgSchema('x')`: a maker of tables under a new name.
      if (ts.isIdentifier(callee)) {
        const source = imported.get(callee.text);
        if (source && /(TableCreator|Schema)$/.test(source.name)) {
          makers.set(decl.name.text, { module: source.module, schema: /Schema$/.test(source.name) });
          continue;
        }
      }
      const maker = ts.isIdentifier(callee)
        ? makers.get(callee.text)
        : ts.isPropertyAccessExpression(callee) && callee.name.text === 'table' && ts.isIdentifier(callee.expression)
          ? makers.get(callee.expression.text)
          : undefined;
      if (!maker || (maker.schema && !ts.isPropertyAccessExpression(callee))) continue;
      const table = readTable(decl.name.text, init, maker.module, casing);
      if (table) tables.push(table);
    }
  }
  return tables;
}

/** `users.id` → { table: 'users', key: 'id' }; all of them, or none when one is something else. */
function referencesOf(targets: readonly ts.Expression[]): DrizzleForeignKey['references'] {
  const out: DrizzleForeignKey['references'] = [];
  for (const t of targets) {
    const u = unwrap(t);
    if (!ts.isPropertyAccessExpression(u) || !ts.isIdentifier(u.expression)) return [];
    out.push({ table: u.expression.text, key: u.name.text });
  }
  return out;
}

function readTable(name: string, call: ts.CallExpression, module: string, casing: DrizzleCasing | undefined): DrizzleTable | undefined {
  const [nameArg, colsArg, extraArg] = call.arguments;
  if (!nameArg || !ts.isStringLiteralLike(nameArg) || !colsArg) return undefined;
  let cols = unwrap(colsArg);
  // `pgTable('posts', (t) => ({ id: t.integer() }))`.
  if ((ts.isArrowFunction(cols) || ts.isFunctionExpression(cols)) && cols.body) cols = returned(cols) ?? cols;
  if (!ts.isObjectLiteralExpression(cols)) return undefined;
  const table: DrizzleTable = { name, table: nameArg.text, dialect: TABLE_FUNCTIONS[module].dialect, call, columns: [], foreignKeys: [], indexed: [], module, keysByColumn: new Map() };
  const dbName = new Map<string, string>();
  for (const p of cols.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    const key = p.name.text;
    const calls = chain(p.initializer);
    if (!calls.length) continue;
    const named = stringArg(calls[0]);
    const columnName = named ?? casedColumn(key, casing);
    dbName.set(key, columnName);
    table.keysByColumn.set(columnName, key);
    const builderArgs = calls[0].arguments;
    const options = builderArgs.map(unwrap).find(ts.isObjectLiteralExpression);
    const column: DrizzleColumn = { property: key, column: columnName, ...(named || casing ? {} : { unnamed: true }), builder: methodName(calls[0]) ?? '', ...(options ? { options } : {}) };
    table.columns.push(column);
    for (const c of calls.slice(1)) {
      const m = methodName(c);
      if (m === 'primaryKey') column.primary = true;
      else if (m === 'notNull') column.notNull = true;
      else if (m === 'unique') column.unique = true;
      else if (m === 'defaultNow') column.sqlDefault = 'now()';
      else if (m === 'defaultRandom') column.sqlDefault = 'gen_random_uuid()';
      if (m === 'primaryKey' || m === 'unique') table.indexed.push({ keys: [key], kind: m === 'primaryKey' ? 'primary' : 'unique' });
      if (m === 'references' && c.arguments[0]) {
        const fn = unwrap(c.arguments[0]);
        const target = (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.body ? returned(fn) : fn;
        table.foreignKeys.push({ keys: [key], columns: [], target: target?.getText() ?? 'another table', references: referencesOf(target ? [target] : []), node: c });
      }
    }
  }
  const extra = extraArg && unwrap(extraArg);
  if (extra && (ts.isArrowFunction(extra) || ts.isFunctionExpression(extra)) && extra.body) {
    table.extra = extra as DrizzleTable['extra'];
    const param = extra.parameters[0]?.name;
    const paramName = param && ts.isIdentifier(param) ? param.text : undefined;
    const list = returned(extra);
    const entries: ts.Expression[] = [];
    if (list && ts.isArrayLiteralExpression(list)) {
      table.extraList = list;
      entries.push(...list.elements);
    } else if (list && ts.isObjectLiteralExpression(list)) {
      table.extraList = list;
      for (const p of list.properties) if (ts.isPropertyAssignment(p)) entries.push(p.initializer);
    }
    for (const entry of entries) {
      const calls = chain(entry);
      const kind = calls[0] && methodName(calls[0]);
      const keysOf = (args: readonly ts.Expression[]) => args.map((a) => columnKey(a, paramName, name)).filter((k): k is string => !!k);
      if (kind === 'index' || kind === 'uniqueIndex' || kind === 'unique') {
        for (const c of calls.slice(1)) {
          const m = methodName(c);
          // `.using('btree', t.a)` names the method first.
          const keys = m === 'on' || m === 'onOnly' ? keysOf(c.arguments) : m === 'using' ? keysOf(c.arguments.slice(1)) : [];
          if (keys.length) table.indexed.push({ keys, kind: kind === 'index' ? 'index' : 'unique' });
        }
      } else if (kind === 'primaryKey') {
        // `primaryKey({ columns: [t.a, t.b] })`, or the older `primaryKey(t.a, t.b)`.
        const keys = keysOf(arrayOption(calls[0].arguments[0], 'columns') ?? calls[0].arguments);
        if (keys.length) table.indexed.push({ keys, kind: 'primary' });
      } else if (kind === 'foreignKey') {
        const keys = keysOf(arrayOption(calls[0].arguments[0], 'columns') ?? []);
        const targets = arrayOption(calls[0].arguments[0], 'foreignColumns');
        if (keys.length) table.foreignKeys.push({ keys, columns: [], target: targets?.map((t) => t.getText()).join(', ') || 'another table', references: referencesOf(targets ?? []), node: calls[0] });
      }
    }
  }
  for (const fk of table.foreignKeys) fk.columns = fk.keys.map((k) => dbName.get(k) ?? k);
  return table;
}

/** The `mode` a column builder's options give (`bigint('id', { mode: 'number' })`). */
function modeOf(c: DrizzleColumn): string | undefined {
  for (const p of c.options?.properties ?? []) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === 'mode' && ts.isStringLiteralLike(p.initializer)) return p.initializer.text;
  }
  return undefined;
}

/**
 * The TypeScript type of a column's values, as Drizzle types them (`integer` → number, `uuid` →
 * string, `timestamp` → Date unless `mode: 'string'`), for fixes that write a value of one; undefined
 * where it depends on what is not read here (a custom type, an enum's function).
 */
export function columnTsType(c: DrizzleColumn): string | undefined {
  const mode = modeOf(c);
  const b = c.builder;
  if (/^(integer|int|serial|smallint|smallserial|tinyint|mediumint|real|doublePrecision|double|float)$/.test(b)) {
    // SQLite keeps dates and flags in integers: `integer('at', { mode: 'timestamp' })`.
    if (mode === 'timestamp' || mode === 'timestamp_ms') return 'Date';
    return mode === 'boolean' ? undefined : 'number';
  }
  if (/^(bigint|bigserial)$/.test(b)) return mode === 'number' ? 'number' : mode === 'bigint' ? 'bigint' : undefined;
  if (/^(text|varchar|char|uuid|citext|numeric|decimal)$/.test(b)) return 'string';
  if (/^(timestamp|datetime)$/.test(b)) return mode === 'string' ? 'string' : 'Date';
  if (b === 'date') return mode === 'date' ? 'Date' : 'string';
  return undefined;
}

/** Whether an index (or key) that `table` declares starts with these columns, in any order. */
export function drizzleIndexed(table: DrizzleTable, keys: readonly string[]): boolean {
  const want = new Set(keys);
  return table.indexed.some(({ keys: cols }) => cols.length >= want.size && cols.slice(0, want.size).every((c) => want.has(c)));
}

/** The extra config's parameter name, when it has one to name columns by. */
export function configParam(table: DrizzleTable): string | undefined {
  const p = table.extra?.parameters[0];
  return p && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

/** `(t) => "index('posts_author_id_idx').on(t.authorId)"`; a key `{ key, descending }` sorts with `.desc()`. */
export function drizzleIndex(name: string, keys: ReadonlyArray<string | { key: string; descending?: boolean }>): (param: string) => string {
  const safe = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return (param) => `index('${safe}').on(${keys.map((k) => (typeof k === 'string' ? `${param}.${k}` : `${param}.${k.key}${k.descending ? '.desc()' : ''}`)).join(', ')})`;
}

/**
 * Edits that add one constraint to a table's extra config: an element of its array (or a property
 * of the older object form, named `property` or that with a number), laid out like the others,
 * after a comment that ends the last one's line; or a new config `(table) => [item]` after the
 * columns, laid out like the first two arguments. `item` is given the config's parameter name.
 * Undefined when the config's columns cannot be named (a destructured or missing parameter).
 */
export function addToExtraConfig(sf: ts.SourceFile, table: DrizzleTable, item: (param: string) => string, property: string): Edit[] | undefined {
  const text = sf.text;
  if (!table.extra) {
    const first = table.call.arguments[0];
    const cols = table.call.arguments[1];
    const before = text.slice(table.call.arguments.pos, first.getStart(sf));
    const nl = before.lastIndexOf('\n');
    const sep = nl < 0 ? ', ' : `,\n${before.slice(nl + 1)}`;
    return [{ start: cols.getEnd(), end: cols.getEnd(), newText: `${sep}(table) => [${item('table')}]` }];
  }
  const param = configParam(table);
  const list = table.extraList;
  if (!param || !list) return undefined;
  let entry = item(param);
  if (ts.isObjectLiteralExpression(list)) {
    const taken = new Set(list.properties.map((x) => x.name?.getText()));
    let name = property;
    for (let i = 2; taken.has(name); i++) name = `${property}${i}`;
    entry = `${name}: ${entry}`;
  }
  const elements: ts.NodeArray<ts.Node> = ts.isArrayLiteralExpression(list) ? list.elements : list.properties;
  const open = list.getStart(sf) + 1;
  const inner = text.slice(open, list.getEnd() - 1);
  if (elements.length === 0) {
    if (!inner.includes('\n')) return [{ start: open, end: open, newText: ts.isArrayLiteralExpression(list) ? entry : ` ${entry} ` }];
    // Only comments inside: the item goes first, on a line of its own.
    const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '  ';
    return [{ start: open, end: open, newText: `\n${indent}${entry}${ts.isArrayLiteralExpression(list) ? '' : ','}` }];
  }
  const last = elements[elements.length - 1];
  if (!inner.includes('\n')) return [{ start: last.getEnd(), end: last.getEnd(), newText: `, ${entry}` }];
  const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '';
  const after = elements.hasTrailingComma ? text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  const rest = /^[ \t]*(\/\/[^\r\n]*)?/.exec(text.slice(after))![0];
  const lineEnd = /^\r?\n/.test(text.slice(after + rest.length)) ? after + rest.length : after;
  const edits: Edit[] = [{ start: lineEnd, end: lineEnd, newText: `\n${indent}${entry}${elements.hasTrailingComma ? ',' : ''}` }];
  if (!elements.hasTrailingComma) edits.unshift({ start: after, end: after, newText: ',' });
  return edits;
}

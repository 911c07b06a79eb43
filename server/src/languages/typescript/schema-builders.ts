/**
 * Tables that migrations written in JS/TS build, read for their foreign keys and for the column
 * lists the database indexes (indexes, primary keys, unique constraints):
 *
 * - Knex: `knex.schema.createTable('posts', (t) => { t.integer('user_id').references('users.id');
 *   t.foreign('editor_id').references('id').inTable('users'); t.index(['user_id']) })`, and
 *   `alterTable`/`table` the same way.
 * - Kysely: `db.schema.createTable('pet').addColumn('owner_id', 'integer', (col) =>
 *   col.references('person.id'))…`, `.addForeignKeyConstraint(…)`, `.addPrimaryKeyConstraint(…)`,
 *   `.addUniqueConstraint(…)`, and `db.schema.createIndex('x').on('pet').column('owner_id')`.
 * - Sequelize's queryInterface: `createTable('Posts', { userId: { references: { model: 'Users' } } })`,
 *   `addColumn`, `addIndex`, `addConstraint`.
 *
 * The tables become `orm: 'sql'` models, so a later migration's index counts for an earlier
 * migration's foreign key, the way CREATE INDEX statements of .sql files do. The TypeScript types
 * of Knex and Kysely columns, for the values keyset fixes write, are models of the library's own
 * (`orm: 'knex'`/`'kysely'`, as Kysely's database interface gives them): a table only altered, or
 * made without keys, is not an `orm: 'sql'` table that the foreign-key advice counts as defined.
 */
import ts from 'typescript';
import type { ModelFact, SqlDropFact } from '../facts';
import { callName as name, chainOf, inRollback, isTrue as truthy, names, option as prop, reference, standalone, stepsAfter, stringArg as str, unwrap } from './builder-calls';
import { SCHEMA_BUILDER_HINT } from './hints';
import { nodesOfKind } from './walk';

export interface BuilderForeignKey {
  /** The table as the migration names it. */
  table: string;
  columns: string[];
  refTable: string;
  library: 'knex' | 'kysely' | 'sequelize';
  /** The constraint's name, given or Knex's (`posts_user_id_foreign`); PostgreSQL's when undefined. */
  name?: string;
  /** What the finding underlines: the column's definition or the constraint's call. */
  node: ts.Node;
}

export interface SchemaBuilders {
  tables: ModelFact[];
  foreignKeys: BuilderForeignKey[];
  /** The columns' TypeScript types, one model per library and table. */
  columnTypes: ModelFact[];
}


/**
 * Column types as Knex's methods (`t.uuid()`, `t.dateTime()`) and Kysely's `addColumn` name them →
 * the TypeScript type node-postgres reads them as. bigint and numeric come back as text or as
 * numbers by driver setting: not said.
 */
const COLUMN_TS_TYPES: Record<string, string> = {
  uuid: 'string', text: 'string', varchar: 'string', 'character varying': 'string', char: 'string', character: 'string', citext: 'string', string: 'string',
  integer: 'number', int: 'number', int4: 'number', smallint: 'number', int2: 'number', tinyint: 'number', mediumint: 'number', serial: 'number', increments: 'number',
  real: 'number', float4: 'number', float: 'number', double: 'number', 'double precision': 'number', float8: 'number',
  timestamp: 'Date', timestamptz: 'Date', datetime: 'Date', date: 'Date',
  boolean: 'boolean', bool: 'boolean',
};

export function columnTsType(type: string): string | undefined {
  const base = type.toLowerCase().replace(/\(.*$/, '').replace(/\s+with(out)?\s+time\s+zone$/, '').trim();
  return Object.prototype.hasOwnProperty.call(COLUMN_TS_TYPES, base) ? COLUMN_TS_TYPES[base] : undefined;
}


/** `'users.id'` → users; `'id'` with `.inTable('users')` → users. */
function referencedTable(ref: string | undefined, inTable: string | undefined): string {
  return reference(ref, inTable)?.table ?? inTable ?? 'another table';
}

export function schemaBuilders(sf: ts.SourceFile): SchemaBuilders {
  const out: SchemaBuilders = { tables: [], foreignKeys: [], columnTypes: [] };
  if (!SCHEMA_BUILDER_HINT.test(sf.text)) return out;
  const tables = new Map<string, ModelFact>();
  const table = (tableName: string, at: ts.Node): ModelFact => {
    let t = tables.get(tableName);
    if (!t) tables.set(tableName, (t = { name: tableName, orm: 'sql', relations: [], indexes: [], keys: [], start: at.getStart(sf), end: at.getEnd() }));
    return t;
  };
  const types = new Map<string, ModelFact>();
  const typed: Typed = (library, t, column, type) => {
    const found = type === undefined ? undefined : columnTsType(type);
    if (!found) return;
    const id = `${library}\0${t.name}`;
    let m = types.get(id);
    if (!m) types.set(id, (m = { name: t.name, orm: library, relations: [], start: t.start, end: t.end, fieldTypes: {} }));
    m.fieldTypes![column] = found;
  };
  // Named as the library names it unless the migration says (a later drop finds it by that name).
  const index: Add = (t, columns, named, at) => columns.length && t.indexes!.push({ columns, ...(named ? { name: named } : {}), ...(at ? { at: at.getStart(sf) } : {}) });
  // What a migration drops undoes what earlier ones made (sqlDropped).
  const drop: Drop = (t, at, what) => (t.drops ??= []).push({ at: at.getStart(sf), ...what });
  const key = (t: ModelFact, columns: string[]) => columns.length && t.keys!.push(columns);
  // A Kysely chain's later steps (`.addColumn(…)`) come first, being its outer calls: each branch
  // tells them apart by its arguments, and the chain is read from its `createTable` call.
  for (const call of nodesOfKind<ts.CallExpression>(sf, ts.SyntaxKind.CallExpression)) {
    const n = name(call);
    if (!n) continue;
    const [a0, a1, a2] = call.arguments;
    const tableName = str(a0);
    if (!tableName || inRollback(call)) continue;
    // Kysely's `db.schema.dropIndex('pet_owner_idx')`: by name, whatever its table.
    if (n === 'dropIndex' && call.arguments.length === 1 && ts.isPropertyAccessExpression(call.expression) && /\.schema$/.test(call.expression.expression.getText())) {
      drop(table('', call), call, { index: tableName });
      continue;
    }
    const fn = a1 && unwrap(a1);
    if ((n === 'createTable' || n === 'createTableIfNotExists' || n === 'alterTable' || n === 'table') && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
      knexTable(table(tableName, call), fn, out, index, key, typed, drop);
    } else if (n === 'dropTable' || n === 'dropTableIfExists') {
      // Knex's `knex.schema.dropTable('posts')`, Kysely's `db.schema.dropTable('pet')`, queryInterface's `dropTable('Posts')`.
      drop(table(tableName, call), call, { table: true });
    } else if ((n === 'removeColumn' || n === 'removeConstraint') && standalone(call) && str(a1) !== undefined) {
      drop(table(tableName, call), call, n === 'removeColumn' ? { column: str(a1) } : { constraint: str(a1) });
    } else if (n === 'createTable' && fn && ts.isObjectLiteralExpression(fn) && standalone(call)) {
      const t = table(tableName, call);
      for (const p of fn.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const column = str(prop(p.initializer, 'field')) ?? p.name.getText().replace(/^['"]|['"]$/g, '');
        sequelizeColumn(t, column, p.initializer, p, out, key);
      }
    } else if (n === 'addColumn' && standalone(call) && call.arguments.length >= 3 && str(a1) !== undefined && a2 && ts.isObjectLiteralExpression(unwrap(a2))) {
      sequelizeColumn(table(tableName, call), str(a1)!, a2, call, out, key);
    } else if (n === 'addIndex' && standalone(call)) {
      // queryInterface.addIndex('Posts', ['authorId'], { name }): Sequelize names it <table>_<fields>.
      const fields = names(prop(a1, 'fields') ?? a1);
      const options = a2 && ts.isObjectLiteralExpression(unwrap(a2)) ? a2 : prop(a1, 'fields') ? a1 : undefined;
      index(table(tableName, call), fields, str(prop(options, 'name')) ?? sequelizeIndexName(tableName, fields), call);
    } else if (n === 'removeIndex' && standalone(call) && a1) {
      // removeIndex('Posts', 'name') or removeIndex('Posts', ['authorId']).
      drop(table(tableName, call), call, { index: str(a1) ?? sequelizeIndexName(tableName, names(a1)) });
    } else if (n === 'addConstraint' && standalone(call)) {
      const fields = names(prop(a1, 'fields'));
      const type = str(prop(a1, 'type'))?.toLowerCase();
      const t = table(tableName, call);
      const named = str(prop(a1, 'name'));
      if (type === 'foreign key') out.foreignKeys.push({ table: tableName, columns: fields, refTable: str(prop(prop(a1, 'references'), 'table')) ?? 'another table', library: 'sequelize', node: call, ...(named ? { name: named } : {}) });
      else if (type === 'unique' || type === 'primary key') key(t, fields);
    } else if ((n === 'createTable' || n === 'alterTable') && call.arguments.length === 1) {
      kyselyTable(table(tableName, call), stepsAfter(call), out, index, key, typed, drop);
    } else if (n === 'createIndex' && call.arguments.length === 1) {
      const chain = stepsAfter(call);
      const on = chain.find((c) => name(c) === 'on');
      const onTable = str(on?.arguments[0]);
      if (!onTable) continue;
      const cols = chain.filter((c) => name(c) === 'column' || name(c) === 'columns').flatMap((c) => names(c.arguments[0]));
      index(table(onTable, call), cols, tableName, call);
    }
  }
  out.tables = [...tables.values()].filter((t) => t.indexes!.length || t.keys!.length || t.drops || out.foreignKeys.some((f) => f.table === t.name));
  out.columnTypes = [...types.values()];
  return out;
}

type Add = (t: ModelFact, columns: string[], name?: string, at?: ts.Node) => unknown;
type Typed = (library: 'knex' | 'kysely', t: ModelFact, column: string, type: string | undefined) => void;
type Drop = (t: ModelFact, at: ts.Node, what: Omit<SqlDropFact, 'at'>) => unknown;

function knexTable(t: ModelFact, fn: ts.ArrowFunction | ts.FunctionExpression, out: SchemaBuilders, index: Add, key: Add, typed: Typed, drop: Drop): void {
  const param = fn.parameters[0]?.name;
  if (!param || !ts.isIdentifier(param)) return;
  const builder = param.text;
  const statements: ts.Expression[] = [];
  if (ts.isBlock(fn.body)) {
    for (const st of fn.body.statements) if (ts.isExpressionStatement(st)) statements.push(st.expression);
  } else statements.push(fn.body);
  for (const expr of statements) {
    const u = unwrap(expr);
    if (!ts.isCallExpression(u)) continue;
    const chain = chainOf(u);
    const root = chain[0];
    const recv = root && ts.isPropertyAccessExpression(root.expression) ? unwrap(root.expression.expression) : undefined;
    if (!recv || !ts.isIdentifier(recv) || recv.text !== builder) continue;
    const kind = name(root)!;
    const cols = names(root.arguments[0]);
    const methods = chain.slice(1);
    const method = (m: string) => methods.find((c) => name(c) === m);
    if (kind === 'index') index(t, cols, str(root.arguments[1]) ?? knexIndexName(t.name, cols), u);
    else if (kind === 'dropIndex') drop(t, u, { index: str(root.arguments[1]) ?? knexIndexName(t.name, cols) });
    else if (kind === 'unique' || kind === 'primary') key(t, cols);
    else if (kind === 'increments' || kind === 'bigIncrements') {
      key(t, cols.length ? cols : ['id']);
      typed('knex', t, cols[0] ?? 'id', kind);
    } else if (kind === 'timestamps') {
      for (const c of ['created_at', 'updated_at']) typed('knex', t, c, 'timestamp');
    }
    else if (kind === 'foreign') {
      const ref = method('references');
      const named = str(root.arguments[1]) ?? str(method('withKeyName')?.arguments[0]);
      out.foreignKeys.push({ table: t.name, columns: cols, refTable: referencedTable(names(ref?.arguments[0])[0], str(method('inTable')?.arguments[0])), library: 'knex', node: u, name: named ?? knexKeyName(t.name, cols) });
    } else if (kind === 'dropColumn' || kind === 'dropColumns') {
      for (const column of root.arguments.flatMap((a) => names(a))) drop(t, u, { column });
    } else if (kind === 'dropForeign') {
      // `t.dropForeign('user_id')`, `t.dropForeign(['user_id'])`, with the constraint's name or not.
      drop(t, u, { foreignKey: cols });
    } else if (cols.length === 1) {
      // A column: `t.integer('user_id').unsigned().references('users.id')`.
      typed('knex', t, cols[0], kind === 'specificType' ? str(root.arguments[1]) : kind);
      if (method('primary') || method('unique')) key(t, cols);
      if (method('index')) index(t, cols, str(method('index')!.arguments[0]) ?? knexIndexName(t.name, cols), u);
      const ref = method('references');
      const named = str(method('withKeyName')?.arguments[0]);
      if (ref) out.foreignKeys.push({ table: t.name, columns: cols, refTable: referencedTable(str(ref.arguments[0]), str(method('inTable')?.arguments[0])), library: 'knex', node: u, name: named ?? knexKeyName(t.name, cols) });
    }
  }
}

/** The name Knex gives an index: `posts_user_id_index`. */
function knexIndexName(table: string, columns: readonly string[]): string {
  return `${table}_${columns.join('_')}_index`.replace(/[.-]/g, '_').toLowerCase();
}

/** The name Sequelize gives an index: `Posts_authorId` → `posts_author_id`. */
function sequelizeIndexName(table: string, fields: readonly string[]): string {
  return `${table}_${fields.join('_')}`.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The name Knex gives a foreign key constraint: `posts_user_id_foreign`. */
function knexKeyName(table: string, columns: readonly string[]): string {
  return `${table}_${columns.join('_')}_foreign`.replace(/[.-]/g, '_').toLowerCase();
}

function kyselyTable(t: ModelFact, chain: ts.CallExpression[], out: SchemaBuilders, index: Add, key: Add, typed: Typed, drop: Drop): void {
  for (const c of chain) {
    const n = name(c);
    const [a0, a1, a2] = c.arguments;
    if (n === 'addColumn') {
      const column = str(a0);
      if (column) typed('kysely', t, column, str(a1));
      const cb = a2 && unwrap(a2);
      if (!column || !cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) continue;
      const body = ts.isBlock(cb.body) ? cb.body.statements.find(ts.isReturnStatement)?.expression : cb.body;
      const calls = body && ts.isCallExpression(unwrap(body)) ? chainOf(unwrap(body) as ts.CallExpression) : [];
      const ref = calls.find((x) => name(x) === 'references');
      if (calls.some((x) => name(x) === 'primaryKey' || name(x) === 'unique')) key(t, [column]);
      if (ref) out.foreignKeys.push({ table: t.name, columns: [column], refTable: referencedTable(str(ref.arguments[0]), undefined), library: 'kysely', node: step(c) });
    } else if (n === 'addForeignKeyConstraint') {
      const named = str(a0);
      out.foreignKeys.push({ table: t.name, columns: names(a1), refTable: str(a2) ?? 'another table', library: 'kysely', node: step(c), ...(named ? { name: named } : {}) });
    } else if ((n === 'dropColumn' || n === 'dropConstraint') && str(a0) !== undefined) {
      drop(t, c, n === 'dropColumn' ? { column: str(a0) } : { constraint: str(a0) });
    } else if (n === 'addPrimaryKeyConstraint' || n === 'addUniqueConstraint') key(t, names(a1));
    else if (n === 'addIndex') {
      // `alterTable('pet').addIndex('pet_owner_idx').column('owner_id')`.
      const rest = chain.slice(chain.indexOf(c) + 1);
      index(t, rest.filter((x) => name(x) === 'column' || name(x) === 'columns').flatMap((x) => names(x.arguments[0])), str(a0), c);
    } else if (n === 'dropIndex' && str(a0) !== undefined) {
      drop(t, c, { index: str(a0) });
    }
  }
}

/** A step of a Kysely chain, `addColumn(…)` without what comes before it: what a finding points at. */
function step(c: ts.CallExpression): ts.Node {
  return ts.isPropertyAccessExpression(c.expression) ? c.expression.name : c;
}


function sequelizeColumn(t: ModelFact, column: string, def: ts.Expression, at: ts.Node, out: SchemaBuilders, key: Add): void {
  const refs = prop(def, 'references');
  if (truthy(prop(def, 'primaryKey')) || truthy(prop(def, 'unique'))) key(t, [column]);
  if (!refs) return;
  const model = prop(refs, 'model');
  const refTable = str(model) ?? str(prop(model, 'tableName')) ?? 'another table';
  out.foreignKeys.push({ table: t.name, columns: [column], refTable, library: 'sequelize', node: at });
}

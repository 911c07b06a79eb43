/**
 * Knex, Kysely and Sequelize migrations → DDL for the embedded database: the tables their
 * `createTable` builds, the columns `alterTable` (Knex's `table`) and `addColumn` add, their keys,
 * foreign keys and indexes, in the migration's order. Columns are typed the way each library types
 * them on PostgreSQL (Knex `string` → varchar(255), `increments` → serial, Sequelize `DATE` →
 * timestamptz, Kysely's type strings as written). Renames and drops are not followed: the schema
 * is the one the migrations build up, for plans and generated data, not a replay of them.
 */
import ts from 'typescript';
import { callName as nameOf, chainOf, isFalse, isTrue, names as strings, numberArg as num, option as prop, reference, standalone, stepsAfter, stringArg as str, unwrap } from '../../languages/typescript/builder-calls';
import { isMigrationScript } from './js-migrations';
import type { SchemaStatement } from './workspace-schema';

export interface Column {
  name: string;
  type: string;
  notNull?: boolean;
  primary?: boolean;
  unique?: boolean;
  sqlDefault?: string;
  references?: { table: string; column: string };
}

interface TableChange {
  /** Where it is in the file: statements are made in this order. */
  at: number;
  table: string;
  create: boolean;
  columns: Column[];
  /** Table constraints and indexes, as SQL (`PRIMARY KEY (a, b)`), and CREATE INDEX statements. */
  constraints: string[];
  indexes: string[];
}

/** A file that may build tables with one of the three libraries. */
export function mayBuildTables(relPath: string, text: string): boolean {
  return isMigrationScript(relPath) && /\b(createTable|alterTable|addColumn)\s*\(|\.schema\s*\.\s*table\s*\(/.test(text);
}

export const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const KNEX_TYPES: Record<string, string> = {
  integer: 'integer', int: 'integer', bigInteger: 'bigint', bigint: 'bigint', smallint: 'smallint', tinyint: 'smallint', mediumint: 'integer',
  text: 'text', boolean: 'boolean', date: 'date', datetime: 'timestamptz', timestamp: 'timestamptz', time: 'time',
  float: 'real', double: 'double precision', json: 'json', jsonb: 'jsonb', uuid: 'uuid', binary: 'bytea', enu: 'text', enum: 'text',
};

function knexChange(table: string, create: boolean, fn: ts.ArrowFunction | ts.FunctionExpression, at: number): TableChange | undefined {
  const param = fn.parameters[0]?.name;
  if (!param || !ts.isIdentifier(param)) return undefined;
  const change: TableChange = { at, table, create, columns: [], constraints: [], indexes: [] };
  const body = ts.isBlock(fn.body) ? fn.body.statements.filter(ts.isExpressionStatement).map((s) => s.expression) : [fn.body];
  for (const expr of body) {
    const chain = chainOf(expr);
    const root = chain[0];
    const recv = root && ts.isPropertyAccessExpression(root.expression) ? unwrap(root.expression.expression) : undefined;
    if (!recv || !ts.isIdentifier(recv) || recv.text !== param.text) continue;
    const kind = nameOf(root)!;
    const [a0, a1, a2] = root.arguments;
    const method = (m: string) => chain.slice(1).find((c) => nameOf(c) === m);
    if (kind === 'index') change.indexes.push(`CREATE INDEX ON ${q(table)} (${strings(a0).map(q).join(', ')});`);
    else if (kind === 'unique') change.constraints.push(`UNIQUE (${strings(a0).map(q).join(', ')})`);
    else if (kind === 'primary') change.constraints.push(`PRIMARY KEY (${strings(a0).map(q).join(', ')})`);
    else if (kind === 'foreign') {
      const ref = reference(strings(method('references')?.arguments[0])[0], str(method('inTable')?.arguments[0]));
      if (ref) change.constraints.push(`FOREIGN KEY (${strings(a0).map(q).join(', ')}) REFERENCES ${q(ref.table)} (${q(ref.column)})`);
    } else if (kind === 'timestamps') {
      for (const c of ['created_at', 'updated_at']) change.columns.push({ name: c, type: 'timestamptz', notNull: true, sqlDefault: 'now()' });
    } else {
      const column = str(a0);
      if (!column) continue;
      let type = KNEX_TYPES[kind];
      if (kind === 'increments' || kind === 'bigIncrements') type = kind === 'increments' ? 'serial' : 'bigserial';
      else if (kind === 'string') type = `varchar(${num(a1) ?? 255})`;
      else if (kind === 'decimal') type = num(a1) !== undefined ? `numeric(${num(a1)}, ${num(a2) ?? 2})` : 'numeric(8, 2)';
      else if (kind === 'specificType') type = str(a1) ?? 'text';
      if (!type) continue;
      const col: Column = { name: column, type };
      if (kind === 'increments' || kind === 'bigIncrements' || method('primary')) col.primary = true;
      if (method('notNullable')) col.notNull = true;
      if (method('unique')) col.unique = true;
      const ref = method('references');
      if (ref) col.references = reference(str(ref.arguments[0]), str(method('inTable')?.arguments[0]));
      if (method('index')) change.indexes.push(`CREATE INDEX ON ${q(table)} (${q(column)});`);
      if (/\bfn\.now\(\)/.test(method('defaultTo')?.getText() ?? '')) col.sqlDefault = 'now()';
      change.columns.push(col);
    }
  }
  return change;
}

/** SQLite's names Kysely takes that PostgreSQL (the embedded database) has under another name. */
const SQLITE_TYPES: Record<string, string> = { blob: 'bytea', datetime: 'timestamp' };

/** A Kysely type (`'varchar(255)'`, `sql\`timestamptz\``) as SQL. */
function kyselyType(e: ts.Expression | undefined): string | undefined {
  const u = e && unwrap(e);
  if (!u) return undefined;
  const text = ts.isStringLiteralLike(u) ? u.text : ts.isTaggedTemplateExpression(u) && ts.isNoSubstitutionTemplateLiteral(u.template) ? u.template.text : undefined;
  return text !== undefined && Object.hasOwn(SQLITE_TYPES, text.toLowerCase()) ? SQLITE_TYPES[text.toLowerCase()] : text;
}

function kyselyChange(table: string, create: boolean, steps: ts.CallExpression[], at: number): TableChange {
  const change: TableChange = { at, table, create, columns: [], constraints: [], indexes: [] };
  for (const [i, c] of steps.entries()) {
    const [a0, a1, a2] = c.arguments;
    const n = nameOf(c);
    if (n === 'addColumn') {
      const name = str(a0);
      const type = kyselyType(a1);
      if (!name || !type) continue;
      const col: Column = { name, type };
      const cb = a2 && unwrap(a2);
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
        const body = ts.isBlock(cb.body) ? cb.body.statements.find(ts.isReturnStatement)?.expression : cb.body;
        for (const m of body ? chainOf(body) : []) {
          const mn = nameOf(m);
          if (mn === 'primaryKey') col.primary = true;
          else if (mn === 'notNull') col.notNull = true;
          else if (mn === 'unique') col.unique = true;
          else if (mn === 'references') col.references = reference(str(m.arguments[0]), undefined);
          else if (mn === 'defaultTo' && /now\(\)/.test(m.getText())) col.sqlDefault = 'now()';
        }
      }
      change.columns.push(col);
    } else if (n === 'addPrimaryKeyConstraint') change.constraints.push(`PRIMARY KEY (${strings(a1).map(q).join(', ')})`);
    else if (n === 'addUniqueConstraint') change.constraints.push(`UNIQUE (${strings(a1).map(q).join(', ')})`);
    else if (n === 'addForeignKeyConstraint') change.constraints.push(`FOREIGN KEY (${strings(a1).map(q).join(', ')}) REFERENCES ${q(str(a2) ?? '')} (${strings(c.arguments[3]).map(q).join(', ')})`);
    else if (n === 'addIndex') {
      const cols = steps.slice(i + 1).filter((x) => nameOf(x) === 'column' || nameOf(x) === 'columns').flatMap((x) => strings(x.arguments[0]));
      if (cols.length) change.indexes.push(`CREATE INDEX ON ${q(table)} (${cols.map(q).join(', ')});`);
    }
  }
  return change;
}

const SEQUELIZE_TYPES: Record<string, string> = {
  INTEGER: 'integer', BIGINT: 'bigint', SMALLINT: 'smallint', TINYINT: 'smallint', TEXT: 'text', CITEXT: 'text', BOOLEAN: 'boolean', DATE: 'timestamptz',
  DATEONLY: 'date', TIME: 'time', FLOAT: 'real', REAL: 'real', DOUBLE: 'double precision', UUID: 'uuid', JSON: 'json', JSONB: 'jsonb', ENUM: 'text', BLOB: 'bytea',
};

/** `Sequelize.STRING(100)`, `DataTypes.INTEGER`, `{ type: …, allowNull: false, references: { model, key } }`. */
export function sequelizeColumn(name: string, def: ts.Expression): Column | undefined {
  const typeExpr = unwrap(prop(def, 'type') ?? def);
  const call = ts.isCallExpression(typeExpr) ? typeExpr : undefined;
  const base = call ? call.expression : typeExpr;
  const kind = ts.isPropertyAccessExpression(base) ? base.name.text : ts.isIdentifier(base) ? base.text : undefined;
  if (!kind) return undefined;
  let type = SEQUELIZE_TYPES[kind];
  if (kind === 'STRING' || kind === 'CHAR') type = `${kind === 'STRING' ? 'varchar' : 'char'}(${num(call?.arguments[0]) ?? 255})`;
  else if (kind === 'DECIMAL') type = num(call?.arguments[0]) !== undefined ? `numeric(${num(call?.arguments[0])}, ${num(call?.arguments[1]) ?? 0})` : 'numeric';
  if (!type) return undefined;
  const col: Column = { name, type };
  if (isTrue(prop(def, 'primaryKey'))) col.primary = true;
  if (isTrue(prop(def, 'autoIncrement'))) col.type = type === 'bigint' ? 'bigserial' : 'serial';
  if (isFalse(prop(def, 'allowNull'))) col.notNull = true;
  if (isTrue(prop(def, 'unique'))) col.unique = true;
  const refs = prop(def, 'references');
  const model = prop(refs, 'model');
  const refTable = str(model) ?? str(prop(model, 'tableName'));
  if (refTable) col.references = { table: refTable, column: str(prop(refs, 'key')) ?? 'id' };
  if (/\bNOW\b|fn\(['"]now['"]\)/.test(prop(def, 'defaultValue')?.getText() ?? '')) col.sqlDefault = 'now()';
  return col;
}

function tableChanges(sf: ts.SourceFile): TableChange[] {
  const out: TableChange[] = [];
  const visit = (n: ts.Node): void => {
    ts.forEachChild(n, visit);
    if (!ts.isCallExpression(n)) return;
    const kind = nameOf(n);
    const [a0, a1, a2] = n.arguments;
    const table = str(a0);
    if (!kind || !table) return;
    const at = a0.getStart(sf);
    const fn = a1 && unwrap(a1);
    const receiverIsCall = !standalone(n);
    if (/^(createTable|createTableIfNotExists|alterTable|table)$/.test(kind) && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
      const change = knexChange(table, /^createTable/.test(kind), fn, at);
      if (change) out.push(change);
    } else if (kind === 'createTable' && fn && ts.isObjectLiteralExpression(fn) && !receiverIsCall) {
      const change: TableChange = { at, table, create: true, columns: [], constraints: [], indexes: [] };
      for (const p of fn.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const col = sequelizeColumn(str(prop(p.initializer, 'field')) ?? p.name.getText().replace(/^['"]|['"]$/g, ''), p.initializer);
        if (col) change.columns.push(col);
      }
      out.push(change);
    } else if (kind === 'addColumn' && !receiverIsCall && str(a1) && a2) {
      const col = sequelizeColumn(str(a1)!, a2);
      if (col) out.push({ at, table, create: false, columns: [col], constraints: [], indexes: [] });
    } else if (kind === 'addIndex' && !receiverIsCall) {
      const cols = strings(prop(a1, 'fields') ?? a1);
      if (cols.length) out.push({ at, table, create: false, columns: [], constraints: [], indexes: [`CREATE ${/\bunique\s*:\s*true\b/.test(n.getText()) ? 'UNIQUE ' : ''}INDEX ON ${q(table)} (${cols.map(q).join(', ')});`] });
    } else if ((kind === 'createTable' || kind === 'alterTable') && n.arguments.length === 1) {
      // Kysely: the steps are the calls that wrap this one.
      out.push(kyselyChange(table, kind === 'createTable', stepsAfter(n), at));
    } else if (kind === 'createIndex' && n.arguments.length === 1) {
      const steps = stepsAfter(n);
      const on = str(steps.find((s) => nameOf(s) === 'on')?.arguments[0]);
      const cols = steps.filter((s) => nameOf(s) === 'column' || nameOf(s) === 'columns').flatMap((s) => strings(s.arguments[0]));
      const unique = steps.some((s) => nameOf(s) === 'unique');
      if (on && cols.length) out.push({ at, table: on, create: false, columns: [], constraints: [], indexes: [`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ON ${q(on)} (${cols.map(q).join(', ')});`] });
    }
  };
  visit(sf);
  return out.sort((a, b) => a.at - b.at);
}

export function columnSql(c: Column): string {
  const parts = [q(c.name), c.type];
  if (c.notNull) parts.push('NOT NULL');
  if (c.sqlDefault) parts.push(`DEFAULT ${c.sqlDefault}`);
  if (c.unique && !c.primary) parts.push('UNIQUE');
  if (c.references) parts.push(`REFERENCES ${q(c.references.table)} (${q(c.references.column)})`);
  return parts.join(' ');
}

/** The DDL a migration file's builders make, in its order; none when it uses none of them. */
export function builderDdl(file: string, rel: string, text: string): SchemaStatement[] {
  if (text.length > 1024 * 1024) return [];
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, /\.[mc]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const out: SchemaStatement[] = [];
  for (const change of tableChanges(sf)) {
    if (change.create) {
      const primary = change.columns.filter((c) => c.primary);
      const lines = change.columns.map(columnSql);
      if (primary.length && !change.constraints.some((c) => c.startsWith('PRIMARY KEY'))) lines.push(`PRIMARY KEY (${primary.map((c) => q(c.name)).join(', ')})`);
      lines.push(...change.constraints);
      if (lines.length) out.push({ sql: `CREATE TABLE ${q(change.table)} (\n  ${lines.join(',\n  ')}\n);`, source: rel });
    } else {
      for (const c of change.columns) out.push({ sql: `ALTER TABLE ${q(change.table)} ADD COLUMN ${columnSql(c)}${c.primary ? ' PRIMARY KEY' : ''};`, source: rel });
      for (const c of change.constraints) out.push({ sql: `ALTER TABLE ${q(change.table)} ADD ${c};`, source: rel });
    }
    for (const sql of change.indexes) out.push({ sql, source: rel });
  }
  return out;
}

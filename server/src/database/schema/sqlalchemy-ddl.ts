/**
 * SQLAlchemy (declarative classes, `Table(...)`), Flask-SQLAlchemy and SQLModel models → the
 * PostgreSQL DDL `metadata.create_all()` emits for them: SQLAlchemy's types and layout (`SERIAL`
 * for a lone integer primary key, `PRIMARY KEY (…)` and unnamed `FOREIGN KEY(…)` constraints in the
 * table, `ix_<table>_<column>` for `index=True`, `__table_args__` indexes and unique constraints).
 */
import type { SchemaStatement } from './workspace-schema';
import { parentsFirst } from '../parents-first';
import { elements, intLiteral, isTrue, kwarg, lastName, moduleAssignments, positional, stringLiteral, type PyAttribute, type PyClass } from './python-classes';
import { args, field, type Node } from '../../languages/python/tree';

export interface SqlalchemyModule {
  root: Node;
  classes: PyClass[];
  /** File, relative to the workspace root. */
  source: string;
}

interface ColumnSpec {
  name: string;
  /** Attribute name in the class (column names may differ). */
  attribute: string;
  type?: string;
  nullable: boolean;
  primaryKey: boolean;
  unique: boolean;
  index: boolean;
  autoincrement?: boolean;
  default?: string;
  /** `owners.id`, or `Owner.id` until resolved. */
  foreignKey?: { target: string; onDelete?: string; onUpdate?: string };
}

interface TableSpec {
  name: string;
  source: string;
  columns: ColumnSpec[];
  /** `__table_args__`: indexes and unique constraints. */
  indexes: Array<{ name: string; columns: string[]; unique: boolean }>;
  uniques: Array<{ name?: string; columns: string[] }>;
  className?: string;
}

const TYPES: Record<string, string> = {
  Integer: 'INTEGER', INTEGER: 'INTEGER', INT: 'INTEGER', BigInteger: 'BIGINT', BIGINT: 'BIGINT', SmallInteger: 'SMALLINT', SMALLINT: 'SMALLINT',
  Text: 'TEXT', TEXT: 'TEXT', UnicodeText: 'TEXT', Boolean: 'BOOLEAN', BOOLEAN: 'BOOLEAN', Date: 'DATE', DATE: 'DATE',
  Time: 'TIME WITHOUT TIME ZONE', Interval: 'INTERVAL', INTERVAL: 'INTERVAL', Float: 'FLOAT', FLOAT: 'FLOAT', REAL: 'REAL',
  Double: 'DOUBLE PRECISION', DOUBLE_PRECISION: 'DOUBLE PRECISION', JSON: 'JSON', JSONB: 'JSONB', Uuid: 'UUID', UUID: 'UUID',
  LargeBinary: 'BYTEA', BYTEA: 'BYTEA', INET: 'INET', CITEXT: 'CITEXT', TIMESTAMP: 'TIMESTAMP WITHOUT TIME ZONE', Enum: 'VARCHAR',
};
const LENGTH_TYPES: Record<string, string> = { String: 'VARCHAR', Unicode: 'VARCHAR', VARCHAR: 'VARCHAR', CHAR: 'CHAR', AutoString: 'VARCHAR' };
/** Python annotations → the types SQLAlchemy 2.0's default type map (and SQLModel's) gives them. */
const PY_TYPES: Record<string, string> = {
  int: 'INTEGER', str: 'VARCHAR', bool: 'BOOLEAN', float: 'FLOAT', datetime: 'TIMESTAMP WITHOUT TIME ZONE', date: 'DATE',
  time: 'TIME WITHOUT TIME ZONE', timedelta: 'INTERVAL', Decimal: 'NUMERIC', UUID: 'UUID', bytes: 'BYTEA', dict: 'JSON',
};
const COLUMN_CALLS = /^(Column|mapped_column|Field)$/;
const MODEL_BASE = /^(Model|SQLModel)$/;
const INTEGERS: Record<string, string> = { INTEGER: 'SERIAL', BIGINT: 'BIGSERIAL', SMALLINT: 'SMALLSERIAL' };
/**
 * Words PostgreSQL reserves, and those it keeps for types and functions (`binary`, `left`, `is`),
 * which no column may take unquoted either: SQLAlchemy quotes them as identifiers.
 */
const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with ' +
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose').split(' '),
);

/**
 * Mixins from outside the workspace whose columns tables take: oslo.db's, which every OpenStack
 * service's models use (`class Service(BASE, models.TimestampMixin, models.SoftDeleteMixin)`).
 */
export const EXTERNAL_MIXINS: ReadonlyMap<string, readonly ColumnSpec[]> = new Map<string, ColumnSpec[]>([
  ['TimestampMixin', [
    { name: 'created_at', attribute: 'created_at', type: 'TIMESTAMP WITHOUT TIME ZONE', nullable: true, primaryKey: false, unique: false, index: false },
    { name: 'updated_at', attribute: 'updated_at', type: 'TIMESTAMP WITHOUT TIME ZONE', nullable: true, primaryKey: false, unique: false, index: false },
  ]],
  ['SoftDeleteMixin', [
    { name: 'deleted_at', attribute: 'deleted_at', type: 'TIMESTAMP WITHOUT TIME ZONE', nullable: true, primaryKey: false, unique: false, index: false },
    { name: 'deleted', attribute: 'deleted', type: 'INTEGER', nullable: true, primaryKey: false, unique: false, index: false },
  ]],
]);

export function quoteSqlalchemy(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** What the modules declare besides tables: classes (mixins, bases, custom types), and functions that make columns. */
interface Declarations {
  classes: ReadonlyMap<string, PyClass>;
  /** `def id_column(): return sa.Column(sa.String(36), primary_key=True)` (Mistral's), by name. */
  columnFactories: ReadonlyMap<string, Node>;
}

export function sqlalchemyDdl(modules: readonly SqlalchemyModule[]): SchemaStatement[] {
  const tables: TableSpec[] = [];
  const classes = new Map<string, PyClass>();
  const columnFactories = new Map<string, Node>();
  for (const mod of modules) {
    for (const cls of mod.classes) if (!classes.has(cls.name)) classes.set(cls.name, cls);
    for (const [name, call] of factoriesOf(mod.root)) if (!columnFactories.has(name)) columnFactories.set(name, call);
    // `Base = declarative_base(cls=MyBase)`: the models' base, with the columns of MyBase (Mistral's).
    for (const [name, value] of moduleAssignments(mod.root)) {
      const base = value.type === 'call' && lastName(field(value, 'function')?.text ?? '') === 'declarative_base' ? kwarg(value, 'cls') : undefined;
      if (base && !classes.has(name)) classes.set(name, { name, bases: [base.text.replace(/\s/g, '')], keywords: new Map(), attributes: [], meta: new Map(), node: value });
    }
  }
  const known: Declarations = { classes, columnFactories };
  for (const mod of modules) {
    for (const cls of mod.classes) {
      const table = classTable(cls, known, mod.source);
      if (table) tables.push(table);
    }
    for (const [, value] of moduleAssignments(mod.root)) {
      if (value.type === 'call' && lastName(field(value, 'function')?.text ?? '') === 'Table') {
        const table = tableCall(value, known, mod.source);
        if (table) tables.push(table);
      }
    }
  }
  resolveForeignKeys(tables);
  const q = quoteSqlalchemy;
  const out: SchemaStatement[] = [];
  const indexes: SchemaStatement[] = [];
  // create_all makes a table after those it references; a key to one made later (a cycle, a table
  // of another file or of no model) is added after all of them, as `use_alter` does, and fails alone.
  const alters: SchemaStatement[] = [];
  const made = new Set<string>();
  for (const t of parentsFirst(tables, (t) => t.name, (t) => t.columns.flatMap((c) => (c.foreignKey ? [splitTarget(c.foreignKey.target)[0]] : [])))) {
    const pk = t.columns.filter((c) => c.primaryKey);
    const lines: string[] = [];
    for (const c of t.columns) {
      let type = c.type ?? 'INTEGER';
      const serial = pk.length === 1 && pk[0] === c && INTEGERS[type] && !c.foreignKey && c.autoincrement !== false && c.default === undefined;
      if (serial) type = INTEGERS[type];
      let line = `${q(c.name)} ${type}`;
      if (c.default !== undefined) line += ` DEFAULT ${c.default}`;
      if (!c.nullable || c.primaryKey) line += ' NOT NULL';
      lines.push(line);
    }
    if (pk.length) lines.push(`PRIMARY KEY (${pk.map((c) => q(c.name)).join(', ')})`);
    for (const u of t.uniques) lines.push(`${u.name ? `CONSTRAINT ${q(u.name)} ` : ''}UNIQUE (${u.columns.map(q).join(', ')})`);
    for (const c of t.columns) {
      if (c.foreignKey) {
        const [table, column] = splitTarget(c.foreignKey.target);
        let fk = `FOREIGN KEY(${q(c.name)}) REFERENCES ${q(table)} (${q(column)})`;
        if (c.foreignKey.onDelete) fk += ` ON DELETE ${c.foreignKey.onDelete}`;
        if (c.foreignKey.onUpdate) fk += ` ON UPDATE ${c.foreignKey.onUpdate}`;
        if (table === t.name || made.has(table)) lines.push(fk);
        else alters.push({ sql: `ALTER TABLE ${q(t.name)} ADD ${fk};`, source: t.source });
      }
      if (c.unique && !c.index && !c.primaryKey) lines.push(`UNIQUE (${q(c.name)})`);
    }
    out.push({ sql: `CREATE TABLE ${q(t.name)} (\n\t${lines.join(',\n\t')}\n);`, source: t.source });
    made.add(t.name);
    // create_all emits a table's indexes sorted by name.
    const tableIndexes = [
      ...t.columns.filter((c) => c.index).map((c) => ({ name: `ix_${t.name}_${c.name}`, unique: c.unique, columns: [q(c.name)] })),
      ...t.indexes,
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const i of tableIndexes) indexes.push({ sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(t.name)} (${i.columns.join(', ')});`, source: t.source });
  }
  return [...out, ...alters, ...indexes];
}

/** Module functions whose body returns a column call. */
function factoriesOf(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const st of root.namedChildren) {
    if (st?.type !== 'function_definition') continue;
    const name = field(st, 'name')?.text;
    const statements = field(st, 'body')?.namedChildren.filter((n) => n?.type !== 'comment' && n?.type !== 'expression_statement') ?? [];
    const ret = statements.length === 1 && statements[0]?.type === 'return_statement' ? statements[0].namedChildren[0] : undefined;
    if (name && ret && isColumnCall(ret)) out.set(name, ret);
  }
  return out;
}

/** The table a declarative class maps, with the columns of its mixins and abstract bases first. */
function classTable(cls: PyClass, known: Declarations, source: string): TableSpec | undefined {
  const classes = known.classes;
  const attrs = new Map(cls.attributes.map((a) => [a.name, a]));
  if (isTrue(attrs.get('__abstract__')?.value)) return undefined;
  const sqlmodel = cls.bases.some((b) => lastName(b) === 'SQLModel') || classes.has(cls.bases[0] ?? '') && inherits(classes.get(cls.bases[0])!, classes, 'SQLModel');
  let name = stringLiteral(attrs.get('__tablename__')?.value);
  if (name === undefined) {
    if (sqlmodel && isTrue(cls.keywords.get('table'))) name = cls.name.toLowerCase();
    // Flask-SQLAlchemy names `db.Model` subclasses after the class; a subclass of a mapped class without a name is single-table inheritance.
    else if (cls.bases.some((b) => b === 'db.Model') && cls.attributes.some((a) => isColumnCall(a.value))) name = snakeCase(cls.name);
    else return undefined;
  }
  const columns: ColumnSpec[] = [];
  const visit = (c: PyClass, depth: number): void => {
    for (const b of c.bases) {
      const base = classes.get(lastName(b));
      const external = base ? undefined : EXTERNAL_MIXINS.get(lastName(b));
      for (const col of external ?? []) if (!columns.some((x) => x.attribute === col.attribute)) columns.push({ ...col });
      // Columns come from mixins and abstract bases; a mapped parent (joined inheritance) keeps its own.
      if (base && depth < 10 && !stringLiteral(base.attributes.find((a) => a.name === '__tablename__')?.value) && !MODEL_BASE.test(base.name)) visit(base, depth + 1);
    }
    for (const a of c.attributes) {
      const col = columnOf(a, sqlmodel, known);
      if (col) {
        const old = columns.findIndex((x) => x.attribute === a.name);
        if (old >= 0) columns.splice(old, 1);
        columns.push(col);
      }
    }
  };
  visit(cls, 0);
  if (columns.length === 0) return undefined;
  const table: TableSpec = { name, source, columns, indexes: [], uniques: [], className: cls.name };
  readTableArgs(attrs.get('__table_args__')?.value, table);
  return table;
}

function inherits(cls: PyClass, classes: ReadonlyMap<string, PyClass>, base: string, depth = 0): boolean {
  return depth < 10 && cls.bases.some((b) => lastName(b) === base || (classes.has(lastName(b)) && inherits(classes.get(lastName(b))!, classes, base, depth + 1)));
}

/** `Table("post_tags", Base.metadata, Column("post_id", ForeignKey("posts.id"), primary_key=True), …)`. */
function tableCall(call: Node, known: Declarations, source: string): TableSpec | undefined {
  const pos = positional(call);
  const name = stringLiteral(pos[0]);
  if (!name) return undefined;
  const table: TableSpec = { name, source, columns: [], indexes: [], uniques: [] };
  for (const a of pos.slice(1)) {
    if (a.type !== 'call') continue;
    const callee = lastName(field(a, 'function')?.text ?? '');
    if (callee === 'Column') {
      const col = columnOf({ name: stringLiteral(positional(a)[0]) ?? '', annotation: '', value: a }, false, known);
      if (col?.name) table.columns.push(col);
    } else readTableArgs(a, table);
  }
  return table.columns.length ? table : undefined;
}

function isColumnCall(n: Node | undefined): boolean {
  return n?.type === 'call' && COLUMN_CALLS.test(lastName(field(n, 'function')?.text ?? ''));
}

function columnOf(a: PyAttribute, sqlmodel: boolean, known: Declarations): ColumnSpec | undefined {
  if (a.name.startsWith('__')) return undefined;
  const mapped = /^(\w+\.)?Mapped\[/.test(a.annotation);
  const factory = a.value?.type === 'call' && args(a.value).length === 0 ? known.columnFactories.get(lastName(field(a.value, 'function')?.text ?? '')) : undefined;
  let call = isColumnCall(a.value) ? a.value! : factory;
  // SQLModel's `Field(sa_column=Column(...))` hands the column over whole.
  const saColumn = call ? kwarg(call, 'sa_column') : undefined;
  if (saColumn && isColumnCall(saColumn)) call = saColumn;
  const callee = call ? lastName(field(call, 'function')?.text ?? '') : undefined;
  // Other calls are relationships, properties, hybrid attributes: not columns.
  if (!call && (a.value?.type === 'call' || !(mapped || (sqlmodel && a.annotation)))) return undefined;
  if (callee === 'Field' && !sqlmodel) return undefined;
  const annotation = annotationType(a.annotation);
  const pos = call ? positional(call) : [];
  const named = call ? stringLiteral(pos[0]) ?? stringLiteral(kwarg(call, 'name')) : undefined;
  const spec: ColumnSpec = { name: named ?? a.name, attribute: a.name, nullable: false, primaryKey: false, unique: false, index: false };
  if (call) {
    spec.primaryKey = isTrue(kwarg(call, 'primary_key'));
    spec.unique = isTrue(kwarg(call, 'unique'));
    spec.index = isTrue(kwarg(call, 'index'));
    const auto = kwarg(call, 'autoincrement');
    if (auto?.type === 'false') spec.autoincrement = false;
    for (const p of pos) {
      if (p.type === 'call' && lastName(field(p, 'function')?.text ?? '') === 'ForeignKey') spec.foreignKey = foreignKeyOf(p) ?? spec.foreignKey;
      else if (p.type !== 'string') spec.type ??= sqlType(p, known.classes);
    }
    const saType = kwarg(call, 'sa_type') ?? kwarg(call, 'type_');
    if (saType) spec.type = sqlType(saType, known.classes);
    const fk = stringLiteral(kwarg(call, 'foreign_key'));
    if (fk) spec.foreignKey = { target: fk, onDelete: stringLiteral(kwarg(call, 'ondelete'))?.toUpperCase() };
    const maxLength = intLiteral(kwarg(call, 'max_length'));
    if (callee === 'Field' && maxLength !== undefined && (spec.type ?? annotation.type) === 'VARCHAR') spec.type = `VARCHAR(${maxLength})`;
    const serverDefault = kwarg(call, 'server_default');
    if (serverDefault) spec.default = serverDefaultSql(serverDefault);
  }
  spec.type ??= annotation.type;
  // `Mapped["Owner"]` with no column call is a relationship declared elsewhere, not a column.
  if (!call && !spec.type) return undefined;
  const nullable = call ? kwarg(call, 'nullable') : undefined;
  if (nullable) spec.nullable = isTrue(nullable);
  // Column() is nullable unless told otherwise; mapped_column and SQLModel follow the annotation.
  else spec.nullable = callee === 'Column' && !mapped ? !spec.primaryKey : annotation.optional && !spec.primaryKey;
  return spec;
}

/** `Mapped[Optional[int]]` → INTEGER, nullable; `Mapped[str | None]` likewise. */
function annotationType(annotation: string): { type?: string; optional: boolean } {
  let t = annotation.replace(/^(\w+\.)?Mapped\[(.*)\]$/, '$2');
  let optional = false;
  const opt = /^(?:typing\.)?Optional\[(.*)\]$/.exec(t);
  if (opt) {
    t = opt[1];
    optional = true;
  }
  const union = /^(?:typing\.)?Union\[(.*)\]$/.exec(t);
  const parts = (union ? union[1].split(',') : t.split('|')).filter((p) => p !== 'None');
  if (parts.length < (union ? union[1].split(',').length : t.split('|').length)) optional = true;
  const base = lastName((parts[0] ?? '').replace(/^["']|["']$/g, ''));
  return { type: PY_TYPES[base], optional };
}

/** A type expression: `String(100)`, `sa.Integer`, `DateTime(timezone=True)`, `Numeric(10, 2)`, `ARRAY(Integer)`. */
function sqlType(n: Node, classes: ReadonlyMap<string, PyClass>, depth = 0): string | undefined {
  const callee = n.type === 'call' ? field(n, 'function')?.text ?? '' : n.text;
  const name = lastName(callee);
  const pos = n.type === 'call' ? positional(n) : [];
  if (name === 'DateTime' || name === 'TIMESTAMP') {
    const tz = n.type === 'call' && isTrue(kwarg(n, 'timezone') ?? pos[0]);
    return tz ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
  }
  if (LENGTH_TYPES[name]) {
    const length = intLiteral(kwarg(n, 'length') ?? pos[0]);
    return length !== undefined ? `${LENGTH_TYPES[name]}(${length})` : LENGTH_TYPES[name];
  }
  if (name === 'Numeric' || name === 'NUMERIC' || name === 'DECIMAL') {
    const precision = intLiteral(kwarg(n, 'precision') ?? pos[0]);
    const scale = intLiteral(kwarg(n, 'scale') ?? pos[1]);
    return precision !== undefined ? `NUMERIC(${precision}${scale !== undefined ? `, ${scale}` : ''})` : 'NUMERIC';
  }
  if (name === 'ARRAY' && pos[0]) {
    const item = sqlType(pos[0], classes, depth);
    return item ? `${item}[]` : undefined;
  }
  return namedType(name, classes, depth);
}

/**
 * A type by its name: SQLAlchemy's, or a type of the workspace: a TypeDecorator's `impl`
 * (Mistral's `MediumText`: `impl = sa.Text`), else the type it extends.
 */
function namedType(name: string, classes: ReadonlyMap<string, PyClass>, depth: number): string | undefined {
  if (Object.hasOwn(TYPES, name)) return TYPES[name];
  if (Object.hasOwn(LENGTH_TYPES, name)) return LENGTH_TYPES[name];
  const cls = classes.get(name);
  if (!cls || depth > 5) return undefined;
  const impl = cls.attributes.find((a) => a.name === 'impl')?.value;
  if (impl) return sqlType(impl, classes, depth + 1);
  for (const base of cls.bases) {
    const type = namedType(lastName(base), classes, depth + 1);
    if (type) return type;
  }
  return undefined;
}

function foreignKeyOf(call: Node): ColumnSpec['foreignKey'] | undefined {
  const first = positional(call)[0] ?? kwarg(call, 'column');
  const target = stringLiteral(first) ?? first?.text ?? '';
  if (!target) return undefined;
  const fk: NonNullable<ColumnSpec['foreignKey']> = { target };
  const onDelete = stringLiteral(kwarg(call, 'ondelete'));
  const onUpdate = stringLiteral(kwarg(call, 'onupdate'));
  if (onDelete) fk.onDelete = onDelete.toUpperCase();
  if (onUpdate) fk.onUpdate = onUpdate.toUpperCase();
  return fk;
}

/** `func.now()` → `now()`, `"draft"` → `'draft'`, `text("0")` → `0`, `sa.true()` → `true`. */
function serverDefaultSql(n: Node): string | undefined {
  const s = stringLiteral(n);
  if (s !== undefined) return `'${s.replace(/'/g, "''")}'`;
  if (n.type !== 'call') return undefined;
  const callee = field(n, 'function')?.text ?? '';
  if (lastName(callee) === 'text') return stringLiteral(positional(n)[0]);
  if (/^(\w+\.)?(true|false|null)$/.test(callee)) return lastName(callee);
  const fn = /(?:^|\.)func\.(\w+)$/.exec(callee)?.[1];
  if (fn && args(n).length === 0) return fn === 'current_timestamp' ? 'CURRENT_TIMESTAMP' : `${fn}()`;
  return undefined;
}

/** `__table_args__ = (Index("ix_a_b", "a", "b"), UniqueConstraint("a", "b"), {"schema": …})`. */
function readTableArgs(n: Node | undefined, table: TableSpec): void {
  for (const item of n?.type === 'call' ? [n] : elements(n)) {
    if (item.type !== 'call') continue;
    const callee = lastName(field(item, 'function')?.text ?? '');
    const pos = positional(item);
    // A name no column has (a column of a mixin from outside the workspace) leaves the index or
    // constraint out: the table is still made.
    const columnName = (c: Node): string | undefined => {
      const s = stringLiteral(c);
      if (s !== undefined) return table.columns.find((x) => x.attribute === s)?.name ?? table.columns.find((x) => x.name === s)?.name;
      if (c.type === 'identifier') return table.columns.find((x) => x.attribute === c.text)?.name;
      return undefined;
    };
    if (callee === 'Index') {
      const name = stringLiteral(pos[0]);
      const columns = pos.slice(1).map((c) => indexColumn(c, columnName));
      if (name && columns.length && columns.every((c): c is string => !!c)) table.indexes.push({ name, columns, unique: isTrue(kwarg(item, 'unique')) });
    } else if (callee === 'PrimaryKeyConstraint') {
      const columns = pos.map(columnName);
      if (columns.length && columns.every((c): c is string => !!c)) for (const c of table.columns) c.primaryKey = columns.includes(c.name);
    } else if (callee === 'UniqueConstraint') {
      const columns = pos.map(columnName);
      const name = stringLiteral(kwarg(item, 'name'));
      if (columns.length && columns.every((c): c is string => !!c)) table.uniques.push({ ...(name ? { name } : {}), columns });
    }
  }
}

/** An index element: a column name, `text("created_at DESC")`, `desc("created_at")`, `created_at.desc()`. */
function indexColumn(c: Node, columnName: (c: Node) => string | undefined): string | undefined {
  if (c.type === 'call') {
    const callee = field(c, 'function');
    const fn = lastName(callee?.text ?? '');
    if (fn === 'text') return stringLiteral(positional(c)[0]);
    if ((fn === 'desc' || fn === 'asc') && callee?.type === 'attribute') {
      const col = columnName(field(callee, 'object')!);
      return col ? `${quoteSqlalchemy(col)} ${fn.toUpperCase()}` : undefined;
    }
    if (fn === 'desc' || fn === 'asc') {
      const col = positional(c)[0] ? columnName(positional(c)[0]) : undefined;
      return col ? `${quoteSqlalchemy(col)} ${fn.toUpperCase()}` : undefined;
    }
    return undefined;
  }
  const col = columnName(c);
  return col ? quoteSqlalchemy(col) : undefined;
}

/** `Owner.id` → `owners.id`; a column without a type takes the type of the column it references. */
function resolveForeignKeys(tables: readonly TableSpec[]): void {
  const byClass = new Map(tables.filter((t) => t.className).map((t) => [t.className!, t]));
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of tables) {
    for (const c of t.columns) {
      if (!c.foreignKey) continue;
      // `ForeignKey(id)`: a column of the class itself, named by its attribute.
      const own = !c.foreignKey.target.includes('.') && t.columns.find((x) => x.attribute === c.foreignKey!.target);
      if (own) c.foreignKey.target = `${t.name}.${own.name}`;
      const [owner, column] = splitTarget(c.foreignKey.target);
      const viaClass = byClass.get(owner);
      if (viaClass) c.foreignKey.target = `${viaClass.name}.${viaClass.columns.find((x) => x.attribute === column)?.name ?? column}`;
      if (!c.type) {
        const [table, col] = splitTarget(c.foreignKey.target);
        const ref = byName.get(table)?.columns.find((x) => x.name === col);
        c.type = ref?.type ?? 'INTEGER';
      }
    }
  }
}

function splitTarget(target: string): [string, string] {
  const dot = target.lastIndexOf('.');
  return dot < 0 ? [target, 'id'] : [target.slice(0, dot).split('.').pop()!, target.slice(dot + 1)];
}

/** Flask-SQLAlchemy's `camel_to_snake_case`: `UserProfile` → `user_profile`. */
export function snakeCase(name: string): string {
  return name.replace(/((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))/g, '_$1').toLowerCase().replace(/^_+/, '');
}

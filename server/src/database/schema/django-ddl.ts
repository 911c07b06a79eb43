/**
 * Django models → the PostgreSQL DDL Django's schema editor writes for them (what `sqlmigrate` of
 * the initial migration prints), with Django's names: tables `<app_label>_<model>`, identity ids,
 * `<field>_id` foreign keys with a deferrable constraint and an index each, `_like` indexes on
 * indexed text columns, auto-created many-to-many tables, and the hashed constraint and index names
 * (`blog_post_author_id_dd7a8485`), so that plans name the indexes the production database has.
 */
import type { SchemaStatement } from './workspace-schema';
import { djangoIndexName, djangoMetaIndexName, truncateName } from './django-names';
import { elements, intLiteral, isTrue, kwarg, lastName, positional, stringLiteral, type PyClass } from './python-classes';
import { isUserModelReference, swappableSetting, swapsFor } from '../../languages/python/models';
import type { Node } from '../../languages/python/tree';

export interface DjangoModule {
  classes: PyClass[];
  /** The app the module belongs to: the folder of `models.py` (or of the `models/` package). */
  app: string;
  /** File, relative to the workspace root. */
  source: string;
}

export interface DjangoSettings {
  /** `DEFAULT_AUTO_FIELD` (`django.db.models.BigAutoField`). */
  defaultAutoField?: string;
  /** `default_auto_field` per app label, from the apps' `AppConfig`. */
  appAutoFields?: ReadonlyMap<string, string>;
  /** `AUTH_USER_MODEL` (`accounts.User`). */
  authUserModel?: string;
}

interface FieldSpec {
  name: string;
  kind: string;
  maxLength?: number;
  maxDigits?: number;
  decimalPlaces?: number;
  null?: boolean;
  unique?: boolean;
  dbIndex?: boolean;
  primaryKey?: boolean;
  dbColumn?: string;
  /** Relations: the target as written (`Author`, `"blog.Author"`, `"self"`). */
  to?: string;
  toField?: string;
  dbConstraint?: boolean;
  /** M2M: `through=` given (the through model is a model of its own). */
  through?: boolean;
  /** ArrayField's element field. */
  base?: FieldSpec;
}

interface Model {
  name: string;
  app: string;
  source: string;
  table: string;
  abstract: boolean;
  proxy: boolean;
  cls?: PyClass;
  /** Own and inherited (abstract parents') fields in declaration order. */
  fields: FieldSpec[];
  /** Concrete parent (multi-table inheritance). */
  parent?: Model;
  meta: Map<string, Node>;
}

const RELATIONS = new Set(['ForeignKey', 'OneToOneField', 'ParentalKey', 'TreeForeignKey']);
const AUTO_TYPES: Record<string, string> = { AutoField: 'integer', BigAutoField: 'bigint', SmallAutoField: 'smallint' };
/** A foreign key to these columns has the column type without the identity. */
const REL_TYPES: Record<string, string> = { ...AUTO_TYPES, PositiveIntegerField: 'integer', PositiveBigIntegerField: 'bigint', PositiveSmallIntegerField: 'smallint' };
const DEFAULT_LENGTHS: Record<string, number> = { EmailField: 254, URLField: 200, SlugField: 50, FileField: 100, ImageField: 100, FilePathField: 100 };
const SIMPLE_TYPES: Record<string, string> = {
  BigIntegerField: 'bigint',
  BinaryField: 'bytea',
  BooleanField: 'boolean',
  NullBooleanField: 'boolean',
  DateField: 'date',
  DateTimeField: 'timestamp with time zone',
  DurationField: 'interval',
  FloatField: 'double precision',
  GenericIPAddressField: 'inet',
  IPAddressField: 'inet',
  IntegerField: 'integer',
  JSONField: 'jsonb',
  PositiveBigIntegerField: 'bigint',
  PositiveIntegerField: 'integer',
  PositiveSmallIntegerField: 'smallint',
  SmallIntegerField: 'smallint',
  TextField: 'text',
  TimeField: 'time',
  UUIDField: 'uuid',
  CICharField: 'citext',
  CIEmailField: 'citext',
  CITextField: 'citext',
};
const POSITIVE = /^Positive(Big|Small)?IntegerField$/;

/** Bases that contribute no fields; Django's abstract user models are declared in django-contrib.ts. */
const DJANGO_BASES: Record<string, FieldSpec[]> = { Model: [] };

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function djangoDdl(modules: readonly DjangoModule[], settings: DjangoSettings = {}): SchemaStatement[] {
  const models = collectModels(modules);
  const byKey = new Map(models.map((m) => [`${m.app}.${m.name}`.toLowerCase(), m]));
  const resolve = (to: string, from: Model): Model | undefined => {
    const target = isUserModelReference(to) ? settings.authUserModel ?? 'auth.User' : to;
    const setting = swappableSetting(to);
    if (setting) return models.find((m) => !m.abstract && swapsFor(stringLiteral(m.meta.get('swappable')), setting));
    if (target === 'self') return from;
    if (target.includes('.')) return byKey.get(target.toLowerCase());
    return byKey.get(`${from.app}.${target}`.toLowerCase()) ?? models.find((m) => m.name === target);
  };
  const autoField = (app: string): string => lastName(settings.appAutoFields?.get(app) ?? settings.defaultAutoField ?? 'AutoField');

  const pkOf = (m: Model): { column: string; type: string; relType: string } => {
    const explicit = m.fields.find((f) => f.primaryKey);
    if (explicit) {
      const type = columnType(explicit, m) ?? 'integer';
      return { column: columnOf(explicit), type, relType: REL_TYPES[explicit.kind] ?? type };
    }
    if (m.parent) {
      const parentPk = pkOf(m.parent);
      return { column: `${m.parent.name.toLowerCase()}_ptr_id`, type: parentPk.relType, relType: parentPk.relType };
    }
    const auto = autoField(m.app);
    return { column: 'id', type: AUTO_TYPES[auto] ?? 'integer', relType: AUTO_TYPES[auto] ?? 'integer' };
  };
  /** The target column and its type for a foreign key; an unknown target (a contrib model) is an integer id without a constraint. */
  const targetOf = (f: FieldSpec, m: Model): { model?: Model; column: string; type: string } => {
    const target = f.to ? resolve(f.to, m) : undefined;
    if (!target || target.abstract) return { column: 'id', type: 'integer' };
    const pk = pkOf(target);
    if (f.toField) {
      const tf = target.fields.find((x) => x.name === f.toField);
      if (tf) return { model: target, column: columnOf(tf), type: REL_TYPES[tf.kind] ?? columnType(tf, target) ?? 'integer' };
    }
    return { model: target, column: pk.column, type: pk.relType };
  };
  function columnType(f: FieldSpec, m: Model): string | undefined {
    if (RELATIONS.has(f.kind) || f.kind === 'OneToOneField') return targetOf(f, m).type;
    return dbType(f);
  }

  const creates: SchemaStatement[] = [];
  const deferred: SchemaStatement[] = [];
  for (const m of models) {
    if (m.abstract || m.proxy) continue;
    const columns: string[] = [];
    const later: string[] = [];
    const indexes: string[] = [];
    const pk = pkOf(m);
    if (!m.fields.some((f) => f.primaryKey)) {
      if (m.parent) {
        columns.push(`${q(pk.column)} ${pk.type} NOT NULL PRIMARY KEY`);
        later.push(foreignKey(m.table, pk.column, m.parent.table, pkOf(m.parent).column));
      } else columns.push(`${q('id')} ${pk.type} NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY`);
    }
    for (const f of m.fields) {
      if (f.kind === 'ManyToManyField') continue;
      const isRelation = RELATIONS.has(f.kind) || f.kind === 'OneToOneField';
      const type = columnType(f, m);
      if (!type) continue;
      const column = columnOf(f);
      const unique = !!f.unique || !!f.primaryKey || f.kind === 'OneToOneField';
      let definition = `${q(column)} ${type} ${f.null && !f.primaryKey ? 'NULL' : 'NOT NULL'}`;
      if (f.primaryKey) definition += ' PRIMARY KEY';
      else if (unique) definition += ' UNIQUE';
      if (POSITIVE.test(f.kind)) definition += ` CHECK (${q(column)} >= 0)`;
      if (AUTO_TYPES[f.kind]) definition += ' GENERATED BY DEFAULT AS IDENTITY';
      columns.push(definition);
      if (isRelation) {
        const target = targetOf(f, m);
        if (target.model && f.dbConstraint !== false) later.push(foreignKey(m.table, column, target.model.table, target.column));
      }
      // ForeignKey is indexed unless told not to; a unique column already has its index.
      const indexed = f.dbIndex ?? isRelation;
      if (indexed && !unique) indexes.push(createIndex(djangoIndexName(m.table, [column], ''), m.table, [q(column)]));
      if (indexed || unique) {
        const opclass = type.startsWith('varchar') ? 'varchar_pattern_ops' : type.startsWith('text') ? 'text_pattern_ops' : undefined;
        if (opclass && !type.includes('[')) indexes.push(createIndex(djangoIndexName(m.table, [column], '_like'), m.table, [`${q(column)} ${opclass}`]));
      }
    }
    const columnByField = (name: string): string | undefined => {
      const f = m.fields.find((x) => x.name === name) ?? m.fields.find((x) => columnOf(x) === name);
      return f ? columnOf(f) : name === 'id' || name === 'pk' ? pk.column : undefined;
    };
    for (const c of elements(m.meta.get('constraints'))) {
      if (c.type !== 'call' || lastName(c.childForFieldName('function')?.text ?? '') !== 'UniqueConstraint' || kwarg(c, 'condition') || kwarg(c, 'expressions')) continue;
      const cols = stringList(kwarg(c, 'fields')).map(columnByField);
      const name = stringLiteral(kwarg(c, 'name'));
      if (name && cols.length && cols.every((x): x is string => !!x)) columns.push(`CONSTRAINT ${q(name)} UNIQUE (${cols.map(q).join(', ')})`);
    }
    for (const group of togetherGroups(m.meta.get('unique_together'))) {
      const cols = group.map(columnByField);
      // Django defers unique_together ahead of the foreign keys.
      if (cols.every((x): x is string => !!x)) later.unshift(`ALTER TABLE ${q(m.table)} ADD CONSTRAINT ${q(djangoIndexName(m.table, cols, '_uniq'))} UNIQUE (${cols.map(q).join(', ')});`);
    }
    for (const group of togetherGroups(m.meta.get('index_together'))) {
      const cols = group.map(columnByField);
      if (cols.every((x): x is string => !!x)) indexes.push(createIndex(djangoIndexName(m.table, cols, '_idx'), m.table, cols.map(q)));
    }
    for (const index of elements(m.meta.get('indexes'))) {
      if (index.type !== 'call' || lastName(index.childForFieldName('function')?.text ?? '') !== 'Index' || kwarg(index, 'condition') || positional(index).length) continue;
      const orders = stringList(kwarg(index, 'fields')).map((f) => ({ field: f.replace(/^-/, ''), desc: f.startsWith('-') }));
      const cols = orders.map((o) => columnByField(o.field));
      if (!cols.length || !cols.every((x): x is string => !!x)) continue;
      const name = stringLiteral(kwarg(index, 'name')) ?? djangoMetaIndexName(m.table, cols.map((c, i) => (orders[i].desc ? `-${c}` : c)));
      indexes.push(createIndex(name, m.table, cols.map((c, i) => `${q(c)}${orders[i].desc ? ' DESC' : ''}`)));
    }
    creates.push({ sql: `CREATE TABLE ${q(m.table)} (${columns.join(', ')});`, source: m.source });
    for (const sql of [...later, ...indexes]) deferred.push({ sql, source: m.source });

    // Auto-created many-to-many tables: `<table>_<field>` with a key to each side, unique together.
    for (const f of m.fields) {
      if (f.kind !== 'ManyToManyField' || f.through) continue;
      const target = f.to ? resolve(f.to, m) : undefined;
      const table = truncateName(f.dbColumn ?? `${m.table}_${f.name}`);
      const self = target === m;
      const targetName = target?.name.toLowerCase() ?? lastName(f.to ?? 'target').toLowerCase();
      const from = `${self ? 'from_' : ''}${m.name.toLowerCase()}_id`;
      const to = `${self ? 'to_' : ''}${targetName}_id`;
      const toType = target ? pkOf(target).relType : 'integer';
      const idType = AUTO_TYPES[autoField(m.app)] ?? 'integer';
      creates.push({ sql: `CREATE TABLE ${q(table)} (${q('id')} ${idType} NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, ${q(from)} ${pk.relType} NOT NULL, ${q(to)} ${toType} NOT NULL);`, source: m.source });
      const through = [
        `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(djangoIndexName(table, [from, to], '_uniq'))} UNIQUE (${q(from)}, ${q(to)});`,
        foreignKey(table, from, m.table, pk.column),
        ...(target ? [foreignKey(table, to, target.table, pkOf(target).column)] : []),
        createIndex(djangoIndexName(table, [from], ''), table, [q(from)]),
        createIndex(djangoIndexName(table, [to], ''), table, [q(to)]),
      ];
      for (const sql of through) deferred.push({ sql, source: m.source });
    }
  }
  return [...creates, ...deferred];
}

function foreignKey(table: string, column: string, toTable: string, toColumn: string): string {
  const name = djangoIndexName(table, [column], `_fk_${toTable}_${toColumn}`);
  return `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(column)}) REFERENCES ${q(toTable)} (${q(toColumn)}) DEFERRABLE INITIALLY DEFERRED;`;
}

function createIndex(name: string, table: string, columns: string[]): string {
  return `CREATE INDEX ${q(name)} ON ${q(table)} (${columns.join(', ')});`;
}

function columnOf(f: FieldSpec): string {
  if (f.dbColumn) return f.dbColumn;
  return RELATIONS.has(f.kind) || f.kind === 'OneToOneField' ? `${f.name}_id` : f.name;
}

function dbType(f: FieldSpec): string | undefined {
  if (AUTO_TYPES[f.kind]) return AUTO_TYPES[f.kind];
  if (SIMPLE_TYPES[f.kind]) return SIMPLE_TYPES[f.kind];
  if (f.kind === 'CharField' || f.kind in DEFAULT_LENGTHS) {
    const length = f.maxLength ?? DEFAULT_LENGTHS[f.kind];
    return length === undefined ? 'varchar' : `varchar(${length})`;
  }
  if (f.kind === 'DecimalField') return f.maxDigits !== undefined && f.decimalPlaces !== undefined ? `numeric(${f.maxDigits}, ${f.decimalPlaces})` : 'numeric';
  if (f.kind === 'ArrayField' && f.base) {
    const base = dbType(f.base);
    return base ? `${base}[]` : undefined;
  }
  // A field of another package (django-colorfield's ColorField, a project's own): a column all the
  // same, most often text underneath (a subclass of CharField or TextField).
  if (/Field$/.test(f.kind) && f.kind !== 'ArrayField' && !/ManyToManyField$/.test(f.kind)) return f.maxLength !== undefined ? `varchar(${f.maxLength})` : 'text';
  return undefined;
}

/** Reads a field call: `models.CharField(max_length=200, unique=True)`. */
function fieldSpec(name: string, call: Node): FieldSpec | undefined {
  const kind = lastName(call.childForFieldName('function')?.text ?? '');
  if (!/Field$|^ForeignKey$|^ParentalKey$|^TreeForeignKey$/.test(kind)) return undefined;
  const spec: FieldSpec = { name, kind };
  const bool = (key: string): boolean | undefined => {
    const v = kwarg(call, key);
    return v ? isTrue(v) : undefined;
  };
  spec.maxLength = intLiteral(kwarg(call, 'max_length'));
  spec.maxDigits = intLiteral(kwarg(call, 'max_digits'));
  spec.decimalPlaces = intLiteral(kwarg(call, 'decimal_places'));
  spec.null = bool('null') ?? (kind === 'NullBooleanField' ? true : undefined);
  spec.unique = bool('unique');
  spec.dbIndex = bool('db_index');
  spec.primaryKey = bool('primary_key');
  spec.dbColumn = stringLiteral(kwarg(call, 'db_column')) ?? (kind === 'ManyToManyField' ? stringLiteral(kwarg(call, 'db_table')) : undefined);
  if (RELATIONS.has(kind) || kind === 'OneToOneField' || kind === 'ManyToManyField') {
    const to = kwarg(call, 'to') ?? positional(call)[0];
    spec.to = stringLiteral(to) ?? to?.text;
    spec.toField = stringLiteral(kwarg(call, 'to_field'));
    spec.dbConstraint = bool('db_constraint');
    spec.through = !!kwarg(call, 'through');
  }
  if (kind === 'ArrayField') {
    const base = kwarg(call, 'base_field') ?? positional(call)[0];
    if (base?.type === 'call') spec.base = fieldSpec(name, base);
  }
  for (const k of Object.keys(spec) as Array<keyof FieldSpec>) if (spec[k] === undefined) delete spec[k];
  return spec;
}

function collectModels(modules: readonly DjangoModule[]): Model[] {
  const models: Model[] = [];
  const byName = new Map<string, Model>();
  // Bases first: a model may extend an abstract model declared later in the workspace order.
  const pending = modules.flatMap((mod) => mod.classes.map((cls) => ({ cls, mod })));
  let progress = true;
  while (progress) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const { cls, mod } = pending[i];
      const baseNames = cls.bases.map((b) => (b === 'models.Model' ? 'Model' : b));
      const known = baseNames.map((b) => byName.get(`${mod.app}.${lastName(b)}`) ?? byName.get(lastName(b)));
      const builtin = baseNames.map((b) => DJANGO_BASES[lastName(b)]);
      if (!baseNames.some((_, j) => known[j] || builtin[j])) continue;
      // A base that is itself a model of this workspace and not processed yet: wait for it.
      if (baseNames.some((b, j) => !known[j] && !builtin[j] && pending.some((p) => p.cls.name === lastName(b) && p !== pending[i]))) continue;
      pending.splice(i--, 1);
      progress = true;
      const fields: FieldSpec[] = [];
      let parent: Model | undefined;
      baseNames.forEach((_, j) => {
        const base = known[j];
        if (base?.abstract) fields.push(...base.fields);
        else if (base && !base.proxy) parent ??= base;
        else if (base?.proxy) parent ??= base.parent;
        else if (builtin[j]) fields.push(...builtin[j]);
      });
      for (const a of cls.attributes) {
        if (a.value?.type !== 'call') continue;
        const spec = fieldSpec(a.name, a.value);
        if (!spec) continue;
        const existing = fields.findIndex((f) => f.name === spec.name);
        if (existing >= 0) fields.splice(existing, 1);
        fields.push(spec);
      }
      const app = stringLiteral(cls.meta.get('app_label')) ?? mod.app;
      const proxy = isTrue(cls.meta.get('proxy'));
      const model: Model = {
        name: cls.name,
        app,
        source: mod.source,
        table: stringLiteral(cls.meta.get('db_table')) ?? truncateName(`${app}_${cls.name.toLowerCase()}`),
        abstract: isTrue(cls.meta.get('abstract')),
        proxy,
        cls,
        fields,
        parent: proxy ? undefined : parent,
        meta: cls.meta,
      };
      if (proxy) model.parent = parent;
      models.push(model);
      byName.set(`${app}.${cls.name}`, model);
      if (!byName.has(cls.name)) byName.set(cls.name, model);
    }
  }
  return models;
}

function stringList(n: Node | undefined): string[] {
  return elements(n).map((e) => stringLiteral(e)).filter((s): s is string => s !== undefined);
}

/** `unique_together = ("a", "b")` or `[("a", "b"), ("c", "d")]`. */
function togetherGroups(n: Node | undefined): string[][] {
  if (!n) return [];
  const items = elements(n);
  if (items.every((i) => i.type === 'string')) return items.length ? [stringList(n)] : [];
  return items.map(stringList).filter((g) => g.length > 0);
}

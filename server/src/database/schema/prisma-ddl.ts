/**
 * `schema.prisma` → the PostgreSQL DDL Prisma Migrate creates for it, with Prisma's naming
 * (`User_pkey`, `User_email_key`, `Post_createdAt_id_idx`, `Post_authorId_fkey`, `_PostToTag`), so
 * that plans name the same indexes the production database has. Order as Migrate writes it: enums,
 * tables, indexes, foreign keys.
 */
import { fieldList, firstArg, namedArg, parsePrismaSchema, unquote, type PrismaField, type PrismaModel, type PrismaSchema } from './prisma-schema';

const SCALARS: Record<string, string> = {
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE PRECISION',
  Decimal: 'DECIMAL(65,30)',
  Boolean: 'BOOLEAN',
  DateTime: 'TIMESTAMP(3)',
  Json: 'JSONB',
  Bytes: 'BYTEA',
};

/** `@db.X` names whose SQL spelling is not just the name in capitals. */
const NATIVE: Record<string, string> = { DoublePrecision: 'DOUBLE PRECISION', JsonB: 'JSONB', Timestamptz: 'TIMESTAMPTZ', Timetz: 'TIMETZ' };

const ACTIONS: Record<string, string> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', NoAction: 'NO ACTION', SetNull: 'SET NULL', SetDefault: 'SET DEFAULT' };

export function prismaToDdl(text: string): string {
  return schemaToDdl(parsePrismaSchema(text));
}

export function schemaToDdl(schema: PrismaSchema): string {
  const models = new Map(schema.models.map((m) => [m.name, m]));
  const enums = new Map(schema.enums.map((e) => [e.name, e]));
  const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  const tableOf = prismaTableName;
  const columnOf = prismaColumnName;
  const columnsOf = (m: PrismaModel, names: string[]): string[] => names.map((n) => {
    const f = m.fields.find((x) => x.name === n);
    return f ? columnOf(f) : n;
  });
  const isScalar = (f: PrismaField): boolean => !models.has(f.type);

  const sections: string[] = [];
  for (const e of schema.enums) {
    sections.push(`-- CreateEnum\nCREATE TYPE ${q(e.dbName)} AS ENUM (${e.values.map((v) => `'${v.dbName.replace(/'/g, "''")}'`).join(', ')});`);
  }

  const indexes: string[] = [];
  const foreignKeys: string[] = [];
  for (const m of schema.models) {
    const table = tableOf(m);
    const lines: string[] = [];
    for (const f of m.fields.filter(isScalar)) lines.push(`    ${q(columnOf(f))} ${columnDefinition(f, enums, q)}`);
    const idField = m.fields.find((f) => f.attributes.some((a) => a.name === 'id'));
    const blockId = m.blockAttributes.find((a) => a.name === 'id');
    const pk = idField ? [columnOf(idField)] : blockId?.args ? columnsOf(m, fieldList(firstArg(blockId.args))) : [];
    const pkName = nameArg(idField?.attributes.find((a) => a.name === 'id')?.args) ?? nameArg(blockId?.args) ?? `${table}_pkey`;
    const body = pk.length ? `${lines.join(',\n')},\n\n    CONSTRAINT ${q(pkName)} PRIMARY KEY (${pk.map(q).join(',')})` : lines.join(',\n');
    sections.push(`-- CreateTable\nCREATE TABLE ${q(table)} (\n${body}\n);`);

    for (const f of m.fields.filter(isScalar)) {
      const unique = f.attributes.find((a) => a.name === 'unique');
      if (unique) indexes.push(index(true, nameArg(unique.args) ?? `${table}_${columnOf(f)}_key`, table, [columnOf(f)]));
    }
    for (const a of m.blockAttributes) {
      if (a.name !== 'unique' && a.name !== 'index') continue;
      const cols = columnsOf(m, fieldList(firstArg(a.args ?? '') || namedArg(a.args, 'fields')));
      if (cols.length === 0) continue;
      const name = nameArg(a.args) ?? `${table}_${cols.join('_')}_${a.name === 'unique' ? 'key' : 'idx'}`;
      indexes.push(index(a.name === 'unique', name, table, cols));
    }
    for (const f of m.fields.filter((x) => !isScalar(x))) {
      const relation = f.attributes.find((a) => a.name === 'relation');
      const fields = fieldList(namedArg(relation?.args, 'fields'));
      if (fields.length === 0) continue;
      const target = models.get(f.type)!;
      const refs = fieldList(namedArg(relation?.args, 'references'));
      const cols = columnsOf(m, fields);
      const optional = fields.every((n) => m.fields.find((x) => x.name === n)?.optional);
      // Prisma's defaults: a required relation restricts deletes, an optional one nulls the key.
      const onDelete = ACTIONS[namedArg(relation?.args, 'onDelete') ?? ''] ?? (optional ? 'SET NULL' : 'RESTRICT');
      const onUpdate = ACTIONS[namedArg(relation?.args, 'onUpdate') ?? ''] ?? 'CASCADE';
      const name = mapped(namedArg(relation?.args, 'map')) ?? `${table}_${cols.join('_')}_fkey`;
      foreignKeys.push(
        `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${cols.map(q).join(', ')}) REFERENCES ${q(tableOf(target))}(${columnsOf(target, refs).map(q).join(', ')}) ON DELETE ${onDelete} ON UPDATE ${onUpdate};`,
      );
    }
  }

  for (const join of implicitManyToMany(schema, models)) {
    const [a, b] = join.models;
    const idType = (m: PrismaModel): string => {
      const id = m.fields.find((f) => f.attributes.some((x) => x.name === 'id'));
      return id ? baseType(id, enums, q) : 'INTEGER';
    };
    const idColumn = (m: PrismaModel): string => {
      const id = m.fields.find((f) => f.attributes.some((x) => x.name === 'id'));
      return id ? columnOf(id) : 'id';
    };
    sections.push(`-- CreateTable\nCREATE TABLE ${q(join.table)} (\n    "A" ${idType(a)} NOT NULL,\n    "B" ${idType(b)} NOT NULL,\n\n    CONSTRAINT ${q(`${join.table}_AB_pkey`)} PRIMARY KEY ("A","B")\n);`);
    indexes.push(index(false, `${join.table}_B_index`, join.table, ['B']));
    foreignKeys.push(`ALTER TABLE ${q(join.table)} ADD CONSTRAINT ${q(`${join.table}_A_fkey`)} FOREIGN KEY ("A") REFERENCES ${q(tableOf(a))}(${q(idColumn(a))}) ON DELETE CASCADE ON UPDATE CASCADE;`);
    foreignKeys.push(`ALTER TABLE ${q(join.table)} ADD CONSTRAINT ${q(`${join.table}_B_fkey`)} FOREIGN KEY ("B") REFERENCES ${q(tableOf(b))}(${q(idColumn(b))}) ON DELETE CASCADE ON UPDATE CASCADE;`);
  }

  for (const i of indexes) sections.push(`-- CreateIndex\n${i}`);
  for (const fk of foreignKeys) sections.push(`-- AddForeignKey\n${fk}`);
  return sections.join('\n\n') + '\n';

  function index(unique: boolean, name: string, table: string, cols: string[]): string {
    return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${q(name)} ON ${q(table)}(${cols.map(q).join(', ')});`;
  }
}

/** The table of a model: `@@map("posts")`, else the model's name. The ORM→SQL translation uses it too. */
export function prismaTableName(m: PrismaModel): string {
  return mapped(m.blockAttributes.find((a) => a.name === 'map')?.args) ?? m.name;
}

/** The column of a scalar field: `@map("created_at")`, else the field's name. */
export function prismaColumnName(f: PrismaField): string {
  return mapped(f.attributes.find((a) => a.name === 'map')?.args) ?? f.name;
}

function columnDefinition(f: PrismaField, enums: ReadonlyMap<string, { dbName: string; values: Array<{ name: string; dbName: string }> }>, q: (n: string) => string): string {
  const def = f.attributes.find((a) => a.name === 'default');
  const value = def?.args ? firstArg(def.args) : undefined;
  if (value === 'autoincrement()' && !f.list) {
    const serial = f.type === 'BigInt' ? 'BIGSERIAL' : nativeName(f) === 'SMALLINT' ? 'SMALLSERIAL' : 'SERIAL';
    return `${serial} NOT NULL`;
  }
  let sql = baseType(f, enums, q);
  if (!f.optional) sql += ' NOT NULL';
  const dflt = value !== undefined ? defaultExpression(value, f, enums) : undefined;
  if (dflt !== undefined) sql += ` DEFAULT ${dflt}`;
  return sql;
}

function baseType(f: PrismaField, enums: ReadonlyMap<string, { dbName: string }>, q: (n: string) => string): string {
  const type = nativeName(f) ?? (enums.has(f.type) ? q(enums.get(f.type)!.dbName) : SCALARS[f.type] ?? 'TEXT');
  return f.list ? `${type}[]` : type;
}

/** `@db.VarChar(255)` → `VARCHAR(255)`. */
function nativeName(f: PrismaField): string | undefined {
  const native = f.attributes.find((a) => a.name.startsWith('db.'));
  if (!native) return undefined;
  const name = native.name.slice(3);
  return `${NATIVE[name] ?? name.toUpperCase()}${native.args ? `(${native.args.replace(/\s+/g, '')})` : ''}`;
}

/** A database default; client-side ones (uuid(), cuid(), nanoid(), @updatedAt) have none. */
function defaultExpression(value: string, f: PrismaField, enums: ReadonlyMap<string, { values: Array<{ name: string; dbName: string }> }>): string | undefined {
  if (value === 'now()') return 'CURRENT_TIMESTAMP';
  if (/^(uuid|cuid|nanoid|ulid)\(/.test(value)) return undefined;
  const generated = /^dbgenerated\(\s*("(?:[^"\\]|\\.)*")?\s*\)$/.exec(value);
  if (generated) return generated[1] ? unquote(generated[1]) : undefined;
  if (value.startsWith('"')) return `'${unquote(value).replace(/'/g, "''")}'`;
  if (value === 'true' || value === 'false' || /^-?\d+(\.\d+)?$/.test(value)) return value;
  const member = enums.get(f.type)?.values.find((v) => v.name === value);
  if (member) return `'${member.dbName.replace(/'/g, "''")}'`;
  if (value.startsWith('[')) return `ARRAY[${fieldList(value).join(', ')}]`;
  return undefined;
}

function nameArg(args: string | undefined): string | undefined {
  return mapped(namedArg(args, 'map'));
}

function mapped(args: string | undefined): string | undefined {
  if (!args) return undefined;
  const first = firstArg(args) || namedArg(args, 'name') || '';
  return first.startsWith('"') ? unquote(first) : undefined;
}

/** List relations with no `fields` on either side: Prisma keeps them in a `_AToB` join table (`A`: the model first by name). */
export function implicitManyToMany(schema: PrismaSchema, models: ReadonlyMap<string, PrismaModel>): Array<{ table: string; models: [PrismaModel, PrismaModel] }> {
  const out: Array<{ table: string; models: [PrismaModel, PrismaModel] }> = [];
  const seen = new Set<string>();
  for (const m of schema.models) {
    for (const f of m.fields) {
      if (!f.list || !models.has(f.type) || f.type === m.name) continue;
      const relation = f.attributes.find((a) => a.name === 'relation');
      if (namedArg(relation?.args, 'fields')) continue;
      const relName = relation?.args ? (firstArg(relation.args) || namedArg(relation.args, 'name')) : undefined;
      const other = models.get(f.type)!;
      const back = other.fields.find((x) => x.type === m.name && x.list && sameRelation(x, relName));
      if (!back) continue;
      const pair = [m, other].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) as [PrismaModel, PrismaModel];
      const table = relName ? `_${unquote(relName)}` : `_${pair[0].name}To${pair[1].name}`;
      if (seen.has(table)) continue;
      seen.add(table);
      out.push({ table, models: pair });
    }
  }
  return out;
}

function sameRelation(f: PrismaField, name: string | undefined): boolean {
  const relation = f.attributes.find((a) => a.name === 'relation');
  const other = relation?.args ? (firstArg(relation.args) || namedArg(relation.args, 'name')) : undefined;
  return (other ? unquote(other) : undefined) === (name ? unquote(name) : undefined);
}

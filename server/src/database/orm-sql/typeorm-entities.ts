/**
 * TypeORM entities as the translator needs them, read from their decorators with the default naming
 * strategy (typeorm/src/naming-strategy/DefaultNamingStrategy.ts): the table is `@Entity('name')`,
 * else snakeCase(class name) (`BlogPost` → `blog_post`); a column is its `name` option, else the
 * property name as written; a many-to-one's join column is `@JoinColumn({ name })`, else
 * camelCase(relation + '_' + referenced column) (`author` → `authorId`). Columns inherited from a
 * base class come first, as TypeORM orders them.
 */
import ts from 'typescript';
import { decoratorsOf, optionsOf, targetOf } from '../../languages/typescript/decorators';
import { propertyName } from './typescript-values';
import { EntityClasses } from './entity-classes';
import type { TsModules } from './typescript-modules';

export interface TypeormColumn {
  property: string;
  column: string;
  primary: boolean;
  /** `@Column({ select: false })`: left out unless selected by name. */
  hidden?: boolean;
  /** `@DeleteDateColumn`: finds read rows where it is NULL unless `withDeleted`. */
  deleteDate?: boolean;
  /** `@UpdateDateColumn`: every update sets it to CURRENT_TIMESTAMP. */
  updateDate?: boolean;
  /** `@CreateDateColumn`. */
  createDate?: boolean;
  /** `@VersionColumn`: an insert writes 1. */
  version?: boolean;
  /** `@PrimaryGeneratedColumn()` ('increment', left out of an INSERT), ('identity') or ('uuid'). */
  generated?: 'increment' | 'identity' | 'uuid';
  /** The join column of a many-to-one/owning one-to-one, with no property of its own. */
  relation?: string;
  /** Its PostgreSQL type, for the embedded database's DDL (`integer`, `varchar(255)`, `serial`, …). */
  sqlType?: string;
  /** NULL allowed: `nullable: true`, a DeleteDateColumn, a relation's join column by default. */
  nullable?: boolean;
  /** `DEFAULT now()` of Create/UpdateDateColumn, `gen_random_uuid()` of a generated uuid, a literal `default`. */
  sqlDefault?: string;
  /** `default: () => 'sql'`: SQL the database may not have (an extension's function), set apart from the table's creation. */
  sqlDefaultExpression?: string;
}

export interface TypeormRelation {
  property: string;
  kind: 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many';
  target: string;
  /** `eager: true`: find methods join it unless `loadEagerRelations: false` (query builders do not). */
  eager?: boolean;
  /** `(user) => user.posts`: the property on the other side. */
  inverse?: string;
  /** Owning side (many-to-one, one-to-one with @JoinColumn): this table's column and the target property it references. */
  joinColumn?: { column: string; referenced?: string };
  /** `nullable: false`: the join column is NOT NULL (TypeORM's default allows NULL). */
  required?: boolean;
}

export interface TypeormEntity {
  name: string;
  /** The file that declares it (its relations' targets are imported there). */
  file: string;
  table: string;
  columns: TypeormColumn[];
  relations: TypeormRelation[];
  /** What makes it untranslatable (embedded columns, table inheritance). */
  unsupported?: string;
}

const COLUMN_DECORATORS = /^(Column|PrimaryColumn|PrimaryGeneratedColumn|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|VersionColumn)$/;
const RELATIONS: Record<string, TypeormRelation['kind']> = { ManyToOne: 'many-to-one', OneToOne: 'one-to-one', OneToMany: 'one-to-many', ManyToMany: 'many-to-many' };

/** TypeORM's snakeCase: `BlogPost` → `blog_post`, `HTTPLog` → `http_log`. */
export function typeormSnakeCase(s: string): string {
  return s.replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** TypeORM's camelCase: `author_id` → `authorId`. */
export function typeormCamelCase(s: string): string {
  return s.replace(/^([A-Z])|[\s\-_](\w)/g, (_m, p1: string | undefined, p2: string | undefined) => (p2 ? p2.toUpperCase() : p1!.toLowerCase()));
}

export class TypeormEntities extends EntityClasses<TypeormEntity> {
  constructor(file: string, modules: TsModules) {
    super(file, modules, 'typeorm');
  }

  protected read(cls: ts.ClassDeclaration, file: string): TypeormEntity {
    const name = cls.name!.text;
    const entity = decoratorsOf(cls).find((d) => d.name === 'Entity');
    const arg = entity?.args[0];
    let table: string | undefined;
    if (arg && ts.isStringLiteralLike(arg)) table = arg.text;
    else if (arg && ts.isObjectLiteralExpression(arg)) table = stringOption(arg, 'name');
    const out: TypeormEntity = { name, file, table: table ?? typeormSnakeCase(name), columns: [], relations: [] };
    if (decoratorsOf(cls).some((d) => /^(ChildEntity|TableInheritance|ViewEntity)$/.test(d.name))) out.unsupported = `${name} uses table inheritance or is a view entity`;
    // Columns of a base class of the project come first.
    const parent = this.parentOf(cls, file);
    if (parent) {
      out.columns.push(...parent.columns);
      out.relations.push(...parent.relations);
      out.unsupported ??= parent.unsupported;
    }
    for (const member of cls.members) {
      if (!ts.isPropertyDeclaration(member) || !member.name) continue;
      const property = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText();
      for (const d of decoratorsOf(member)) {
        if (COLUMN_DECORATORS.test(d.name)) {
          if (d.name === 'Column' && d.args[0] && (ts.isArrowFunction(d.args[0]) || ts.isFunctionExpression(d.args[0]))) out.unsupported ??= `the embedded columns \`${property}\` of ${name} are not translated`;
          const options = optionsOf(d.args);
          out.columns.push({
            property,
            column: stringOption(options, 'name') ?? property,
            primary: /^Primary/.test(d.name) || booleanOption(options, 'primary') === true,
            ...(booleanOption(options, 'select') === false ? { hidden: true } : {}),
            ...(d.name === 'DeleteDateColumn' ? { deleteDate: true } : {}),
            ...(d.name === 'UpdateDateColumn' ? { updateDate: true } : {}),
            ...(d.name === 'CreateDateColumn' ? { createDate: true } : {}),
            ...(d.name === 'VersionColumn' ? { version: true } : {}),
            ...(d.name === 'PrimaryGeneratedColumn' ? { generated: generationOf(d.args) } : {}),
            ...columnType(d.name, d.args, options, member.type),
          });
        }
        const kind = RELATIONS[d.name];
        if (kind) {
          const target = targetOf(d.args[0]);
          if (!target) continue;
          const relOptions = optionsOf(d.args);
          const rel: TypeormRelation = { property, kind, target, ...(booleanOption(relOptions, 'eager') ? { eager: true } : {}), ...(booleanOption(relOptions, 'nullable') === false ? { required: true } : {}) };
          const inverse = d.args[1];
          if (inverse && (ts.isArrowFunction(inverse) || ts.isFunctionExpression(inverse)) && ts.isPropertyAccessExpression(inverse.body as ts.Node)) rel.inverse = (inverse.body as ts.PropertyAccessExpression).name.text;
          const join = decoratorsOf(member).find((x) => x.name === 'JoinColumn');
          if (kind === 'many-to-one' || (kind === 'one-to-one' && join)) {
            const jo = join && optionsOf(join.args);
            const referenced = stringOption(jo, 'referencedColumnName');
            // The default refers to the target's primary key property, known once the target is read.
            rel.joinColumn = { column: stringOption(jo, 'name') ?? '', referenced };
          }
          out.relations.push(rel);
        }
      }
    }
    for (const rel of out.relations) {
      if (!rel.joinColumn) continue;
      if (!rel.joinColumn.column) {
        const referenced = rel.joinColumn.referenced ?? (rel.target === name ? out.columns.find((c) => c.primary)?.property : this.entity(rel.target, file)?.columns.find((c) => c.primary)?.property) ?? 'id';
        rel.joinColumn.column = typeormCamelCase(`${rel.property}_${referenced}`);
      }
      if (!out.columns.some((c) => c.column === rel.joinColumn!.column)) {
        // The join column has the type of the key it references (integer for a serial key).
        const target = rel.target === name ? out : this.entity(rel.target, file);
        const key = target?.columns.find((c) => (rel.joinColumn!.referenced ? c.property === rel.joinColumn!.referenced : c.primary));
        const sqlType = key?.sqlType === 'serial' ? 'integer' : key?.sqlType === 'bigserial' ? 'bigint' : key?.sqlType;
        out.columns.push({ property: rel.property, column: rel.joinColumn.column, primary: false, relation: rel.property, sqlType: sqlType ?? 'integer', ...(rel.required ? {} : { nullable: true }) });
      }
    }
    return out;
  }
}

/** `@PrimaryGeneratedColumn()`, `('increment')`, `('identity')`, `('uuid')` (also as `{ strategy }`). */
function generationOf(args: readonly ts.Expression[]): 'increment' | 'identity' | 'uuid' {
  const first = args[0];
  const strategy = first && ts.isStringLiteralLike(first) ? first.text : first && ts.isObjectLiteralExpression(first) ? stringOption(first, 'strategy') : undefined;
  return strategy === 'uuid' ? 'uuid' : strategy === 'identity' ? 'identity' : 'increment';
}

export function stringOption(obj: ts.ObjectLiteralExpression | undefined, key: string): string | undefined {
  const p = obj?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === key);
  return p && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer) ? p.initializer.text : undefined;
}

export function booleanOption(obj: ts.ObjectLiteralExpression | undefined, key: string): boolean | undefined {
  const p = obj?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === key);
  if (!p || !ts.isPropertyAssignment(p)) return undefined;
  return p.initializer.kind === ts.SyntaxKind.TrueKeyword ? true : p.initializer.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
}

/** TypeORM's column types → PostgreSQL's (the ones TypeORM passes through unchanged are kept). */
const SQL_TYPES: Record<string, string> = {
  int: 'integer', int4: 'integer', integer: 'integer', int8: 'bigint', bigint: 'bigint', int2: 'smallint', smallint: 'smallint',
  varchar: 'varchar', 'character varying': 'varchar', nvarchar: 'varchar', string: 'varchar', char: 'char', text: 'text', citext: 'text',
  boolean: 'boolean', bool: 'boolean', uuid: 'uuid', json: 'json', jsonb: 'jsonb', date: 'date', time: 'time',
  timestamp: 'timestamp', datetime: 'timestamp', timestamptz: 'timestamptz', 'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  decimal: 'numeric', numeric: 'numeric', float: 'double precision', double: 'double precision', 'double precision': 'double precision', float8: 'double precision', real: 'real', float4: 'real',
  enum: 'text', 'simple-enum': 'text', 'simple-array': 'text', 'simple-json': 'text', bytea: 'bytea', inet: 'inet',
};

/** A property's TypeScript type → the column TypeORM makes of it (`string` → varchar). */
function typeFromAnnotation(type: ts.TypeNode | undefined): string {
  if (!type) return 'text';
  const kinds = ts.isUnionTypeNode(type) ? type.types : [type];
  const t = kinds.find((k) => !(ts.isLiteralTypeNode(k) && k.literal.kind === ts.SyntaxKind.NullKeyword) && k.kind !== ts.SyntaxKind.UndefinedKeyword);
  if (!t) return 'text';
  if (t.kind === ts.SyntaxKind.StringKeyword) return 'varchar';
  if (t.kind === ts.SyntaxKind.NumberKeyword) return 'integer';
  if (t.kind === ts.SyntaxKind.BooleanKeyword) return 'boolean';
  if (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Date') return 'timestamp';
  return 'text';
}

/** The SQL type, nullability and default of a column decorator (`@Column('text')`, `@Column({ type: 'int', nullable: true })`). */
function columnType(decorator: string, args: readonly ts.Expression[], options: ts.ObjectLiteralExpression | undefined, annotation: ts.TypeNode | undefined): Pick<TypeormColumn, 'sqlType' | 'nullable' | 'sqlDefault' | 'sqlDefaultExpression'> {
  const first = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
  const nullable = booleanOption(options, 'nullable') === true || decorator === 'DeleteDateColumn' ? { nullable: true } : {};
  if (decorator === 'PrimaryGeneratedColumn') {
    if (first === 'uuid') return { sqlType: 'uuid', sqlDefault: 'gen_random_uuid()' };
    return { sqlType: first === 'identity' ? 'integer' : 'serial' };
  }
  if (decorator === 'CreateDateColumn' || decorator === 'UpdateDateColumn') return { sqlType: 'timestamp', sqlDefault: 'now()', ...nullable };
  if (decorator === 'DeleteDateColumn') return { sqlType: 'timestamp', nullable: true };
  if (decorator === 'VersionColumn') return { sqlType: 'integer' };
  const named = (first ?? stringOption(options, 'type'))?.toLowerCase();
  let sqlType = named ? SQL_TYPES[named] ?? 'text' : typeFromAnnotation(annotation);
  const length = numberOption(options, 'length');
  if (sqlType === 'varchar' || sqlType === 'char') sqlType = `${sqlType}(${length ?? 255})`;
  if (sqlType === 'numeric') {
    const precision = numberOption(options, 'precision');
    const scale = numberOption(options, 'scale');
    if (precision !== undefined) sqlType = `numeric(${precision}${scale !== undefined ? `, ${scale}` : ''})`;
  }
  return { sqlType, ...nullable, ...defaultSql(options) };
}

/** `default: false`, `default: 0`, `default: 'draft'`, `default: () => 'now()'` (TypeORM writes the function's SQL as is); other defaults are not kept. */
function defaultSql(options: ts.ObjectLiteralExpression | undefined): Pick<TypeormColumn, 'sqlDefault' | 'sqlDefaultExpression'> {
  const p = options?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === 'default');
  if (!p || !ts.isPropertyAssignment(p)) return {};
  const v = p.initializer;
  if (v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword || v.kind === ts.SyntaxKind.NullKeyword) return { sqlDefault: v.getText() };
  if (ts.isNumericLiteral(v)) return { sqlDefault: v.text };
  if (ts.isPrefixUnaryExpression(v) && v.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(v.operand)) return { sqlDefault: `-${v.operand.text}` };
  if (ts.isStringLiteralLike(v)) return { sqlDefault: `'${v.text.replace(/'/g, "''")}'` };
  if (ts.isArrowFunction(v) && ts.isStringLiteralLike(v.body)) return { sqlDefaultExpression: v.body.text };
  return {};
}

export function numberOption(obj: ts.ObjectLiteralExpression | undefined, key: string): number | undefined {
  const p = obj?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === key);
  return p && ts.isPropertyAssignment(p) && ts.isNumericLiteral(p.initializer) ? Number(p.initializer.text) : undefined;
}


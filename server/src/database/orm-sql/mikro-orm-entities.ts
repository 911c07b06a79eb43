/**
 * MikroORM entities as the translator and the embedded database's DDL need them, read from their
 * decorators with MikroORM's default UnderscoreNamingStrategy: the table is `@Entity({ tableName })`,
 * else the class name in snake case (`BookTag` → `book_tag`); a property's column is its
 * `fieldName`, else the property in snake case (`createdAt` → `created_at`); a many-to-one's
 * (and an owning one-to-one's) column is `<property>_<referenced key>` (`author` → `author_id`). A
 * base class's properties come first. The shape is TypeORM's (typeorm-entities.ts), so that both
 * share the DDL's column types and the translator's reading of them.
 */
import ts from 'typescript';
import { decoratorsOf, optionsOf, targetOf } from '../../languages/typescript/decorators';
import { booleanOption, numberOption, stringOption, type TypeormColumn, type TypeormEntity, type TypeormRelation } from './typeorm-entities';
import { EntityClasses } from './entity-classes';
import type { TsModules } from './typescript-modules';

export interface MikroOrmEntity extends TypeormEntity {
  /** Owning many-to-many properties: their pivot table (`book_tags`) and its two columns. */
  pivots: Array<{ property: string; target: string; table: string; own: string; other: string }>;
}

const RELATIONS: Record<string, TypeormRelation['kind']> = { ManyToOne: 'many-to-one', OneToOne: 'one-to-one', OneToMany: 'one-to-many', ManyToMany: 'many-to-many' };

/** UnderscoreNamingStrategy.underscore. */
export function mikroUnderscore(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** MikroORM's types (`type: 'text'`, `t.text`) → PostgreSQL's. */
const SQL_TYPES: Record<string, string> = {
  string: 'varchar(255)', text: 'text', number: 'integer', integer: 'integer', int: 'integer', smallint: 'smallint', tinyint: 'smallint', mediumint: 'integer',
  bigint: 'bigint', float: 'real', double: 'double precision', decimal: 'numeric(10, 0)', boolean: 'boolean', Date: 'timestamptz', datetime: 'timestamptz',
  date: 'date', time: 'time(0)', json: 'jsonb', uuid: 'uuid', blob: 'bytea', Buffer: 'bytea', uint8array: 'bytea', enum: 'text', interval: 'interval',
  character: 'char(1)', 'character varying': 'varchar(255)',
};

/** The entity class of a relation option object: `{ entity: () => Author }`. */
function optionEntity(options: ts.ObjectLiteralExpression | undefined): string | undefined {
  const p = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === 'entity');
  return p ? targetOf(p.initializer) : undefined;
}

/** A property's TypeScript type, unwrapped from MikroORM's `Opt<…>`, `Ref<…>`, `Reference<…>`, `Rel<…>`, `Hidden<…>`. */
function annotationName(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  const kinds = ts.isUnionTypeNode(type) ? type.types : [type];
  let t = kinds.find((k) => !(ts.isLiteralTypeNode(k) && k.literal.kind === ts.SyntaxKind.NullKeyword) && k.kind !== ts.SyntaxKind.UndefinedKeyword);
  while (t && ts.isTypeReferenceNode(t) && /^(Opt|Ref|Reference|Rel|Hidden|IType)$/.test(t.typeName.getText()) && t.typeArguments?.[0]) t = t.typeArguments[0];
  if (!t) return undefined;
  if (t.kind === ts.SyntaxKind.StringKeyword) return 'string';
  if (t.kind === ts.SyntaxKind.NumberKeyword) return 'number';
  if (t.kind === ts.SyntaxKind.BooleanKeyword) return 'boolean';
  if (t.kind === ts.SyntaxKind.BigIntKeyword) return 'bigint';
  if (ts.isTypeReferenceNode(t)) return t.typeName.getText();
  return undefined;
}

/** The type of a property declared by its initial value (`active = true`, `createdAt = new Date()`). */
function initializerType(init: ts.Expression | undefined): string | undefined {
  if (!init) return undefined;
  if (init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword) return 'boolean';
  if (ts.isNumericLiteral(init)) return 'number';
  if (ts.isStringLiteralLike(init)) return 'string';
  if (ts.isNewExpression(init) && init.expression.getText() === 'Date') return 'Date';
  return undefined;
}

/** `type: 'text'`, `type: t.text`, `type: 'uuid'`, `type: DateType`: the type's name in SQL_TYPES. */
function typeOption(options: ts.ObjectLiteralExpression | undefined): string | undefined {
  const p = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === 'type');
  if (!p) return undefined;
  const v = p.initializer;
  if (ts.isStringLiteralLike(v)) return v.text;
  if (ts.isPropertyAccessExpression(v)) return v.name.text;
  if (ts.isIdentifier(v)) return v.text.replace(/Type$/, '').toLowerCase();
  return undefined;
}

export class MikroOrmEntities extends EntityClasses<MikroOrmEntity> {
  constructor(file: string, modules: TsModules) {
    super(file, modules, 'mikro-orm');
  }

  protected read(cls: ts.ClassDeclaration, file: string): MikroOrmEntity {
    const name = cls.name!.text;
    const entityOptions = optionsOf(decoratorsOf(cls).find((d) => d.name === 'Entity')?.args ?? []);
    const table = stringOption(entityOptions, 'tableName') ?? stringOption(entityOptions, 'collection') ?? mikroUnderscore(name);
    const out: MikroOrmEntity = { name, file, table, columns: [], relations: [], pivots: [] };
    if (stringOption(entityOptions, 'discriminatorColumn')) out.unsupported = `${name} uses single-table inheritance`;
    // Properties of a base class of the project come first.
    const parent = this.parentOf(cls, file);
    if (parent) {
      out.columns.push(...parent.columns);
      out.relations.push(...parent.relations);
      out.pivots.push(...parent.pivots);
      out.unsupported ??= parent.unsupported;
    }
    for (const member of cls.members) {
      if (!ts.isPropertyDeclaration(member) || !member.name) continue;
      const property = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText();
      const optional = !!member.questionToken;
      for (const d of decoratorsOf(member)) {
        const options = optionsOf(d.args);
        if (d.name === 'PrimaryKey' || d.name === 'Property' || d.name === 'Enum') {
          if (d.name === 'Property' && booleanOption(options, 'persist') === false) continue;
          const column = stringOption(options, 'fieldName') ?? mikroUnderscore(property);
          const primary = d.name === 'PrimaryKey' || booleanOption(options, 'primary') === true;
          out.columns.push({ property, column, primary, ...this.columnType(d.name, options, member, primary, optional) });
        } else if (d.name === 'Embedded') {
          out.unsupported ??= `the embedded properties \`${property}\` of ${name} are not translated`;
        }
        const kind = RELATIONS[d.name];
        if (!kind) continue;
        const target = (d.args[0] && !ts.isObjectLiteralExpression(d.args[0]) ? targetOf(d.args[0]) : undefined) ?? optionEntity(options) ?? annotationName(member.type);
        if (!target) continue;
        const rel: TypeormRelation = { property, kind, target, ...(booleanOption(options, 'nullable') === true || optional ? {} : { required: true }) };
        const mappedBy = d.args[1] && (ts.isArrowFunction(d.args[1]) || ts.isStringLiteralLike(d.args[1])) ? d.args[1] : stringOption(options, 'mappedBy');
        // `(b) => b.author` or 'author': the property on the other side.
        const inverse = mappedBy === undefined ? undefined : typeof mappedBy === 'string' ? mappedBy : ts.isStringLiteralLike(mappedBy) ? mappedBy.text : ts.isArrowFunction(mappedBy) && ts.isPropertyAccessExpression(mappedBy.body) ? mappedBy.body.name.text : undefined;
        if (inverse) rel.inverse = inverse;
        const owner = kind === 'many-to-one' || (kind === 'one-to-one' && (booleanOption(options, 'owner') === true || !mappedBy));
        if (owner) rel.joinColumn = { column: stringOption(options, 'fieldName') ?? stringOption(options, 'joinColumn') ?? '', referenced: stringOption(options, 'referenceColumnName') };
        if (kind === 'many-to-many' && (booleanOption(options, 'owner') === true || !mappedBy)) {
          // The pivot is named after the owner's table; its columns after the two classes and their keys.
          out.pivots.push({ property, target, table: stringOption(options, 'pivotTable') ?? `${table}_${mikroUnderscore(property)}`, own: stringOption(options, 'joinColumn') ?? '', other: stringOption(options, 'inverseJoinColumn') ?? '' });
        }
        out.relations.push(rel);
      }
    }
    for (const rel of out.relations) {
      if (!rel.joinColumn) continue;
      const target = rel.target === name ? out : this.entity(rel.target, file);
      const key = target?.columns.find((c) => (rel.joinColumn!.referenced ? c.column === rel.joinColumn!.referenced : c.primary));
      rel.joinColumn.column ||= `${mikroUnderscore(rel.property)}_${key?.column ?? 'id'}`;
      if (!out.columns.some((c) => c.column === rel.joinColumn!.column)) {
        // The join column has the type of the key it references (integer for a serial key).
        const sqlType = key?.sqlType === 'serial' ? 'integer' : key?.sqlType === 'bigserial' ? 'bigint' : key?.sqlType;
        out.columns.push({ property: rel.property, column: rel.joinColumn.column, primary: false, relation: rel.property, sqlType: sqlType ?? 'integer', ...(rel.required ? {} : { nullable: true }) });
      }
    }
    for (const p of out.pivots) {
      const target = p.target === name ? out : this.entity(p.target, file);
      p.own ||= `${mikroUnderscore(name)}_${out.columns.find((c) => c.primary)?.column ?? 'id'}`;
      p.other ||= `${mikroUnderscore(p.target)}_${target?.columns.find((c) => c.primary)?.column ?? 'id'}`;
    }
    return out;
  }

  /** The SQL type, nullability and default of a `@PrimaryKey`/`@Property`/`@Enum`. */
  private columnType(decorator: string, options: ts.ObjectLiteralExpression | undefined, member: ts.PropertyDeclaration, primary: boolean, optional: boolean): Pick<TypeormColumn, 'sqlType' | 'nullable' | 'sqlDefault'> {
    const nullable = booleanOption(options, 'nullable') === true || (optional && !primary) ? { nullable: true } : {};
    const columnType = stringOption(options, 'columnType');
    const named = decorator === 'Enum' ? 'enum' : typeOption(options) ?? annotationName(member.type) ?? initializerType(member.initializer);
    let sqlType = columnType ?? SQL_TYPES[named ?? ''] ?? SQL_TYPES[(named ?? '').toLowerCase()] ?? 'text';
    const length = numberOption(options, 'length');
    if (length !== undefined && /^varchar|^char/.test(sqlType)) sqlType = sqlType.replace(/\(\d+\)/, `(${length})`);
    // A numeric primary key is autoincremented unless told otherwise.
    if (primary && !columnType && booleanOption(options, 'autoincrement') !== false && (sqlType === 'integer' || sqlType === 'bigint')) sqlType = sqlType === 'integer' ? 'serial' : 'bigserial';
    const def = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === 'default')?.initializer;
    const raw = stringOption(options, 'defaultRaw');
    let sqlDefault: string | undefined = raw;
    if (!sqlDefault && def) {
      if (def.kind === ts.SyntaxKind.TrueKeyword || def.kind === ts.SyntaxKind.FalseKeyword || def.kind === ts.SyntaxKind.NullKeyword) sqlDefault = def.getText();
      else if (ts.isNumericLiteral(def)) sqlDefault = def.text;
      else if (ts.isStringLiteralLike(def)) sqlDefault = `'${def.text.replace(/'/g, "''")}'`;
    }
    return { sqlType, ...nullable, ...(sqlDefault ? { sqlDefault } : {}) };
  }
}

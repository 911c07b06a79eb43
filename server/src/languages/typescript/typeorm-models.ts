/**
 * TypeORM entities (`@Entity()` classes) and their relations (`@ManyToOne`, `@OneToOne`,
 * `@OneToMany`, `@ManyToMany`). A relation typed `Promise<T>` (or declared `lazy: true`) is lazy:
 * each read awaits a query. `eager: true` relations come with every find of the entity.
 */
import ts from 'typescript';
import type { ModelFact, RelationFact } from '../facts';
import { decoratorsOf, isTrueOption, leadingOf, optionsOf, targetOf } from './decorators';

const TO_ONE = /^(ManyToOne|OneToOne)$/;
const TO_MANY = /^(OneToMany|ManyToMany)$/;

function relationOf(member: ts.PropertyDeclaration): RelationFact | undefined {
  const deco = decoratorsOf(member).find((d) => TO_ONE.test(d.name) || TO_MANY.test(d.name));
  if (!deco || !member.name || !ts.isIdentifier(member.name)) return undefined;
  const target = targetOf(deco.args[0]);
  if (!target || !/^\w+$/.test(target)) return undefined;
  const options = optionsOf(deco.args);
  const type = member.type?.getText() ?? '';
  const rel: RelationFact = { field: member.name.text, kind: TO_ONE.test(deco.name) ? 'to-one' : 'to-many', target };
  if (/^Promise\s*</.test(type) || isTrueOption(options, 'lazy')) rel.lazy = true;
  if (isTrueOption(options, 'eager')) rel.eager = true;
  return rel;
}

/** Column decorators: their properties' TypeScript types are the values the entity's queries compare with. */
const COLUMN = /^(Column|PrimaryColumn|PrimaryGeneratedColumn|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|VersionColumn|ObjectIdColumn)$/;

/**
 * `id: number`, `createdAt!: Date`, `@PrimaryGeneratedColumn('uuid') id: string`: the column's
 * TypeScript type, for fixes that write a value of it; of properties with a decorator `columns`
 * accepts. A property without a type takes `new Date()`'s (`createdAt = new Date()`).
 */
function columnTypes(members: readonly ts.ClassElement[], columns = COLUMN): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const m of members) {
    if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
    if (!decoratorsOf(m).some((d) => columns.test(d.name))) continue;
    const type = m.type?.getText() ?? (m.initializer && ts.isNewExpression(m.initializer) && m.initializer.expression.getText() === 'Date' ? 'Date' : '');
    if (/^(number|string|bigint|Date)$/.test(type)) out[m.name.text] = type;
  }
  return Object.keys(out).length ? out : undefined;
}

/** MikroORM's property decorators. */
const MIKRO_ORM_COLUMN = /^(PrimaryKey|SerializedPrimaryKey|Property)$/;

/**
 * What a MikroORM entity's decorators index: `@PrimaryKey()`, `@Property({ unique: true })` or
 * `({ index: true })`, `@Index()`/`@Unique()` on a property, the first of a class
 * `@Index({ properties: [...] })`; `@Enum()` and boolean properties are few-valued.
 */
function mikroOrmIndexFacts(cls: ts.ClassDeclaration): Pick<ModelFact, 'indexes' | 'lowCardinality'> {
  const indexes: Array<{ columns: string[] }> = [];
  const lowCardinality: string[] = [];
  for (const d of decoratorsOf(cls)) {
    const list = /^(Index|Unique)$/.test(d.name) ? optionsOf(d.args)?.properties.find((p) => p.name?.getText() === 'properties') : undefined;
    const init = list && ts.isPropertyAssignment(list) ? list.initializer : undefined;
    const first = init && ts.isArrayLiteralExpression(init) ? init.elements[0] : init;
    if (first && ts.isStringLiteralLike(first)) indexes.push({ columns: [first.text] });
  }
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
    const ds = decoratorsOf(m);
    const property = ds.find((d) => d.name === 'Property');
    const options = property && optionsOf(property.args);
    if (ds.some((d) => /^(PrimaryKey|SerializedPrimaryKey|Index|Unique)$/.test(d.name)) || isTrueOption(options, 'unique') || isTrueOption(options, 'index')) indexes.push({ columns: [m.name.text] });
    if (ds.some((d) => d.name === 'Enum') || (property && m.type?.getText() === 'boolean')) lowCardinality.push(m.name.text);
  }
  return { indexes, lowCardinality };
}

/**
 * Entities of a file that imports MikroORM (`@Entity()` classes), with their properties' types
 * (`@PrimaryKey() id!: number`, `@Property() createdAt = new Date()`); their relations are not read.
 */
export function mikroOrmModels(sf: ts.SourceFile): ModelFact[] {
  const out: ModelFact[] = [];
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name) continue;
    if (!decoratorsOf(st).some((d) => d.name === 'Entity')) continue;
    const fieldTypes = columnTypes(st.members, MIKRO_ORM_COLUMN);
    if (fieldTypes) out.push({ name: st.name.text, orm: 'mikro-orm', relations: [], start: st.getStart(), end: st.getEnd(), fieldTypes, ...mikroOrmIndexFacts(st) });
  }
  return out;
}

/**
 * What an entity's decorators index (unindexed-filter checks filters against it): the first
 * primary column, `@Index()`/`@Unique()` on a property or `@Column({ unique: true })`, and the
 * first of the properties a class's `@Index([…])`/`@Unique([…])` lists. Booleans and enum columns
 * are few-valued; many-to-one join columns (`authorId` of `author`) are unindexed-foreign-key's.
 */
function typeormIndexFacts(cls: ts.ClassDeclaration, relations: readonly RelationFact[]): Pick<ModelFact, 'indexes' | 'lowCardinality' | 'foreignKeys'> {
  const indexes: Array<{ columns: string[] }> = [];
  const lowCardinality: string[] = [];
  for (const d of decoratorsOf(cls)) {
    const first = /^(Index|Unique)$/.test(d.name) ? leadingOf(d) : undefined;
    if (first) indexes.push({ columns: [first] });
  }
  let primary = false;
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
    const name = m.name.text;
    const ds = decoratorsOf(m);
    const column = ds.find((d) => COLUMN.test(d.name));
    if (!primary && ds.some((d) => /^Primary(Generated)?Column$/.test(d.name))) {
      primary = true;
      indexes.push({ columns: [name] });
    }
    if (ds.some((d) => d.name === 'Index' || d.name === 'Unique') || isTrueOption(optionsOf(column?.args ?? []), 'unique')) indexes.push({ columns: [name] });
    const options = column && optionsOf(column.args)?.getText();
    if (column && (m.type?.getText() === 'boolean' || /^['"](boolean|bool|enum)['"]/.test(column.args[0]?.getText() ?? '') || /\b(type\s*:\s*['"](boolean|bool|enum)['"]|enum\s*:)/.test(options ?? ''))) lowCardinality.push(name);
  }
  const foreignKeys = relations.filter((r) => r.kind === 'to-one').map((r) => `${r.field}Id`);
  return { indexes, lowCardinality, foreignKeys };
}

/** Entities of a file that imports TypeORM (MikroORM shares the decorator names, not the semantics). */
export function typeormModels(sf: ts.SourceFile): ModelFact[] {
  const out: ModelFact[] = [];
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name) continue;
    if (!decoratorsOf(st).some((d) => /^(Entity|ViewEntity|ChildEntity)$/.test(d.name))) continue;
    const relations = st.members.filter(ts.isPropertyDeclaration).map(relationOf).filter((r): r is RelationFact => !!r);
    const fieldTypes = columnTypes(st.members);
    out.push({ name: st.name.text, orm: 'typeorm', relations, start: st.getStart(), end: st.getEnd(), ...(fieldTypes ? { fieldTypes } : {}), ...typeormIndexFacts(st, relations) });
  }
  return out;
}

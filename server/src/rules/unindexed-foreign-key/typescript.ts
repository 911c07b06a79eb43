/**
 * unindexed-foreign-key in TypeORM entities, Drizzle tables, and Knex, Kysely and Sequelize
 * migrations.
 *
 * TypeORM: a `@ManyToOne` relation (its join column,
 * `authorId` or `@JoinColumn({ name })`) that no `@Index()` on it or on its column property, no
 * class `@Index([…])`/`@Unique([…])` and no leading `@PrimaryColumn` starts with. TypeORM does not
 * index join columns on PostgreSQL or SQLite (a `@OneToOne` join column gets a unique constraint,
 * an index). The fix adds `@Index()` to the relation. Skipped in a workspace whose only database
 * driver is MySQL's.
 *
 * Drizzle: a column's `.references(…)` or a `foreignKey({ columns })` of a `pgTable` or
 * `sqliteTable` that no `index`, `uniqueIndex`, `unique`, `primaryKey` of the table (or CREATE
 * INDEX of the workspace's SQL) starts with. drizzle-kit writes what the schema declares, and
 * declares no index for a foreign key. The fix adds `index(…).on(t.key)` to the table's extra
 * config (made when there is none). MySQL tables are skipped: InnoDB indexes foreign keys.
 *
 * Sequelize models of a project that syncs its schema from them: a `belongsTo` association's
 * foreign key that no `indexes` entry of the model, no primary key or unique attribute, and no
 * CREATE INDEX or migration starts with. Sequelize creates the foreign key, not an index. A table a
 * migration or SQL file makes is left to those (their foreign keys are checked there). The fix adds
 * `{ fields: ['authorId'] }` to the model's `indexes` (the option made when missing).
 *
 * Migrations: the foreign keys their builders create (schema-builders.ts), checked against the
 * indexes and keys of every migration and .sql file. A migration has run: the fix writes the next
 * one of its folder (Fix.newMigration).
 */
import * as path from 'node:path';
import ts from 'typescript';
import type { Detection, Fix } from '../../engine/finding';
import type { DetectContext, Detector } from '../../engine/rule';
import { mysqlOnly } from '../../engine/workspace-databases';
import { sqlDropped, sqlLookupIndexed } from '../../engine/workspace-models';
import type { ModelFact } from '../../languages/facts';
import type { TsFacts } from '../../languages/typescript/adapter';
import { decoratorsOf, leadingOf, optionsOf, targetOf } from '../../languages/typescript/decorators';
import { addToExtraConfig, configParam, drizzleIndex, drizzleIndexed, drizzleTables } from '../../languages/typescript/drizzle-tables';
import { ensureImport } from '../../languages/typescript/edits';
import type { BuilderForeignKey } from '../../languages/typescript/schema-builders';
import { camelize, inflectUnderscore, readModels, sequelizeIndexEdits, throughTable, type SequelizeAssociation, type SequelizeModel, type ThroughTable } from '../../languages/typescript/sequelize-definitions';
import { migrationSlug } from './sql';

function stringOption(options: ts.ObjectLiteralExpression | undefined, key: string): string | undefined {
  const p = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === key);
  return p && ts.isStringLiteralLike(p.initializer) ? p.initializer.text : undefined;
}

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const sf = facts.sourceFile;
  if (!sf) return [];
  return [...typeormEntities(sf, facts, ctx), ...drizzleSchema(sf, ctx), ...sequelizeModelKeys(sf, facts, ctx), ...builderMigrations(sf, facts, ctx)];
};

/** `Post.belongsTo(User)` in a Sequelize model file whose model the project syncs (see the header). */
function sequelizeModelKeys(sf: ts.SourceFile, facts: TsFacts, ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  if (!/\.belongsTo(Many)?\s*\(/.test(sf.text) || !facts.models?.some((m) => m.orm === 'sequelize') || mysqlOnly(ctx.models?.databases)) return out;
  const models = readModels(sf, ctx.file.path);
  const own = (facts.models ?? []).filter((m) => m.orm === 'sql');
  out.push(...sequelizeJoinTables(sf, models, own, ctx));
  for (const model of models) {
    if (!model.call || ctx.models?.sqlDefinesTable(model.table, ctx.file.path)) continue;
    for (const assoc of model.associations) {
      if (assoc.kind !== 'belongsTo' || !assoc.call) continue;
      const targetModel = models.find((m) => m.name === assoc.target);
      const targetPk = targetModel?.attributes.find((a) => a.primary)?.name ?? 'id';
      // The default key is named after the target's model name, which another file defines (`define('user')`: userId).
      const guessed = !assoc.foreignKey && !!assoc.asDefault && !targetModel;
      const attribute = assoc.foreignKey ?? camelize(`${assoc.as}_${targetPk}`);
      const named = model.attributes.find((a) => a.name === attribute);
      const column = named?.column ?? (model.underscored ? inflectUnderscore(attribute) : attribute);
      // An attribute of another name may map to the same column (`userId` and `UserId`, underscored).
      const declared = named ?? model.attributes.find((a) => a.column === column);
      if (declared?.primary || declared?.unique) continue;
      if (model.indexes.some((ix) => ix[0] === attribute || ix[0] === column)) continue;
      const indexed = ctx.models ? ctx.models.sqlLookupIndexed(model.table, [column], ctx.file.path, own) : sqlLookupIndexed([[ctx.file.path, own]], model.table, [column]);
      if (indexed) continue;
      const entry = `{ fields: [${quoted(attribute)}] }`;
      const message =
        `\`${model.name}.belongsTo(${assoc.target})\` gives ${model.table} the foreign key \`${column}\`${guessed ? ` (Sequelize's default name, after the model name of ${assoc.target}, defined in another file)` : ''} without an index: Sequelize creates the foreign key, not an index for it, ` +
        `and PostgreSQL and SQLite do not index foreign keys on their own. Deleting a ${assoc.target} (or changing its key) scans all of ${model.table} for the rows that reference it, ` +
        `and every lookup by ${attribute} (an \`include\` of ${model.name} from ${assoc.target}, \`where: { ${attribute} }\`) reads the whole table. Add \`${entry}\` to the model's \`indexes\`.`;
      const edits = sequelizeIndexEdits(sf, model, entry);
      const title = `Add ${entry} to the indexes of ${model.name}`;
      const fix: Fix = edits && !guessed ? { title, applicability: 'unsafe', edits } : { title, applicability: 'display-only', edits: [] };
      const callee = assoc.call.expression;
      out.push({ start: ts.isPropertyAccessExpression(callee) ? callee.name.getStart(sf) : assoc.call.getStart(sf), end: assoc.call.getEnd(), message, fixes: [fix] });
    }
  }
  return out;
}

/**
 * The join table Sequelize makes for `through: 'PostTags'`: its primary key is (the first declared
 * association's key, the other key), so lookups by the second key (loading a Tag's Posts, deleting
 * a Tag) read the whole table. Reported once per table, at the association whose own key that is
 * (else at the first); advice only: the index needs a through model declared with `indexes`.
 */
function sequelizeJoinTables(sf: ts.SourceFile, models: readonly SequelizeModel[], own: readonly ModelFact[], ctx: DetectContext): Detection[] {
  const byTable = new Map<string, Array<{ model: SequelizeModel; assoc: SequelizeAssociation; through: ThroughTable }>>();
  for (const model of models) {
    for (const assoc of model.associations) {
      if (assoc.kind !== 'belongsToMany' || !assoc.call || !assoc.through || !('table' in assoc.through)) continue;
      // A target of another file: its key named as Sequelize names it by default, with an `id` primary key.
      const target = models.find((m) => m.name === assoc.target) ?? { ...model, name: assoc.target, modelName: assoc.target, attributes: [{ name: 'id', column: 'id', primary: true }] };
      const through = throughTable(model, assoc, target, () => undefined);
      if (through) byTable.set(through.table, [...(byTable.get(through.table) ?? []), { model, assoc, through }]);
    }
  }
  const out: Detection[] = [];
  for (const [table, declared] of byTable) {
    if (ctx.models?.sqlDefinesTable(table, ctx.file.path)) continue;
    const [first] = [...declared].sort((a, b) => a.assoc.call!.getStart(sf) - b.assoc.call!.getStart(sf));
    const { sourceColumn: leading, targetColumn: second } = first.through;
    const indexed = ctx.models ? ctx.models.sqlLookupIndexed(table, [second], ctx.file.path, own) : sqlLookupIndexed([[ctx.file.path, own]], table, [second]);
    if (indexed) continue;
    const at = declared.find((d) => d.through.sourceColumn === second) ?? first;
    const owner = at === first ? first.assoc.target : at.model.name;
    const call = at.assoc.call!;
    const callee = call.expression;
    const message =
      `The join table \`${table}\` that Sequelize makes for \`${at.model.name}.belongsToMany(${at.assoc.target})\` has the primary key (${leading}, ${second}), which serves lookups by ${leading}, not by ${second}: ` +
      `loading a ${owner}'s rows through it, and deleting a ${owner} (PostgreSQL and SQLite check the foreign key ${second} without an index of their own), reads the whole table. ` +
      `Declare the join model with \`indexes: [{ fields: [${quoted(second)}] }]\` and pass it as \`through\`.`;
    const title = `Declare the ${table} model with an index on ${second} and pass it as through`;
    out.push({ start: ts.isPropertyAccessExpression(callee) ? callee.name.getStart(sf) : call.getStart(sf), end: call.getEnd(), message, fixes: [{ title, applicability: 'display-only', edits: [] }] });
  }
  return out;
}

/** `entry` added to the model's `indexes` list, or the option added to its options object (made when there is none). */
function typeormEntities(sf: ts.SourceFile, facts: TsFacts, ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  if (!facts.models?.some((m) => m.orm === 'typeorm') || mysqlOnly(ctx.models?.databases)) return out;
  for (const cls of sf.statements) {
    if (!ts.isClassDeclaration(cls) || !cls.name || !decoratorsOf(cls).some((d) => /^(Entity|ChildEntity)$/.test(d.name))) continue;
    const entity = cls.name.text;
    // Names an index serves (property or column names), first of each index.
    const served = new Set<string>();
    for (const d of decoratorsOf(cls)) if (/^(Index|Unique)$/.test(d.name)) served.add(leadingOf(d) ?? '');
    const props = cls.members.filter(ts.isPropertyDeclaration).filter((p) => ts.isIdentifier(p.name));
    const primary = props.filter((p) => decoratorsOf(p).some((d) => /^Primary(Generated)?Column$/.test(d.name)));
    if (primary[0]) served.add((primary[0].name as ts.Identifier).text);
    for (const p of props) {
      const ds = decoratorsOf(p);
      const name = (p.name as ts.Identifier).text;
      if (ds.some((d) => d.name === 'Index' || d.name === 'Unique')) served.add(name);
      const column = ds.find((d) => /^(Column|PrimaryColumn)$/.test(d.name));
      const dbName = column && stringOption(optionsOf(column.args), 'name');
      if (dbName && served.has(name)) served.add(dbName);
    }
    for (const p of props) {
      const ds = decoratorsOf(p);
      const rel = ds.find((d) => d.name === 'ManyToOne');
      // `createForeignKeyConstraints: false`: no foreign key for the database to check.
      if (!rel || /\bcreateForeignKeyConstraints\s*:\s*false\b/.test(optionsOf(rel.args)?.getText() ?? '')) continue;
      const name = (p.name as ts.Identifier).text;
      const join = ds.find((d) => d.name === 'JoinColumn');
      const joinName = join ? stringOption(optionsOf(join.args), 'name') : undefined;
      const column = joinName ?? `${name}Id`;
      if (served.has(name) || served.has(column)) continue;
      // A property mapped to the same column, indexed (`@Index() @Column() authorId`), was counted by its name.
      const target = targetOf(rel.args[0]) ?? 'the related entity';
      const decorator = ts.getDecorators(p)!.find((d) => d.getText().startsWith('@ManyToOne') || /\.ManyToOne\b/.test(d.getText()))!;
      const message =
        `\`${entity}.${name}\` (join column \`${column}\`) references ${target} without an index: TypeORM does not index a many-to-one join column, ` +
        `and PostgreSQL and SQLite do not index foreign keys on their own. Deleting a ${target} (or changing its id) scans the whole ${entity} table for the rows that reference it, ` +
        `and every query by ${column} (\`where: { ${name}: { id } }\`, loading a ${target}'s ${entity} rows) reads the whole table. Add \`@Index()\` to the relation (then a migration).`;
      const start = p.getStart(sf);
      const lineStart = sf.text.lastIndexOf('\n', start - 1) + 1;
      const indent = /^[ \t]*/.exec(sf.text.slice(lineStart, start))![0];
      const edits = [{ start, end: start, newText: `@Index()\n${indent}` }, ...ensureImport(sf, 'typeorm', ['Index'])];
      out.push({ start: decorator.getStart(sf), end: decorator.getEnd(), message, fixes: [{ title: `Add @Index() to ${entity}.${name}`, applicability: 'unsafe', edits }] });
    }
  }
  return out;
}

function drizzleSchema(sf: ts.SourceFile, ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  for (const table of drizzleTables(sf, ctx.models?.drizzleCasing)) {
    if (table.dialect === 'mysql') continue;
    for (const fk of table.foreignKeys) {
      if (drizzleIndexed(table, fk.keys)) continue;
      // A hand-written SQL migration may add it.
      if (ctx.models?.sqlLookupIndexed(table.table, fk.columns, ctx.file.path, [])) continue;
      const index = drizzleIndex(`${table.table}_${fk.columns.join('_')}_idx`, fk.keys);
      const shown = index(configParam(table) ?? 'table');
      const db = table.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const keys = fk.keys.length > 1 ? `(${fk.keys.join(', ')})` : fk.keys[0];
      const cols = fk.columns.join(', ');
      const message =
        `\`${table.name}.${keys}\` (column${fk.columns.length > 1 ? 's' : ''} \`${cols}\`) references \`${fk.target}\` without an index: Drizzle declares no index for a foreign key, ` +
        `and ${db} does not index foreign keys on its own. Deleting a row of the referenced table (or changing its key) scans the whole \`${table.table}\` table for the rows that reference it, ` +
        `and every query by ${keys} (\`where(eq(${table.name}.${fk.keys[0]}, …))\`, a relation loaded with \`with\`) reads the whole table. ` +
        `Add \`${shown}\` to the table's extra config, then generate a migration (\`drizzle-kit generate\`).`;
      const title = `Add ${shown} to ${table.name}`;
      const key = /^[A-Za-z_$][\w$]*$/.test(fk.keys[0]) ? `${fk.keys[0]}Idx` : 'foreignKeyIdx';
      const edits = addToExtraConfig(sf, table, index, key);
      const fix: Fix = edits ? { title, applicability: 'unsafe', edits: [...edits, ...ensureImport(sf, table.module, ['index'])] } : { title, applicability: 'display-only', edits: [] };
      out.push({ start: fk.node.getStart(sf), end: fk.node.getEnd(), message, fixes: [fix] });
    }
  }
  return out;
}

const LIBRARY = { knex: 'Knex', kysely: 'Kysely', sequelize: 'Sequelize' } as const;

/** A name in single quotes, as JS source. */
const quoted = (name: string): string => `'${name.replace(/[\\']/g, '\\$&')}'`;

/** The index as the migration's library writes it, in a new migration. */
function builderIndexCode(fk: Pick<BuilderForeignKey, 'table' | 'columns' | 'library'>): string {
  const cols = fk.columns.map(quoted).join(', ');
  if (fk.library === 'knex') return `knex.schema.alterTable(${quoted(fk.table)}, (table) => { table.index([${cols}]); })`;
  if (fk.library === 'kysely') return `db.schema.createIndex(${quoted(kyselyIndexName(fk))}).on(${quoted(fk.table)}).columns([${cols}]).execute()`;
  return `queryInterface.addIndex(${quoted(fk.table)}, [${cols}])`;
}

function kyselyIndexName(fk: Pick<BuilderForeignKey, 'table' | 'columns'>): string {
  return `${fk.table}_${fk.columns.join('_')}_idx`.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Knex, Kysely and Sequelize migrations: a foreign key their tables get, which no index, primary
 * key or unique constraint of any migration (or .sql file) starts with. A migration has run when
 * it is read: the index goes in a new one.
 */
function builderMigrations(sf: ts.SourceFile, facts: TsFacts, ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  if (!facts.builderForeignKeys || mysqlOnly(ctx.models?.databases)) return out;
  const own = (facts.models ?? []).filter((m) => m.orm === 'sql');
  for (const fk of facts.builderForeignKeys) {
    if (fk.columns.length === 0) continue;
    const indexed = ctx.models ? ctx.models.sqlLookupIndexed(fk.table, fk.columns, ctx.file.path, own) : sqlLookupIndexed([[ctx.file.path, own]], fk.table, fk.columns);
    if (indexed) continue;
    // Dropped since: later in the file, or by a later migration.
    const made = { table: fk.table, columns: fk.columns, name: fk.name, start: fk.node.getStart(sf) };
    if (ctx.models ? ctx.models.sqlDropped(made, ctx.file.path, own) : sqlDropped([[ctx.file.path, own]], made, ctx.file.path)) continue;
    const cols = fk.columns.join(', ');
    const key = fk.columns.length > 1 ? `(${cols})` : cols;
    const code = builderIndexCode(fk);
    const message =
      `\`${fk.table}.${key}\` references \`${fk.refTable}\`, and no index starts with ${fk.columns.length > 1 ? 'these columns' : 'it'}: ${LIBRARY[fk.library]} creates the foreign key without an index, ` +
      `and PostgreSQL and SQLite do not index foreign keys on their own. Deleting a row of \`${fk.refTable}\` (or changing its key) scans all of \`${fk.table}\` for the rows that reference it, ` +
      `and every lookup or join by ${key} reads the whole table. Add \`${code}\` in a new migration (this one has run already).`;
    const at = fk.node;
    const title = `Add an index on ${fk.table} (${cols}) in a new migration`;
    const file = migrationFile(fk, sf);
    const fix: Fix = file
      ? { title, applicability: 'unsafe', edits: [], newMigration: { dir: path.dirname(ctx.file.path), slug: migrationSlug(fk.table, fk.columns), extension: path.extname(ctx.file.path), text: file } }
      : { title, applicability: 'display-only', edits: [] };
    out.push({ start: at.getStart(sf), end: at.getEnd(), message, fixes: [fix] });
  }
  return out;
}

/**
 * A whole new migration that adds the index, in the library's shape and the module style of the
 * migration it follows (CommonJS `exports.up`, or ES `export async function up`, typed in a .ts
 * file). Sequelize migrations in ES modules take too many shapes (umzug's context, sequelize-cli's
 * ESM): they get the advice alone.
 */
function migrationFile(fk: BuilderForeignKey, sf: ts.SourceFile): string | undefined {
  const commonJs = /\bmodule\.exports\b|\bexports\.up\b/.test(sf.text);
  const typed = /\.[mc]?ts$/.test(sf.fileName);
  const cols = `[${fk.columns.map(quoted).join(', ')}]`;
  const table = quoted(fk.table);
  if (fk.library === 'knex') {
    const up = `knex.schema.alterTable(${table}, (table) => {\n    table.index(${cols});\n  })`;
    const down = `knex.schema.alterTable(${table}, (table) => {\n    table.dropIndex(${cols});\n  })`;
    if (commonJs) return `exports.up = (knex) =>\n  ${up};\n\nexports.down = (knex) =>\n  ${down};\n`;
    const param = typed ? 'knex: Knex' : 'knex';
    const ret = typed ? ': Promise<void>' : '';
    return `${typed ? "import type { Knex } from 'knex';\n\n" : ''}export async function up(${param})${ret} {\n  await ${up};\n}\n\nexport async function down(${param})${ret} {\n  await ${down};\n}\n`;
  }
  if (fk.library === 'kysely') {
    const name = quoted(kyselyIndexName(fk));
    const param = typed ? 'db: Kysely<any>' : 'db';
    const ret = typed ? ': Promise<void>' : '';
    const up = `await db.schema.createIndex(${name}).on(${table}).columns(${cols}).execute();`;
    const down = `await db.schema.dropIndex(${name}).execute();`;
    if (commonJs) return `exports.up = async (db) => {\n  ${up}\n};\n\nexports.down = async (db) => {\n  ${down}\n};\n`;
    return `${typed ? "import type { Kysely } from 'kysely';\n\n" : ''}export async function up(${param})${ret} {\n  ${up}\n}\n\nexport async function down(${param})${ret} {\n  ${down}\n}\n`;
  }
  if (!commonJs) return undefined;
  return (
    `'use strict';\n\n/** @type {import('sequelize-cli').Migration} */\nmodule.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex(${table}, ${cols});\n  },\n\n` +
    `  async down(queryInterface) {\n    await queryInterface.removeIndex(${table}, ${cols});\n  },\n};\n`
  );
}

/**
 * unindexed-foreign-key in TypeORM entities and Drizzle tables.
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
 */
import ts from 'typescript';
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import { mysqlOnly } from '../../engine/workspace-databases';
import type { TsFacts } from '../../languages/typescript/adapter';
import { decoratorsOf, optionsOf, targetOf, type DecoratorUse } from '../../languages/typescript/decorators';
import { drizzleIndexed, drizzleTables, type DrizzleForeignKey, type DrizzleTable } from '../../languages/typescript/drizzle-tables';
import { ensureImport } from '../../languages/typescript/edits';
import type { Edit, Fix } from '../../engine/finding';
import type { DetectContext } from '../../engine/rule';

/** Property and column names an `@Index([...])`/`@Unique([...])` of a class lists first (`@Index('name', ['a', 'b'])` too). */
function leadingOf(d: DecoratorUse): string | undefined {
  const list = d.args.find(ts.isArrayLiteralExpression);
  const first = list?.elements[0];
  return first && ts.isStringLiteralLike(first) ? first.text : undefined;
}

function stringOption(options: ts.ObjectLiteralExpression | undefined, key: string): string | undefined {
  const p = options?.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText() === key);
  return p && ts.isStringLiteralLike(p.initializer) ? p.initializer.text : undefined;
}

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const sf = facts.sourceFile;
  if (!sf) return [];
  return [...typeormEntities(sf, facts, ctx), ...drizzleSchema(sf, ctx)];
};

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
  for (const table of drizzleTables(sf)) {
    if (table.dialect === 'mysql') continue;
    for (const fk of table.foreignKeys) {
      if (drizzleIndexed(table, fk.keys)) continue;
      // A hand-written SQL migration may add it.
      if (ctx.models?.sqlLookupIndexed(table.table, fk.columns, ctx.file.path, [])) continue;
      const item = drizzleIndexItem(table, fk);
      const db = table.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const keys = fk.keys.length > 1 ? `(${fk.keys.join(', ')})` : fk.keys[0];
      const cols = fk.columns.join(', ');
      const message =
        `\`${table.name}.${keys}\` (column${fk.columns.length > 1 ? 's' : ''} \`${cols}\`) references \`${fk.target}\` without an index: Drizzle declares no index for a foreign key, ` +
        `and ${db} does not index foreign keys on its own. Deleting a row of the referenced table (or changing its key) scans the whole \`${table.table}\` table for the rows that reference it, ` +
        `and every query by ${keys} (\`where(eq(${table.name}.${fk.keys[0]}, …))\`, a relation loaded with \`with\`) reads the whole table. ` +
        `Add \`${item.text}\` to the table's extra config, then generate a migration (\`drizzle-kit generate\`).`;
      out.push({ start: fk.node.getStart(sf), end: fk.node.getEnd(), message, fixes: [drizzleFix(sf, table, item)] });
    }
  }
  return out;
}

/** `index('posts_author_id_idx').on(table.authorId)`, with the extra config's parameter name. */
interface DrizzleItem {
  text: string;
  /** The extra config's parameter (`table` for a config the fix writes). */
  param?: string;
  keys: readonly string[];
}

function drizzleIndexItem(table: DrizzleTable, fk: DrizzleForeignKey): DrizzleItem {
  const p = table.extra?.parameters[0];
  const param = table.extra ? (p && ts.isIdentifier(p.name) ? p.name.text : undefined) : 'table';
  const name = `${table.table}_${fk.columns.join('_')}_idx`.replace(/[^A-Za-z0-9_$]/g, '_');
  return { text: `index('${name}').on(${fk.keys.map((k) => `${param ?? 'table'}.${k}`).join(', ')})`, param, keys: fk.keys };
}

function drizzleFix(sf: ts.SourceFile, table: DrizzleTable, item: DrizzleItem): Fix {
  const title = `Add ${item.text} to ${table.name}`;
  const edits = drizzleEdits(sf, table, item);
  if (!edits) return { title, applicability: 'display-only', edits: [] };
  return { title, applicability: 'unsafe', edits: [...edits, ...ensureImport(sf, table.module, ['index'])] };
}

function drizzleEdits(sf: ts.SourceFile, table: DrizzleTable, item: DrizzleItem): Edit[] | undefined {
  const text = sf.text;
  if (!table.extra) {
    // A third argument after the columns, laid out like the first two.
    const first = table.call.arguments[0];
    const cols = table.call.arguments[1];
    const before = text.slice(table.call.arguments.pos, first.getStart(sf));
    const nl = before.lastIndexOf('\n');
    const sep = nl < 0 ? ', ' : `,\n${before.slice(nl + 1)}`;
    return [{ start: cols.getEnd(), end: cols.getEnd(), newText: `${sep}(table) => [${item.text}]` }];
  }
  if (!item.param || !table.extraList) return undefined;
  const list = table.extraList;
  const entry = ts.isArrayLiteralExpression(list) ? item.text : `${propertyName(list, item.keys)}: ${item.text}`;
  const elements: ts.NodeArray<ts.Node> = ts.isArrayLiteralExpression(list) ? list.elements : list.properties;
  if (elements.length === 0) {
    const open = list.getStart(sf) + 1;
    return [{ start: open, end: list.getEnd() - 1, newText: ts.isArrayLiteralExpression(list) ? entry : ` ${entry} ` }];
  }
  const last = elements[elements.length - 1];
  const inner = text.slice(list.getStart(sf) + 1, list.getEnd() - 1);
  if (!inner.includes('\n')) return [{ start: last.getEnd(), end: last.getEnd(), newText: `, ${entry}` }];
  const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '';
  // The new line goes after a comment that ends the last one's line.
  const after = elements.hasTrailingComma ? text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  const rest = /^[ \t]*(\/\/[^\r\n]*)?/.exec(text.slice(after))![0];
  const lineEnd = /^\r?\n/.test(text.slice(after + rest.length)) ? after + rest.length : after;
  const edits: Edit[] = [{ start: lineEnd, end: lineEnd, newText: `\n${indent}${entry}${elements.hasTrailingComma ? ',' : ''}` }];
  if (!elements.hasTrailingComma) edits.unshift({ start: after, end: after, newText: ',' });
  return edits;
}

/** A key for the older object form of the extra config: `authorIdIdx`, not one it has. */
function propertyName(list: ts.ObjectLiteralExpression, keys: readonly string[]): string {
  const taken = new Set(list.properties.map((p) => p.name?.getText()));
  const base = /^[A-Za-z_$][\w$]*$/.test(keys[0]) ? `${keys[0]}Idx` : 'foreignKeyIdx';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  return name;
}

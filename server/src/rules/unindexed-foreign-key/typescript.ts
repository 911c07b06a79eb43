/**
 * unindexed-foreign-key in TypeORM entities: a `@ManyToOne` relation (its join column,
 * `authorId` or `@JoinColumn({ name })`) that no `@Index()` on it or on its column property, no
 * class `@Index([…])`/`@Unique([…])` and no leading `@PrimaryColumn` starts with. TypeORM does not
 * index join columns on PostgreSQL or SQLite (a `@OneToOne` join column gets a unique constraint,
 * an index). The fix adds `@Index()` to the relation. Skipped in a workspace whose only database
 * driver is MySQL's.
 */
import ts from 'typescript';
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import { mysqlOnly } from '../../engine/workspace-databases';
import type { TsFacts } from '../../languages/typescript/adapter';
import { decoratorsOf, optionsOf, targetOf, type DecoratorUse } from '../../languages/typescript/decorators';
import { ensureImport } from '../../languages/typescript/edits';

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
  const out: Detection[] = [];
  const sf = facts.sourceFile;
  if (!sf || !facts.models?.some((m) => m.orm === 'typeorm') || mysqlOnly(ctx.models?.databases)) return out;
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
};

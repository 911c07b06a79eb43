/**
 * Kysely's database interface: `interface Database { posts: PostTable }` with `interface PostTable
 * { id: Generated<number>; created_at: ColumnType<Date, string | undefined, never> }`, written by
 * hand as Kysely's docs do, or by kysely-codegen (`DB`, `Generated<T>` and `Timestamp` declared in
 * the same file). Each table the interface names is a model of its columns' TypeScript types (what
 * a query selects), so that a fix writing a value compared with a column writes one of its type.
 */
import ts from 'typescript';
import type { ModelFact } from '../facts';

/** Kysely's wrappers whose first type argument is the type a select gives. */
const WRAPPERS = /^(Generated|GeneratedAlways|ColumnType|Selectable|JSONColumnType)$/;
const SCALARS = /^(number|string|bigint|Date)$/;

/** The TypeScript type a column's declared type selects as, when it is a scalar PerfLens writes values of. */
function selectType(type: ts.TypeNode | undefined, aliases: ReadonlyMap<string, ts.TypeNode>, depth = 0): string | undefined {
  if (!type || depth > 5) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return selectType(type.type, aliases, depth + 1);
  if (ts.isUnionTypeNode(type)) {
    // `number | null`: the value, when there is one; a union of two scalars is left alone.
    const kinds = type.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) && t.kind !== ts.SyntaxKind.UndefinedKeyword);
    return kinds.length === 1 ? selectType(kinds[0], aliases, depth + 1) : undefined;
  }
  const text = type.getText();
  if (SCALARS.test(text)) return text;
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const name = type.typeName.text;
  // kysely-codegen declares its own `Generated<T>` (a conditional type): the argument is still the value.
  if (WRAPPERS.test(name) && type.typeArguments?.length) return selectType(type.typeArguments[0], aliases, depth + 1);
  const alias = aliases.get(name);
  return alias && !type.typeArguments ? selectType(alias, aliases, depth + 1) : undefined;
}

/** The tables of the file's database interfaces, with their columns' types. */
export function kyselyModels(sf: ts.SourceFile): ModelFact[] {
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  const aliases = new Map<string, ts.TypeNode>();
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) interfaces.set(st.name.text, st);
    else if (ts.isTypeAliasDeclaration(st) && !st.typeParameters) aliases.set(st.name.text, st.type);
  }
  const out: ModelFact[] = [];
  for (const db of interfaces.values()) {
    // A database interface: each of its properties is a table, typed with an interface of the file.
    const tables = db.members.filter(ts.isPropertySignature);
    const tableOf = (p: ts.PropertySignature) => (p.type && ts.isTypeReferenceNode(p.type) && ts.isIdentifier(p.type.typeName) ? interfaces.get(p.type.typeName.text) : undefined);
    if (tables.length === 0 || !tables.every((p) => tableOf(p))) continue;
    for (const p of tables) {
      const name = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
      const table = tableOf(p)!;
      if (!name) continue;
      const fieldTypes: Record<string, string> = {};
      for (const c of table.members) {
        if (!ts.isPropertySignature(c) || !(ts.isIdentifier(c.name) || ts.isStringLiteral(c.name))) continue;
        const type = selectType(c.type, aliases);
        if (type) fieldTypes[c.name.text] = type;
      }
      out.push({ name, orm: 'kysely', relations: [], start: table.getStart(), end: table.getEnd(), ...(Object.keys(fieldTypes).length ? { fieldTypes } : {}) });
    }
  }
  return out;
}

/**
 * drizzle-kit's and the client's `casing` option, kept apart from the table reader: the CLI reads
 * drizzle.config with the manifests (engine/workspace-databases.ts) without loading TypeScript.
 */

/**
 * drizzle-kit's and the client's `casing` option: how a column declared without a name (`authorId:
 * integer()`) is named in the database. Without it, the property name is the column.
 */
export type DrizzleCasing = 'snake_case' | 'camelCase';

/**
 * The words of a property name as Drizzle splits them: lower-case runs with their digits, runs of
 * capitals before a capitalised word or the end, capitalised words (`authorId` → author, Id;
 * `address2` → address2; `apiURL` → api, URL; `HTMLBody` → HTML, Body).
 */
function words(name: string): string[] {
  return name.match(/[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g) ?? [name];
}

/** The database name of a column named by its property, under `casing`. */
export function casedColumn(property: string, casing: DrizzleCasing | undefined): string {
  if (!casing) return property;
  const w = words(property);
  if (casing === 'snake_case') return w.map((x) => x.toLowerCase()).join('_');
  return w.map((x, i) => (i === 0 ? x.toLowerCase() : x[0].toUpperCase() + x.slice(1))).join('');
}

/** The `casing` a drizzle.config (or a `drizzle(…, { casing })` call) sets, in its text. */
export function drizzleCasingIn(text: string): DrizzleCasing | undefined {
  // Not a commented-out option.
  const code = text.replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/[^\n]*/g, '$1');
  return /\bcasing["']?\s*:\s*["'](snake_case|camelCase)["']/.exec(code)?.[1] as DrizzleCasing | undefined;
}

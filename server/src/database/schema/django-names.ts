/**
 * Django's generated identifier names (django/db/backends/base/schema.py `_create_index_name`,
 * `Index.set_name_with_model`, `truncate_name`), so that the embedded database's indexes and
 * constraints have the names the production database has. PostgreSQL allows 63 characters.
 */
import { createHash } from 'node:crypto';

const MAX_NAME_LENGTH = 63;

/** `names_digest`: md5 over the names in turn, first `length` hex digits. */
export function namesDigest(names: readonly string[], length: number): string {
  const h = createHash('md5');
  for (const n of names) h.update(n);
  return h.digest('hex').slice(0, length);
}

/** `_create_index_name(table, columns, suffix)`: `blog_post_author_id_dd7a8485`, `…_uniq`, `…_fk_blog_author_id`. */
export function djangoIndexName(table: string, columns: readonly string[], suffix: string): string {
  let hashSuffix = `${namesDigest([table, ...columns], 8)}${suffix}`;
  const name = `${table}_${columns.join('_')}_${hashSuffix}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  if (hashSuffix.length > MAX_NAME_LENGTH / 3) hashSuffix = hashSuffix.slice(0, Math.floor(MAX_NAME_LENGTH / 3));
  const other = Math.floor((MAX_NAME_LENGTH - hashSuffix.length) / 2) - 1;
  let short = `${table.slice(0, other)}_${columns.join('_').slice(0, other)}_${hashSuffix}`;
  if (/^[_\d]/.test(short)) short = `D${short.slice(0, -1)}`;
  return short;
}

/** `Index(fields=[…])` without a name in `Meta.indexes`: `blog_post_created_a1b2c3_idx`. Descending columns are `-column`. */
export function djangoMetaIndexName(table: string, columnsWithOrder: readonly string[]): string {
  const first = columnsWithOrder[0].replace(/^-/, '');
  let name = `${table.slice(0, 11)}_${first.slice(0, 7)}_${namesDigest([table, ...columnsWithOrder, 'idx'], 6)}_idx`;
  if (/^[_\d]/.test(name)) name = `D${name.slice(1)}`;
  return name;
}

/** `truncate_name(name, 63)`: a too-long table name keeps its head and gets a 4-digit hash. */
export function truncateName(name: string, length = MAX_NAME_LENGTH): string {
  if (name.length <= length) return name;
  return `${name.slice(0, length - 4)}${namesDigest([name], 4)}`;
}

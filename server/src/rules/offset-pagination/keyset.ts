/** Language-neutral part of offset-pagination: what counts as a growing offset, the keyset, the message. */
import type { OrderKey, PaginationFact } from '../../languages/facts';

/**
 * An offset that grows with the page. Not one: a constant (0, or any fixed number — it does not
 * grow, or an instance's setting: `this.keep`), Prisma's `cursor` + `skip: 1` (that skip steps over the cursor row: keyset already), and
 * offsets next to a keyset filter, and positional lookups (a limit of 1).
 */
export function isGrowingOffset(p: PaginationFact): boolean {
  if (p.hasCursor || p.hasKeysetFilter) return false;
  // `skip: n, take: 1` finds the row at a position (e.g. the oldest to keep when pruning): one
  // lookup, not a page of a list a user walks through.
  if (p.limit?.constant === 1) return false;
  if (p.offset.constant !== undefined && p.offset.constant !== null) {
    // A literal page number in a Paginator / paginate() call is still a constant page.
    return false;
  }
  // `offset(this.cacheSize - 1)`: a setting of the object, the same on every call (keep the newest N).
  return p.offset.origin !== 'literal' && p.offset.origin !== 'setting';
}

/** The ordering columns plus a unique tie-breaker, so that no two rows compare equal. */
export function keysetKeys(orderBy: readonly OrderKey[], tieBreaker = 'id'): OrderKey[] {
  if (orderBy.length === 0) return [{ column: tieBreaker, direction: 'asc' }];
  const keys = [...orderBy];
  if (!keys.some((k) => k.column === tieBreaker)) keys.push({ column: tieBreaker, direction: keys[keys.length - 1].direction });
  return keys;
}

/** `CREATE INDEX posts_created_at_id_idx ON posts (created_at DESC, id DESC);` */
export function indexStatement(table: string, keys: readonly OrderKey[]): string {
  const name = `${table}_${keys.map((k) => k.column).join('_')}_idx`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
  const cols = keys.map((k) => (k.direction === 'desc' ? `${ident(k.column)} DESC` : ident(k.column))).join(', ');
  return `CREATE INDEX ${name} ON ${ident(table)} (${cols});`;
}

/** Mixed-case names (`"Post"."createdAt"`, as Prisma creates them) must be quoted to keep their case. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export interface OffsetMessageParts {
  /** What runs the query: `prisma.post.findMany`, `Post.objects.filter(...)[a:b]`, `SELECT … FROM posts`. */
  query: string;
  /** The offset expression as written. */
  offset: string;
  /** Table or model, when known. */
  table?: string;
  keys: OrderKey[];
  /** The index advice in the ORM's own terms (`@@index([createdAt, id])`), instead of CREATE INDEX. */
  index?: string;
  /** An index the schema already has on the keys (leading columns, in order). */
  existing?: { columns: string[]; name?: string };
}

const PRIMARY_KEYS = new Set(['id', '_id', 'pk']);

export function offsetMessage(p: OffsetMessageParts): string {
  const cols = p.keys.map((k) => k.column).join(', ');
  const index =
    p.keys.length === 1 && PRIMARY_KEYS.has(p.keys[0].column)
      ? ' The primary key index serves this order.'
      : p.existing
        ? ` The index ${p.existing.name ? `\`${p.existing.name}\`` : `on (${p.existing.columns.join(', ')})`} already exists, so the keyset query reads only its page's rows.`
      : p.index
        ? ` It needs an index on (${cols}): ${p.index}.`
        : p.table
          ? ` It needs an index on ${p.table} (${cols}): \`${indexStatement(p.table, p.keys)}\``
          : ` It needs an index on (${cols}).`;
  return (
    `\`${p.query}\` skips \`${p.offset}\` rows: the database reads and discards every skipped row, so deep pages get slower linearly. ` +
    `Use keyset pagination: filter on (${cols}) after the last row of the previous page.` +
    index
  );
}

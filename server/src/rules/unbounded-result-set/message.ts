/** Messages of unbounded-result-set, the same for every language. */
import type { OrmId, UnboundedReadFact } from '../../languages/facts';
import { moreCallSites, whereOnRequestPath } from '../request-path';

/** How each ORM pages: what the message tells the user to write. */
const PAGE_WITH: Partial<Record<OrmId, string>> = {
  prisma: '`take` with a `cursor`',
  typeorm: '`take` and a keyset `where` on the sort key',
  sequelize: '`limit` and a keyset `where` on the sort key',
  'mikro-orm': '`limit` with a keyset filter, or `em.findByCursor`',
  mongoose: '`.limit()` and a keyset filter on `_id`',
  drizzle: '`.limit()` and a keyset `where` on the sort key',
  kysely: '`.limit()` and a keyset `where` on the sort key',
  knex: '`.limit()` and a keyset `where` on the sort key',
  django: 'a slice after a keyset `filter(id__gt=…)`, or DRF\'s `CursorPagination`',
  sqlalchemy: '`.limit()` and a keyset `where` on the sort key',
  sqlmodel: '`.limit()` and a keyset `where` on the sort key',
  peewee: '`.limit()` and a keyset `where` on the sort key',
  sql: '`LIMIT` and a keyset `WHERE` on the sort key, the last key a parameter',
};

export function unboundedReadMessage(r: UnboundedReadFact): string {
  const model = r.model ? `\`${r.model}\`` : 'the table';
  const rows = r.filter === 'none' ? `every row of ${model}` : `every row of ${model} that its constant filter matches`;
  if (r.drfList) return `\`${r.callee}\` lists ${rows} in one response: it has no \`pagination_class\` and the project's settings set no \`DEFAULT_PAGINATION_CLASS\`, so the response, the query's time and the server's memory grow with the table. Give it a pagination class (\`CursorPagination\` pages by a key).`;
  if (r.listView) return `\`${r.callee}\` is a ListView with no \`paginate_by\`: it renders ${rows}, so the page, the query's time and the server's memory grow with the table. Set \`paginate_by\` (the template then reads \`page_obj\`).`;
  return `\`${r.callee}\` returns ${rows} ${whereOnRequestPath(r.handler, r.chain)}: nothing in the request bounds it, so the response, the query's time and the server's memory grow with the table. Page it (${PAGE_WITH[r.orm] ?? 'a limit and a keyset filter on the sort key'}), or cap it.${moreCallSites(r.more)}`;
}

import * as assert from 'node:assert/strict';
import type { TableInfo } from '../../server/src/database/data/catalog';
import { planData, TOTAL_ROWS_PER_DATA_SIZE } from '../../server/src/database/data/data-plan';

function table(name: string, parents: string[] = [], uniques: string[][] = [['id']]): TableInfo {
  return {
    qualified: `public.${name}`,
    name,
    columns: [{ name: 'id', type: 'integer', notNull: true, autoFilled: true, hasDefault: true }],
    uniques,
    foreignKeys: parents.map((p) => ({ columns: [`${p}_id`], refTable: `public.${p}`, refColumns: ['id'] })),
  };
}

describe('database: data plan', () => {
  it('fills a small schema at full size: parents a tenth, one-to-one children as their parent', () => {
    const plan = planData([table('users'), table('profiles', ['users'], [['id'], ['users_id']]), table('posts', ['users'])], { dataSize: 1000 });
    assert.equal(plan.scaled, undefined);
    assert.deepEqual(plan.tables.map((t) => [t.table.name, t.rows]), [['users', 100], ['profiles', 100], ['posts', 1000]]);
  });

  it('breaks a cycle at the key easiest to set later, and puts the tables that depend on the cycle after all of it', () => {
    const notNull = (t: TableInfo, column: string): TableInfo => ({ ...t, columns: [...t.columns, { name: column, type: 'integer', notNull: true, autoFilled: false, hasDefault: false }] });
    // Medusa: a fulfillment item's key is its primary key, an order's key to its cart is NOT NULL, a cart's to its order nullable.
    const tables = [
      table('fulfillment_items', ['fulfillments'], [['fulfillments_id']]),
      notNull(table('orders', ['carts']), 'carts_id'),
      table('fulfillments', ['orders']),
      table('carts', ['orders']),
    ];
    assert.deepEqual(planData(tables, { dataSize: 1000 }).tables.map((t) => t.table.name), ['carts', 'orders', 'fulfillments', 'fulfillment_items']);
  });

  it('scales a schema of many tables down to the budget, keeping their proportions', () => {
    // 60 leaf tables of one parent: 60,100 rows wanted at a data size of 1,000, 10,000 allowed.
    const tables = [table('accounts'), ...Array.from({ length: 60 }, (_, i) => table(`t${i}`, ['accounts']))];
    const plan = planData(tables, { dataSize: 1000 });
    const total = plan.tables.reduce((n, t) => n + t.rows, 0);
    assert.ok(plan.scaled, 'scaled');
    assert.equal(plan.scaled.wanted, 60_100);
    assert.ok(total <= 1000 * TOTAL_ROWS_PER_DATA_SIZE && total > 9000, `${total} rows`);
    const rows = new Map(plan.tables.map((t) => [t.table.name, t.rows]));
    assert.equal(rows.get('t0'), plan.scaled.dataSize);
    assert.equal(rows.get('accounts'), Math.max(10, Math.round(plan.scaled.dataSize / 10)));
    // Parents still come first.
    assert.equal(plan.tables[0].table.name, 'accounts');
  });

  it('keeps the row counts the user set, and scales only the other tables', () => {
    const tables = Array.from({ length: 30 }, (_, i) => table(`t${i}`));
    const plan = planData(tables, { dataSize: 1000, rowCounts: { t0: 5000 } });
    const rows = new Map(plan.tables.map((t) => [t.table.name, t.rows]));
    assert.equal(rows.get('t0'), 5000);
    assert.ok(plan.scaled);
    assert.ok((rows.get('t1') ?? 0) < 1000);
    assert.ok(plan.tables.reduce((n, t) => n + t.rows, 0) <= 10_000);
  });
});

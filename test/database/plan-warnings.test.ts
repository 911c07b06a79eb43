/** Plan warnings and the summary line, from EXPLAIN (FORMAT JSON) output as PostgreSQL writes it. */
import * as assert from 'node:assert/strict';
import { planSummary } from '../../server/src/database/plan-summary';
import { normalisePlan } from '../../server/src/database/plan-tree';
import { planWarnings } from '../../server/src/database/plan-warnings';

const scan = (extra: Record<string, unknown>) => ({ 'Node Type': 'Seq Scan', 'Relation Name': 'posts', 'Startup Cost': 0, 'Total Cost': 1800, 'Actual Loops': 1, 'Actual Total Time': 30, ...extra });

describe('database: plan warnings', () => {
  it('a sequential scan of a big table, with the filter that an index would serve', () => {
    const plan = normalisePlan({ Plan: scan({ 'Plan Rows': 50, 'Actual Rows': 40, 'Rows Removed by Filter': 99_960, Filter: '(author_id = 7)' }), 'Execution Time': 31 });
    const warnings = planWarnings(plan);
    assert.deepEqual(warnings.map((w) => w.kind), ['seq-scan']);
    assert.match(warnings[0].message, /Seq Scan on posts reads all ~100,000 rows of the table to keep the rows matching \(author_id = 7\)/);
    assert.equal(planSummary(plan), 'Seq Scan on posts · 100,000 rows · 31.0 ms');
  });

  it('the summary names the node doing the work, not a Limit over it, whatever the clock says', () => {
    const plan = normalisePlan({
      Plan: {
        'Node Type': 'Limit', 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 3, 'Actual Total Time': 14.3,
        Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'posts', 'Index Name': 'posts_created_at_id_idx', 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 3, 'Actual Total Time': 1.09 }],
      },
      'Execution Time': 14.3,
    });
    assert.equal(planSummary(plan), 'Index Scan using posts_created_at_id_idx on posts · 20 rows · 14.3 ms');
    // A sort over one scan names the scan's table too.
    const sorted = normalisePlan({
      Plan: {
        'Node Type': 'Sort', 'Plan Rows': 18, 'Actual Rows': 18, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 9, 'Actual Total Time': 0.9,
        Plans: [{ 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'tweet', 'Plan Rows': 18, 'Actual Rows': 18, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 8, 'Actual Total Time': 0.2,
          Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'tweet_user_id', 'Plan Rows': 18, 'Actual Rows': 18, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 1, 'Actual Total Time': 0.1 }] }],
      },
      'Execution Time': 0.93,
    });
    assert.equal(planSummary(sorted), 'Sort over Bitmap Heap Scan on tweet · 18 rows · 0.93 ms');
    // A write is named as psql names it, with the rows it wrote (its own are RETURNING's: none here).
    const update = normalisePlan({
      Plan: {
        'Node Type': 'ModifyTable', Operation: 'Update', 'Relation Name': 'blog_post', 'Plan Rows': 0, 'Actual Rows': 0, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 9, 'Actual Total Time': 4.5,
        Plans: [{ 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'blog_post', 'Plan Rows': 12, 'Actual Rows': 14, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 8, 'Actual Total Time': 0.06 }],
      },
      'Execution Time': 6.13,
    });
    assert.equal(planSummary(update), 'Update on blog_post · 14 rows · 6.13 ms');
    assert.deepEqual(update.root.written, { rows: 14, verb: 'updated' });
    // ON CONFLICT: PostgreSQL counts what it inserted and what conflicted.
    const upsert = normalisePlan({
      Plan: {
        'Node Type': 'ModifyTable', Operation: 'Insert', 'Relation Name': 'tag', 'Plan Rows': 0, 'Actual Rows': 0, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 0.03, 'Conflict Resolution': 'NOTHING', 'Tuples Inserted': 1, 'Conflicting Tuples': 2,
        Plans: [{ 'Node Type': 'Values Scan', 'Plan Rows': 3, 'Actual Rows': 3, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 0.04 }],
      },
    });
    assert.deepEqual(upsert.root.written, { rows: 1, verb: 'inserted', conflicts: 2 });
    // Not run (no ANALYZE): nothing written.
    const planned = normalisePlan({ Plan: { 'Node Type': 'ModifyTable', Operation: 'Delete', 'Relation Name': 'tag', 'Plan Rows': 0, 'Startup Cost': 0, 'Total Cost': 1, Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'tag', 'Plan Rows': 3, 'Startup Cost': 0, 'Total Cost': 1 }] } });
    assert.equal(planned.root.written, undefined);
    const bare = normalisePlan({ Plan: { 'Node Type': 'Result', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 0.01, 'Actual Total Time': 0.01 }, 'Execution Time': 0.02 });
    assert.match(planSummary(bare), /^Result · 1 row · /);
  });

  it('not a small table, nor a scan with few rows', () => {
    assert.deepEqual(planWarnings(normalisePlan({ Plan: scan({ 'Plan Rows': 50, 'Actual Rows': 40 }) })), []);
  });

  it('a row estimate ten times off, but not under a Limit that stopped the scan early', () => {
    const off = normalisePlan({ Plan: { 'Node Type': 'Index Scan', 'Relation Name': 'posts', 'Index Name': 'posts_author_idx', 'Plan Rows': 5, 'Actual Rows': 9_000, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 10 } });
    assert.deepEqual(planWarnings(off).map((w) => w.kind), ['misestimate']);
    const limited = normalisePlan({
      Plan: {
        'Node Type': 'Limit', 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 3,
        Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'posts', 'Index Name': 'posts_created_at_idx', 'Plan Rows': 7_042, 'Actual Rows': 20, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 982 }],
      },
    });
    assert.deepEqual(planWarnings(limited), []);
  });

  it('sorts and hashes that spill to disk', () => {
    const plan = normalisePlan({
      Plan: {
        'Node Type': 'Sort', 'Sort Key': ['created_at'], 'Sort Method': 'external merge', 'Sort Space Used': 5120, 'Sort Space Type': 'Disk', 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 10,
        Plans: [{ 'Node Type': 'Hash', 'Hash Batches': 4, 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 5 }],
      },
    });
    assert.deepEqual(planWarnings(plan).map((w) => w.kind), ['sort-spill', 'hash-spill']);
  });
});

/**
 * MySQL 8 and MariaDB plans → plan trees, summaries and warnings, from recorded outputs written in
 * the documented formats: MySQL's EXPLAIN FORMAT=JSON (format version 1) and EXPLAIN ANALYZE tree,
 * MariaDB's EXPLAIN / ANALYZE FORMAT=JSON (as 10.11 prints them). Also `$n` → `?` placeholders.
 */
import * as assert from 'node:assert/strict';
import { mysqlJsonPlan } from '../../server/src/database/mysql-plan';
import { mysqlTreePlan } from '../../server/src/database/mysql-tree-plan';
import { parseVersion, timeoutStatement } from '../../server/src/database/mysql-connector';
import { toQuestionPlaceholders } from '../../server/src/database/placeholders';
import { planSummary } from '../../server/src/database/plan-summary';
import { allNodes, nodeLabel, normalisePlan } from '../../server/src/database/plan-tree';
import { planWarnings } from '../../server/src/database/plan-warnings';

const aliases = new Map([['p', 'posts'], ['a', 'authors']]);

/** MySQL 8.0: `EXPLAIN FORMAT=JSON SELECT * FROM posts WHERE title = 'x' ORDER BY created_at DESC LIMIT 20`. */
const MYSQL_SCAN_SORT = {
  query_block: {
    select_id: 1,
    cost_info: { query_cost: '10174.25' },
    ordering_operation: {
      using_filesort: true,
      table: {
        table_name: 'posts',
        access_type: 'ALL',
        rows_examined_per_scan: 98543,
        rows_produced_per_join: 49272,
        filtered: '50.00',
        cost_info: { read_cost: '9188.95', eval_cost: '985.30', prefix_cost: '10174.25', data_read_per_join: '7M' },
        used_columns: ['id', 'author_id', 'title', 'created_at'],
        attached_condition: "(`blog`.`posts`.`title` = 'x')",
      },
    },
  },
};

/** MySQL 8.0: a join with a ref lookup and GROUP BY through a temporary table. */
const MYSQL_JOIN_GROUP = {
  query_block: {
    select_id: 1,
    cost_info: { query_cost: '3520.10' },
    grouping_operation: {
      using_temporary_table: true,
      using_filesort: false,
      nested_loop: [
        {
          table: {
            table_name: 'a',
            access_type: 'range',
            possible_keys: ['PRIMARY'],
            key: 'PRIMARY',
            used_key_parts: ['id'],
            key_length: '4',
            rows_examined_per_scan: 100,
            rows_produced_per_join: 100,
            filtered: '100.00',
            cost_info: { read_cost: '10.25', eval_cost: '10.00', prefix_cost: '20.25', data_read_per_join: '12K' },
            attached_condition: '(`blog`.`a`.`id` < 101)',
          },
        },
        {
          table: {
            table_name: 'p',
            access_type: 'ref',
            possible_keys: ['idx_author'],
            key: 'idx_author',
            used_key_parts: ['author_id'],
            key_length: '4',
            ref: ['blog.a.id'],
            rows_examined_per_scan: 120,
            rows_produced_per_join: 12000,
            filtered: '100.00',
            using_index: true,
            cost_info: { read_cost: '2299.85', eval_cost: '1200.00', prefix_cost: '3520.10', data_read_per_join: '1M' },
          },
        },
      ],
    },
  },
};

/** MySQL 8.0.18+: `EXPLAIN ANALYZE SELECT * FROM posts p WHERE p.author_id = 3 ORDER BY p.created_at DESC LIMIT 20`. */
const MYSQL_ANALYZE_TREE = `-> Limit: 20 row(s)  (cost=12.5 rows=20) (actual time=0.412..0.418 rows=20 loops=1)
    -> Sort: p.created_at DESC, limit input to 20 row(s) per chunk  (cost=12.5 rows=120) (actual time=0.411..0.415 rows=20 loops=1)
        -> Index lookup on p using idx_author (author_id=3)  (cost=12.5 rows=120) (actual time=0.061..0.352 rows=1200 loops=1)
`;

/** MySQL 8.0.18+: a full table scan under a filter, with a misestimated filter. */
const MYSQL_ANALYZE_SCAN = `-> Filter: (posts.title like 'p1%')  (cost=10174 rows=10948) (actual time=0.08..45.1 rows=11112 loops=1)
    -> Table scan on posts  (cost=10174 rows=98543) (actual time=0.07..38.2 rows=100000 loops=1)
-> Select #2 (subquery in projection; run only once)
    -> Aggregate: count(0)  (cost=2.1 rows=1) (never executed)
`;

/** MySQL 8.0.18+: GROUP BY through a temporary table over a join. */
const MYSQL_ANALYZE_TEMP = `-> Table scan on <temporary>  (actual time=61.2..61.5 rows=1000 loops=1)
    -> Aggregate using temporary table  (actual time=61.2..61.2 rows=1000 loops=1)
        -> Nested loop inner join  (cost=45321 rows=98543) (actual time=0.1..40.3 rows=100000 loops=1)
            -> Table scan on a  (cost=101 rows=1000) (actual time=0.05..0.4 rows=1000 loops=1)
            -> Index lookup on p using idx_author (author_id=a.id)  (cost=35.2 rows=98.5) (actual time=0.01..0.03 rows=100 loops=1000)
`;

/** MariaDB 10.11: `EXPLAIN FORMAT=JSON SELECT p.title, a.name FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.title LIKE 'p1%' ORDER BY p.created_at DESC LIMIT 10`. */
const MARIADB_EXPLAIN = {
  query_block: {
    select_id: 1,
    filesort: {
      sort_key: 'p.created_at desc',
      temporary_table: {
        nested_loop: [
          { table: { table_name: 'a', access_type: 'ALL', possible_keys: ['PRIMARY'], rows: 1000, filtered: 100 } },
          {
            table: {
              table_name: 'p',
              access_type: 'ref',
              possible_keys: ['idx_author'],
              key: 'idx_author',
              key_length: '4',
              used_key_parts: ['author_id'],
              ref: ['blog.a.id'],
              rows: 98,
              filtered: 100,
              attached_condition: "p.title like 'p1%'",
            },
          },
        ],
      },
    },
  },
};

/** MariaDB 10.11: `ANALYZE FORMAT=JSON SELECT * FROM posts WHERE title = 'p42'`, statistics far off. */
const MARIADB_ANALYZE = {
  query_optimization: { r_total_time_ms: 0.09 },
  query_block: {
    select_id: 1,
    r_loops: 1,
    r_total_time_ms: 31.5,
    table: {
      table_name: 'posts',
      access_type: 'ALL',
      r_loops: 1,
      rows: 98543,
      r_rows: 100000,
      r_table_time_ms: 25.1,
      r_other_time_ms: 6.2,
      filtered: 100,
      r_filtered: 0.001,
      attached_condition: "posts.title = 'p42'",
    },
  },
};

/** MariaDB 10.11: `ANALYZE FORMAT=JSON` of a lookup join: the inner table runs once per outer row. */
const MARIADB_ANALYZE_JOIN = {
  query_block: {
    select_id: 1,
    r_loops: 1,
    r_total_time_ms: 2.4,
    nested_loop: [
      { table: { table_name: 'a', access_type: 'range', key: 'PRIMARY', used_key_parts: ['id'], r_loops: 1, rows: 10, r_rows: 10, r_table_time_ms: 0.05, r_other_time_ms: 0.01, filtered: 100, r_filtered: 100, attached_condition: 'a.id < 11' } },
      { table: { table_name: 'p', access_type: 'ref', key: 'idx_author', used_key_parts: ['author_id'], ref: ['blog.a.id'], r_loops: 10, rows: 98, r_rows: 100, r_table_time_ms: 2.1, r_other_time_ms: 0.2, filtered: 100, r_filtered: 100 } },
    ],
  },
};

describe('database: MySQL and MariaDB plans', () => {
  it('MySQL EXPLAIN FORMAT=JSON: a full scan under a filesort, with its estimates', () => {
    const plan = normalisePlan(mysqlJsonPlan(JSON.stringify(MYSQL_SCAN_SORT)));
    assert.equal(plan.analyzed, false);
    assert.equal(nodeLabel(plan.root), 'Sort (Using filesort)');
    const scan = plan.root.children[0];
    assert.equal(nodeLabel(scan), 'Full scan on posts');
    assert.equal(scan.relation, 'posts');
    assert.equal(scan.rowsEstimated, 49_272);
    assert.equal(scan.filter, "(`blog`.`posts`.`title` = 'x')");
    assert.equal(plan.root.cost.total, 10174.25);
    assert.equal(planSummary(plan), 'Full scan on posts · 49,272 rows (estimated) · cost 10,174');
    // The table's size comes from information_schema (what explainQuery passes as tableRows).
    const warnings = planWarnings(plan, { tableRows: new Map([['posts', 98_543]]) });
    assert.deepEqual(warnings.map((w) => [w.kind, w.node]), [['filesort', 'Sort (Using filesort)'], ['seq-scan', 'Full scan on posts']]);
    assert.match(warnings.find((w) => w.kind === 'seq-scan')!.message, /^Full scan on posts reads all ~98,543 rows of the table to keep the rows matching/);
  });

  it('MySQL EXPLAIN FORMAT=JSON: a join through a temporary table; aliases named by their tables', () => {
    const plan = normalisePlan(mysqlJsonPlan(MYSQL_JOIN_GROUP, { aliases }));
    assert.deepEqual([...allNodes(plan.root)].map(nodeLabel), ['Group (Using temporary)', 'Nested loop join', 'Index range scan using PRIMARY on authors', 'Index lookup using idx_author on posts (covering)']);
    const lookup = plan.root.children[0].children[1];
    assert.equal(lookup.relation, 'posts');
    assert.equal(lookup.alias, 'p');
    assert.equal(lookup.condition, 'author_id = blog.a.id');
    assert.equal(plan.root.children[0].rowsEstimated, 12_000);
    assert.deepEqual(planWarnings(plan).map((w) => [w.kind, w.node]), [['temporary', 'Group (Using temporary)']]);
  });

  it('MySQL EXPLAIN ANALYZE: the tree with actual rows and times; a sort under a LIMIT is not a misestimate', () => {
    const plan = normalisePlan(mysqlTreePlan(MYSQL_ANALYZE_TREE, { aliases }));
    assert.equal(plan.analyzed, true);
    assert.equal(plan.executionMs, 0.418);
    assert.deepEqual([...allNodes(plan.root)].map((n) => n.nodeType), ['Limit: 20 row(s)', 'Sort: p.created_at DESC, limit input to 20 row(s) per chunk', 'Index lookup on p using idx_author (author_id=3)']);
    const lookup = plan.root.children[0].children[0];
    assert.deepEqual([lookup.relation, lookup.alias, lookup.index, lookup.condition, lookup.rowsEstimated, lookup.rowsActual, lookup.loops], ['posts', 'p', 'idx_author', 'author_id=3', 120, 1200, 1]);
    assert.equal(plan.root.children[0].sort?.keys[0], 'p.created_at DESC');
    assert.equal(planSummary(plan), 'Index lookup on p using idx_author (author_id=3) · 1,200 rows · 0.42 ms');
    // 1,200 rows sorted is not many; the lookup's estimate is off by 10×, and says so.
    assert.deepEqual(planWarnings(plan).map((w) => w.kind), ['misestimate']);
  });

  it('MySQL EXPLAIN ANALYZE: a table scan of a big table, a node that never ran, a subquery beside the main plan', () => {
    const plan = normalisePlan(mysqlTreePlan(MYSQL_ANALYZE_SCAN));
    assert.equal(plan.root.nodeType, 'Query plan');
    const [filter, sub] = plan.root.children;
    assert.equal(filter.filter, "(posts.title like 'p1%')");
    assert.equal(filter.children[0].relation, 'posts');
    assert.equal(sub.children[0].loops, 0);
    const warnings = planWarnings(plan);
    assert.deepEqual(warnings.map((w) => [w.kind, w.node]), [['seq-scan', 'Table scan on posts']]);
    assert.match(warnings[0].message, /reads all ~100,000 rows/);
  });

  it('MySQL EXPLAIN ANALYZE: aggregation through a temporary table over many rows', () => {
    const plan = normalisePlan(mysqlTreePlan(MYSQL_ANALYZE_TEMP, { aliases }));
    assert.equal(plan.root.relation, undefined, '<temporary> is no table');
    const kinds = planWarnings(plan).map((w) => [w.kind, w.node]);
    assert.deepEqual(kinds, [['temporary', 'Aggregate using temporary table']]);
    const inner = [...allNodes(plan.root)].find((n) => n.alias === 'p')!;
    assert.deepEqual([inner.relation, inner.rowsEstimated, inner.rowsActual, inner.loops], ['posts', 98.5, 100, 1000]);
  });

  it('MariaDB EXPLAIN FORMAT=JSON: filesort over a temporary table over a join', () => {
    const plan = normalisePlan(mysqlJsonPlan(MARIADB_EXPLAIN, { aliases }));
    assert.deepEqual([...allNodes(plan.root)].map(nodeLabel), ['Sort (Using filesort)', 'Temporary table (Using temporary)', 'Nested loop join', 'Full scan on authors', 'Index lookup using idx_author on posts']);
    assert.equal(plan.root.rowsEstimated, 98_000);
    assert.deepEqual(planWarnings(plan).map((w) => w.kind), ['filesort', 'temporary']);
  });

  it('MariaDB ANALYZE FORMAT=JSON: actual rows kept and removed, times, a misestimate', () => {
    const plan = normalisePlan(mysqlJsonPlan(MARIADB_ANALYZE));
    assert.equal(plan.analyzed, true);
    assert.equal(plan.executionMs, 31.5);
    assert.equal(plan.planningMs, 0.09);
    const scan = plan.root;
    assert.equal(nodeLabel(scan), 'Full scan on posts');
    assert.equal(scan.rowsActual, 1);
    assert.equal(scan.rowsRemovedByFilter, 99_999);
    assert.equal(scan.totalMs, 31.3);
    assert.equal(planSummary(plan), 'Full scan on posts · 100,000 rows · 31.5 ms');
    assert.deepEqual(planWarnings(plan).map((w) => w.kind), ['seq-scan', 'misestimate']);
  });

  it('MariaDB ANALYZE FORMAT=JSON: a lookup per outer row, times per loop', () => {
    const plan = normalisePlan(mysqlJsonPlan(MARIADB_ANALYZE_JOIN, { aliases }));
    const inner = plan.root.children[1];
    assert.deepEqual([nodeLabel(inner), inner.rowsActual, inner.loops], ['Index lookup using idx_author on posts', 100, 10]);
    assert.ok(Math.abs((inner.totalMs ?? 0) - 0.23) < 1e-9);
    assert.deepEqual(planWarnings(plan), []);
  });

  it('$n placeholders become ? with the values in order; strings, names and comments are left alone', () => {
    assert.deepEqual(toQuestionPlaceholders("SELECT * FROM t WHERE a = $2 AND b = '$1' AND `$1` = $1 -- $3\nAND c = $2", [1, 2]), {
      sql: "SELECT * FROM t WHERE a = ? AND b = '$1' AND `$1` = ? -- $3\nAND c = ?",
      params: [2, 1, 2],
    });
    assert.deepEqual(toQuestionPlaceholders("SELECT 'it\\'s $1', $1", ['x']), { sql: "SELECT 'it\\'s $1', ?", params: ['x'] });
    assert.throws(() => toQuestionPlaceholders('SELECT $2', [1]), /\$2 has no value/);
  });

  it('the server flavour from VERSION(), and its timeout statement', () => {
    const maria = parseVersion('10.11.6-MariaDB-0+deb12u1');
    const mysql = parseVersion('8.0.36');
    assert.deepEqual(maria, { flavour: 'mariadb', version: '10.11.6' });
    assert.deepEqual(mysql, { flavour: 'mysql', version: '8.0.36' });
    assert.equal(timeoutStatement(maria, 1500), 'SET SESSION max_statement_time = 1.5');
    assert.equal(timeoutStatement(mysql, 1500), 'SET SESSION max_execution_time = 1500');
    assert.equal(timeoutStatement(parseVersion('5.6.51-log'), 1500), 'DO 0');
  });
});

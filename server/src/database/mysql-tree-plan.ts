/**
 * MySQL's `EXPLAIN ANALYZE` (8.0.18+) prints its plan as an indented tree of iterators, one per line:
 *
 *   -> Limit: 20 row(s)  (cost=1.2 rows=20) (actual time=0.05..0.07 rows=20 loops=1)
 *       -> Index lookup on p using idx_author (author_id=3)  (cost=12 rows=98) (actual time=0.04..0.06 rows=20 loops=1)
 *
 * → the plan shape every database's plan takes here (PostgreSQL's keys). Each node keeps MySQL's own
 * words as its type (`Table scan on posts`, `Sort: posts.created_at DESC`); the table and index are
 * read out of them. Times and rows are per loop, as in PostgreSQL; `(never executed)` is loops 0.
 */
import type { RawPlan } from './connector';
import type { MysqlPlanContext } from './mysql-plan';

type Node = Record<string, unknown> & { 'Node Type': string; Plans: Node[] };

const LINE = /^(\s*)-> (.*?)\s*$/;
const COST = /\(cost=(?:([\d.e+-]+)\.\.)?([\d.e+-]+) rows=([\d.e+-]+)\)/;
const ACTUAL = /\(actual time=([\d.e+-]+)\.\.([\d.e+-]+) rows=([\d.e+-]+) loops=(\d+)\)/;
/** `Table scan on posts`, `Index lookup on p using idx (author_id=3)`, `Index range scan on posts using PRIMARY over (10 < id)`. */
const ACCESS = /^((?:Covering |Single-row |Single-row covering |Full-text )?(?:Table scan|Index scan|Index lookup|Index range scan|Index scan|Constant row|Multi-range index scan|Index skip scan|Group index skip scan|Reverse index scan|Reverse index range scan|Full-text index search|Index range scan \(Multi-Range Read\)|Sort-deduplicate by row ID|Index merge|Intersect rows sorted by row ID|Deduplicate rows sorted by row ID)[\w ()-]*?) on (`[^`]+`|[\w$]+)(?: using ([\w$`]+))?(?:\s*(?:over )?\((.*?)\)(?=,|$))?/;

export function mysqlTreePlan(text: string, ctx: MysqlPlanContext = {}): RawPlan {
  const top: Node[] = [];
  const stack: Array<{ indent: number; node: Node }> = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const indent = m[1].length;
    const node = parseLine(m[2], ctx);
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    if (stack.length) stack[stack.length - 1].node.Plans.push(node);
    else top.push(node);
    stack.push({ indent, node });
  }
  if (top.length === 0) throw new Error('EXPLAIN ANALYZE returned no plan');
  const root: Node = top.length === 1 ? top[0] : { 'Node Type': 'Query plan', Label: 'Query plan', 'Plan Rows': 0, 'Startup Cost': 0, 'Total Cost': 0, Plans: top };
  const raw: RawPlan = { Plan: root };
  if (typeof root['Actual Total Time'] === 'number') raw['Execution Time'] = (root['Actual Total Time'] as number) * Number(root['Actual Loops'] ?? 1);
  return raw;
}

function parseLine(body: string, ctx: MysqlPlanContext): Node {
  const cost = COST.exec(body);
  const act = ACTUAL.exec(body);
  const cut = Math.min(...[cost?.index, act?.index, body.indexOf('(never executed)')].filter((i): i is number => i !== undefined && i >= 0), body.length);
  const label = body.slice(0, cut).trim();
  const node: Node = { 'Node Type': label, Label: label, 'Plan Rows': cost ? Number(cost[3]) : 0, 'Startup Cost': cost?.[1] ? Number(cost[1]) : 0, 'Total Cost': cost ? Number(cost[2]) : 0, Plans: [] };
  if (act) {
    node['Actual Startup Time'] = Number(act[1]);
    node['Actual Total Time'] = Number(act[2]);
    node['Actual Rows'] = Number(act[3]);
    node['Actual Loops'] = Number(act[4]);
    // Iterators outside the cost model (temporary tables, materialisation) print no estimate: none to be off.
    if (!cost) node['Plan Rows'] = node['Actual Rows'];
  } else if (body.includes('(never executed)')) {
    node['Actual Rows'] = 0;
    node['Actual Loops'] = 0;
  }
  const access = ACCESS.exec(label);
  if (access) {
    const printed = access[2].replace(/^`|`$/g, '');
    const relation = ctx.aliases?.get(printed) ?? (printed.startsWith('<') ? undefined : printed);
    if (relation) node['Relation Name'] = relation;
    if (relation && relation !== printed) node.Alias = printed;
    if (access[3]) node['Index Name'] = access[3].replace(/^`|`$/g, '');
    if (access[4]) node['Index Cond'] = access[4];
  }
  const filter = /^Filter: (.*)$/.exec(label);
  if (filter) node.Filter = filter[1];
  const sort = /^Sort(?: with duplicate removal)?: (.*?)(?:, limit input to \d+ row\(s\) per chunk)?$/.exec(label);
  if (sort) node['Sort Key'] = sort[1].split(', ');
  return node;
}

/**
 * The indexes and keys an Alembic migration makes, as `orm: 'sql'` tables: the foreign keys of
 * SQLAlchemy models that a migration indexes by hand (OpenStack's `op.create_index(INDEX_NAME,
 * TABLE_NAME, ['share_id'])`) are indexed in the database the migrations build.
 *
 * Read in `upgrade()` (and any function but `downgrade()`, which undoes):
 * - `op.create_index(name, table, columns)`, `op.create_unique_constraint(…)`, `op.create_primary_key(…)`,
 *   the same with keywords (`table_name=`, `columns=`), and `batch_op.create_index(name, columns)`
 *   in `with op.batch_alter_table("t") as batch_op`;
 * - `op.create_table("t", …)`: columns with `index=True`, `unique=True` or `primary_key=True`, and
 *   `sa.Index("n", "a", "b")`, `sa.UniqueConstraint(…)`, `sa.PrimaryKeyConstraint(…)`.
 *
 * Names may be string constants of the module or locals of the function (`tbl_name = "nodes"`),
 * and loop variables over a list written out (`for fields, idx_name in [(["owner"], "owner_idx"), …]`).
 */
import type { ModelFact } from '../facts';
import { args, calleeName, field, keywordArg, nodesOfType, stringValue, walk, type Node } from './tree';

/** A file that may make tables or indexes with Alembic's operations. */
export const ALEMBIC_HINT = /\bop\.(create_index|drop_index|create_table|create_unique_constraint|create_primary_key|batch_alter_table)\s*\(/;

const INDEX_CALLS = /^(create_index|create_unique_constraint|create_primary_key)$/;

type Bindings = ReadonlyMap<string, Node>;
/** Records an index (or a key: primary or unique) of a table. */
type AddKey = (table: string | undefined, columns: string[] | undefined, at: Node, kind: 'index' | 'key', name?: string) => void;

export function alembicIndexes(root: Node): ModelFact[] {
  const tables = new Map<string, ModelFact>();
  const modelOf = (table: string, at: Node): ModelFact => {
    let m = tables.get(table);
    if (!m) tables.set(table, (m = { name: table, orm: 'sql', relations: [], indexes: [], keys: [], start: at.startIndex, end: at.endIndex }));
    return m;
  };
  const add: AddKey = (table, columns, at, kind, name) => {
    if (!table || !columns?.length) return;
    const m = modelOf(table, at);
    if (kind === 'index') m.indexes!.push(name ? { columns, name, at: at.startIndex } : { columns, at: at.startIndex });
    else m.keys!.push(columns);
  };
  for (const call of nodesOfType(root, 'call')) {
    const f = field(call, 'function');
    if (f?.type !== 'attribute') continue;
    const method = field(f, 'attribute')?.text ?? '';
    if (method === 'drop_index') {
      // `op.drop_index(name, table_name)`; PostgreSQL needs no table: the drop is by name.
      if (inDowngrade(call)) continue;
      const receiver = field(f, 'object');
      const batchTable = receiver?.type === 'identifier' && receiver.text !== 'op' ? batchTableOf(call, receiver.text) : undefined;
      if (receiver?.text !== 'op' && batchTable === undefined) continue;
      const positional = args(call).filter((a) => a.type !== 'keyword_argument');
      const name = stringOf(keywordArg(call, 'index_name') ?? positional[0], call, new Map());
      const table = batchTable ?? stringOf(keywordArg(call, 'table_name') ?? positional[1], call, new Map()) ?? '';
      if (name) (modelOf(table, call).drops ??= []).push({ at: call.startIndex, index: name });
      continue;
    }
    if (method !== 'create_table' && !INDEX_CALLS.test(method)) continue;
    if (inDowngrade(call)) continue;
    const receiver = field(f, 'object');
    const batchTable = receiver?.type === 'identifier' && receiver.text !== 'op' ? batchTableOf(call, receiver.text) : undefined;
    if (receiver?.text !== 'op' && batchTable === undefined) continue;
    for (const bindings of loopBindings(call)) {
      const str = (n: Node | undefined | null) => stringOf(n, call, bindings);
      const positional = args(call).filter((a) => a.type !== 'keyword_argument');
      if (method === 'create_table') {
        tableKeys(str(keywordArg(call, 'table_name') ?? positional[0]), positional.slice(1), call, bindings, add);
        continue;
      }
      // `op.create_index(name, table, columns)`; in a batch, `batch_op.create_index(name, columns)`.
      const name = str(keywordArg(call, method === 'create_index' ? 'index_name' : 'constraint_name') ?? positional[0]);
      const table = batchTable ?? str(keywordArg(call, 'table_name') ?? positional[1]);
      const columns = stringsOf(keywordArg(call, 'columns') ?? positional[batchTable === undefined ? 2 : 1], call, bindings);
      add(table, columns, call, method === 'create_index' ? 'index' : 'key', name);
    }
  }
  const order = revisionOf(root);
  if (order) for (const m of tables.values()) m.alembic = order;
  return [...tables.values()];
}

/** `revision = "2b3c"` and `down_revision = "1a2b"` (a tuple for a merge, None for the first) at the module's top. */
function revisionOf(root: Node): { revision: string; down: string[] } | undefined {
  let revision: string | undefined;
  let down: string[] = [];
  for (const st of root.namedChildren) {
    const assign = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (assign?.type !== 'assignment') continue;
    const name = field(assign, 'left')?.text;
    const value = field(assign, 'right');
    if (name === 'revision') revision = stringValue(value ?? undefined) ?? undefined;
    else if (name === 'down_revision' && value) down = value.type === 'tuple' || value.type === 'list' ? value.namedChildren.map((c) => (c ? stringValue(c) : undefined)).filter((x): x is string => !!x) : [stringValue(value)].filter((x): x is string => !!x);
  }
  return revision ? { revision, down } : undefined;
}

/** The keys `op.create_table("t", …)` makes: its columns' flags and its constraints. */
function tableKeys(table: string | undefined, items: Node[], call: Node, bindings: Bindings, add: AddKey): void {
  if (!table) return;
  const primary: string[] = [];
  for (const item of items) {
    if (item.type !== 'call') continue;
    const kind = calleeName(item);
    const positional = args(item).filter((a) => a.type !== 'keyword_argument');
    if (kind === 'Column') {
      const column = stringOf(positional[0], call, bindings);
      if (!column) continue;
      if (keywordArg(item, 'primary_key')?.type === 'true') primary.push(column);
      if (keywordArg(item, 'index')?.type === 'true') add(table, [column], item, 'index');
      if (keywordArg(item, 'unique')?.type === 'true') add(table, [column], item, 'key');
    } else if (kind === 'Index') {
      add(table, columnsOf(positional.slice(1), call, bindings), item, 'index', stringOf(positional[0], call, bindings));
    } else if (kind === 'UniqueConstraint' || kind === 'PrimaryKeyConstraint') {
      add(table, columnsOf(positional, call, bindings), item, 'key');
    }
  }
  add(table, primary, call, 'key');
}

/** Column names as written one per argument (`"a", "b"`), up to the first that is not one. */
function columnsOf(items: Node[], call: Node, bindings: Bindings): string[] {
  const out: string[] = [];
  for (const item of items) {
    const name = stringOf(item, call, bindings);
    if (!name) break;
    out.push(name);
  }
  return out;
}

/** A string, a name bound to one (a loop variable, a local or a constant of the module). */
function stringOf(n: Node | null | undefined, at: Node, bindings: Bindings): string | undefined {
  const value = resolve(n, at, bindings);
  return value ? stringValue(value) : undefined;
}

/** A list of strings (`["a", "b"]`), or one string, resolved like stringOf. */
function stringsOf(n: Node | null | undefined, at: Node, bindings: Bindings): string[] | undefined {
  const value = resolve(n, at, bindings);
  if (!value) return undefined;
  if (value.type === 'string') {
    const one = stringValue(value);
    return one ? [one] : undefined;
  }
  if (value.type !== 'list' && value.type !== 'tuple') return undefined;
  const out: string[] = [];
  for (const item of value.namedChildren) {
    const s = item ? stringValue(item) : undefined;
    if (!s) return out.length ? out : undefined;
    out.push(s);
  }
  return out;
}

/** What a name stands for at `at`: a loop's binding, else the last assignment to it in the function before `at`, else the module's. */
function resolve(n: Node | null | undefined, at: Node, bindings: Bindings, depth = 0): Node | undefined {
  if (!n || depth > 4) return undefined;
  if (n.type !== 'identifier') return n;
  const bound = bindings.get(n.text);
  if (bound) return resolve(bound, at, bindings, depth + 1);
  for (let scope: Node | null = enclosingFunction(at); ; scope = null) {
    const block = scope ? field(scope, 'body') : at.tree.rootNode;
    let value: Node | undefined;
    for (const st of block?.namedChildren ?? []) {
      if (!st || st.startIndex >= at.startIndex && scope) break;
      const assign = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
      if (assign?.type === 'assignment' && field(assign, 'left')?.type === 'identifier' && field(assign, 'left')!.text === n.text) value = field(assign, 'right') ?? undefined;
    }
    if (value) return resolve(value, at, bindings, depth + 1);
    if (!scope) return undefined;
  }
}

function enclosingFunction(n: Node): Node | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return null;
}

function inDowngrade(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' && /^downgrade/.test(field(p, 'name')?.text ?? '')) return true;
  return false;
}

/** The table of `with op.batch_alter_table("t") as <name>:` around the call. */
function batchTableOf(call: Node, name: string): string | undefined {
  for (let p = call.parent; p; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    let found: string | undefined;
    walk(p, (n) => {
      if (found !== undefined || n.type === 'block') return false;
      if (n.type === 'as_pattern' && field(n, 'alias')?.text === name) {
        const value = n.namedChildren[0];
        if (value?.type === 'call' && calleeName(value) === 'batch_alter_table') found = stringOf(keywordArg(value, 'table_name') ?? args(value)[0], call, new Map()) ?? '';
      }
      return undefined;
    });
    if (found) return found;
  }
  return undefined;
}

/**
 * The bindings of the `for` loops around the call whose targets its arguments may read, one map
 * per element of a list written out (`for fields, idx_name in indexes:` with `indexes = [(…), …]`);
 * one empty map when there is no such loop.
 */
function loopBindings(call: Node): Array<Map<string, Node>> {
  let out: Array<Map<string, Node>> = [new Map()];
  for (let p = call.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type !== 'for_statement') continue;
    const left = field(p, 'left');
    const items = resolve(field(p, 'right'), p, new Map());
    if (!left || (items?.type !== 'list' && items?.type !== 'tuple')) continue;
    const targets = left.type === 'identifier' ? [left] : left.namedChildren.filter((c): c is Node => !!c && c.type === 'identifier');
    const next: Array<Map<string, Node>> = [];
    for (const outer of out) {
      for (const item of items.namedChildren) {
        if (!item) continue;
        const values = targets.length === 1 && left.type === 'identifier' ? [item] : item.type === 'tuple' || item.type === 'list' ? item.namedChildren.filter((c): c is Node => !!c) : [];
        if (values.length !== targets.length) continue;
        const m = new Map(outer);
        targets.forEach((t, i) => m.set(t.text, values[i]));
        next.push(m);
      }
    }
    if (next.length) out = next;
  }
  return out;
}

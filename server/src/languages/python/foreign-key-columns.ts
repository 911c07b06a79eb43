/**
 * SQLAlchemy and SQLModel columns that are foreign keys, and whether an index serves lookups by
 * them: `owner_id = Column(ForeignKey("owners.id"))`, `owner_id: Mapped[int] =
 * mapped_column(ForeignKey("owners.id"))`, `owner_id: int = Field(foreign_key="owner.id")`.
 * Indexed: `index=True`, `unique=True`, the first column of the primary key, or the first column
 * of an `Index(…)`, `UniqueConstraint(…)` or `PrimaryKeyConstraint(…)` in `__table_args__` or at
 * module level. Neither library indexes a foreign key on its own.
 */
import type { Span } from '../../engine/finding';
import { args, assignmentStatements, calleeName, field, keywordArg, nodesOfType, stringValue, type Node } from './tree';

export interface PyForeignKeyColumn extends Span {
  /** The mapped class and the attribute (`Item`, `owner_id`). */
  model: string;
  column: string;
  /** The referenced table or column, as written (`owners.id`). */
  references: string;
  /** The model's table (`__tablename__`), when written as a string: where a migration's index for the column is looked for. */
  table?: string;
  indexed: boolean;
  /** The edit that makes the column indexed: `index=True` added after the last argument (the call's layout and trailing comma kept), or an `index=False` turned true. */
  fix: { start: number; end: number; newText: string };
}

/** `index=True` in the column call `call`, written the way its arguments are. */
function indexEdit(call: Node): { start: number; end: number; newText: string } | undefined {
  const list = field(call, 'arguments');
  if (!list) return undefined;
  const existing = keywordArg(call, 'index');
  if (existing) return { start: existing.startIndex, end: existing.endIndex, newText: 'True' };
  const items = args(call);
  const last = items[items.length - 1];
  if (!last) return { start: list.endIndex - 1, end: list.endIndex - 1, newText: 'index=True' };
  // A trailing comma (black's layout): the new argument after it, on a line of its own when the arguments have theirs.
  const comma = list.children.find((c) => c?.type === ',' && c.startIndex >= last.endIndex);
  if (comma) {
    const text = call.tree.rootNode.text;
    const lineStart = text.lastIndexOf('\n', last.startIndex - 1) + 1;
    const ownLine = /^[ \t]*$/.test(text.slice(lineStart, last.startIndex));
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return { start: comma.endIndex, end: comma.endIndex, newText: ownLine ? `${eol}${text.slice(lineStart, last.startIndex)}index=True,` : ' index=True' };
  }
  return { start: last.endIndex, end: last.endIndex, newText: ', index=True' };
}

const COLUMN_CALL = /^(Column|mapped_column|Field)$/;
const MODEL_BASE = /(^|\.)(Base|DeclarativeBase|Model|SQLModel|\w+Base)$/;
const KEY_CALL = /^(Index|UniqueConstraint|PrimaryKeyConstraint)$/;

function isTrue(n: Node | undefined): boolean {
  return n?.type === 'true';
}

/** The column names an `Index("ix", "a", Model.b)`/`UniqueConstraint("a", "b")` lists, in order. */
export function keyColumns(call: Node): string[] {
  const positional = args(call).filter((a) => a.type !== 'keyword_argument');
  // Index's first argument is its name.
  const cols = calleeName(call) === 'Index' ? positional.slice(1) : positional;
  const out: string[] = [];
  for (const c of cols) {
    const name = stringValue(c) ?? (c.type === 'attribute' ? field(c, 'attribute')?.text : c.type === 'identifier' ? c.text : undefined);
    if (!name) break;
    out.push(name);
  }
  return out;
}

/** Leading columns of the keys `Index(…)` declares at module level, by the class its columns name (`Index("ix", Item.owner_id)`). */
export function moduleIndexes(root: Node): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const st of root.namedChildren) {
    const call = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    const expr = call?.type === 'assignment' ? field(call, 'right') : call;
    if (expr?.type !== 'call' || calleeName(expr) !== 'Index') continue;
    const first = args(expr).filter((a) => a.type !== 'keyword_argument')[1];
    const owner = first?.type === 'attribute' ? field(first, 'object')?.text : undefined;
    const columns = keyColumns(expr);
    if (owner && columns.length) (out.get(owner) ?? out.set(owner, []).get(owner)!).push(columns);
  }
  return out;
}

export function foreignKeyColumns(root: Node): PyForeignKeyColumn[] {
  const out: PyForeignKeyColumn[] = [];
  // Leading columns of the keys declared apart from the columns, by class.
  const leading = new Map<string, Set<string>>();
  const lead = (cls: string, cols: string[]) => {
    if (cols.length) (leading.get(cls) ?? leading.set(cls, new Set()).get(cls)!).add(cols[0]);
  };
  // Module-level `Index("ix_items_owner_id", Item.owner_id)`.
  for (const [owner, keys] of moduleIndexes(root)) for (const cols of keys) lead(owner, cols);
  for (const cls of nodesOfType(root, 'class_definition')) {
    const bases = field(cls, 'superclasses')?.namedChildren.map((b) => b?.text ?? '') ?? [];
    const sqlmodelTable = bases.includes('SQLModel') && field(cls, 'superclasses')?.namedChildren.some((b) => b?.type === 'keyword_argument' && b.text.replace(/\s/g, '') === 'table=True');
    if (!bases.some((b) => MODEL_BASE.test(b) && b !== 'SQLModel') && !sqlmodelTable) continue;
    const name = field(cls, 'name')?.text;
    const body = field(cls, 'body');
    if (!name || !body) continue;
    const columns: Array<{ column: string; call: Node; fk?: { node: Node; references: string } }> = [];
    const primary: string[] = [];
    let table: string | undefined;
    for (const { left, right } of assignmentStatements(body)) {
      if (left?.type !== 'identifier') continue;
      if (left.text === '__tablename__') table = stringValue(right) ?? undefined;
      if (left.text === '__table_args__' && right) {
        for (const item of right.type === 'tuple' ? right.namedChildren : [right]) {
          if (item?.type === 'call' && KEY_CALL.test(calleeName(item) ?? '')) lead(name, keyColumns(item));
        }
        continue;
      }
      if (right?.type !== 'call' || !COLUMN_CALL.test(calleeName(right) ?? '')) continue;
      // SQLModel's Field is pydantic's too: only with a foreign key, primary key or index does it declare a column key.
      const fkCall = args(right).find((a) => a.type === 'call' && calleeName(a) === 'ForeignKey');
      const fkArg = keywordArg(right, 'foreign_key');
      const target = (n: Node | undefined) => (n ? (stringValue(n) ?? n.text) : '');
      const fk = fkCall ? { node: fkCall, references: target(keywordArg(fkCall, 'column') ?? args(fkCall)[0]) } : fkArg ? { node: fkArg.parent ?? fkArg, references: target(fkArg) } : undefined;
      // `**options` may hold `index=True`: unknown, so not reported.
      if (args(right).some((a) => a.type === 'dictionary_splat')) continue;
      if (isTrue(keywordArg(right, 'primary_key'))) primary.push(left.text);
      if (isTrue(keywordArg(right, 'index')) || isTrue(keywordArg(right, 'unique'))) lead(name, [left.text]);
      columns.push({ column: left.text, call: right, fk });
    }
    // A composite primary key is one index, in the order its columns are declared.
    lead(name, primary);
    const keyed = leading.get(name);
    for (const c of columns) {
      const fix = c.fk && indexEdit(c.call);
      if (!c.fk || !fix) continue;
      out.push({ start: c.fk.node.startIndex, end: c.fk.node.endIndex, model: name, column: c.column, references: c.fk.references, indexed: !!keyed?.has(c.column), fix, ...(table ? { table } : {}) });
    }
  }
  // A module-level Index after the class: known only once the whole module was read.
  for (const f of out) if (!f.indexed && leading.get(f.model)?.has(f.column)) f.indexed = true;
  return out;
}

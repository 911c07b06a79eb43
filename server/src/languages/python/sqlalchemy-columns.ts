/**
 * The columns of SQLAlchemy, Flask-SQLAlchemy and SQLModel mapped classes and the indexes the
 * database has for them: what unindexed-filter checks a `where`/`filter`/`filter_by` against. A
 * column is indexed with `index=True`, `unique=True` or as the first column of the primary key, or
 * as the first column of an `Index(…)`, `UniqueConstraint(…)` or `PrimaryKeyConstraint(…)` in
 * `__table_args__` or at module level. Columns: `x = Column(…)`, `db.Column(…)`, `mapped_column(…)`,
 * `x: Mapped[int]` (2.0, no call), and every annotated attribute of a SQLModel `table=True` class.
 * Foreign keys are listed apart (unindexed-foreign-key's); booleans and enums are few-valued.
 */
import type { ModelFact } from '../facts';
import { keyColumns } from './foreign-key-columns';
import { maybeTrue } from './model-fields';
import { args, assignmentStatements, calleeName, field, keywordArg, stringValue, type Node } from './tree';

const COLUMN_CALL = /^(Column|mapped_column|Field)$/;
const KEY_CALL = /^(Index|UniqueConstraint|PrimaryKeyConstraint)$/;
const LOW_TYPES = /^(?:\w+\.)*(Boolean|Enum)\b/;
const BOOL_ANNOTATION = /^(Mapped\[)?(Optional\[)?bool\b|\bbool\s*\|\s*None\b/;

export type SqlalchemyColumnFacts = Pick<ModelFact, 'fieldTypes' | 'indexes' | 'lowCardinality' | 'foreignKeys' | 'table'>;

export function sqlalchemyColumnFacts(body: Node, sqlmodelTable: boolean, moduleKeys: readonly string[][] = []): SqlalchemyColumnFacts {
  const fieldTypes: Record<string, string> = {};
  const indexes: Array<{ columns: string[] }> = moduleKeys.map((columns) => ({ columns }));
  const lowCardinality: string[] = [];
  const foreignKeys: string[] = [];
  const primary: string[] = [];
  let table: string | undefined;
  for (const { assign, left, right } of assignmentStatements(body)) {
    if (left?.text === '__tablename__') table = stringValue(right) ?? undefined;
    if (left?.type !== 'identifier' || left.text.startsWith('__')) {
      if (left?.text === '__table_args__' && right) {
        for (const item of right.type === 'tuple' ? right.namedChildren : [right]) {
          if (item?.type === 'call' && KEY_CALL.test(calleeName(item) ?? '')) {
            const columns = keyColumns(item);
            if (columns.length) indexes.push({ columns });
          }
        }
      }
      continue;
    }
    const annotation = field(assign, 'type')?.text.replace(/\s+/g, ' ') ?? '';
    const call = right?.type === 'call' && COLUMN_CALL.test(calleeName(right) ?? '') ? right : undefined;
    // A column: a column call, `x: Mapped[…]` alone, or any annotated attribute of a SQLModel table (not a ClassVar or a relationship).
    const column = call ?? ((!right && /^Mapped\[/.test(annotation)) || (sqlmodelTable && annotation && !/ClassVar|Relationship|relationship/.test(`${annotation} ${right?.text ?? ''}`) && (!right || right.type !== 'call')) ? left : undefined);
    if (!column) continue;
    const name = left.text;
    fieldTypes[name] = call ? (calleeName(call) ?? 'Column') : 'Mapped';
    if (call) {
      // `**options` may hold `index=True`: counted as indexed, since it may be.
      const splat = args(call).some((a) => a.type === 'dictionary_splat');
      if (maybeTrue(keywordArg(call, 'primary_key'))) primary.push(name);
      if (splat || maybeTrue(keywordArg(call, 'index')) || maybeTrue(keywordArg(call, 'unique'))) indexes.push({ columns: [name] });
      if (args(call).some((a) => a.type === 'call' && calleeName(a) === 'ForeignKey') || keywordArg(call, 'foreign_key')) foreignKeys.push(name);
      if (args(call).some((a) => a.type !== 'keyword_argument' && LOW_TYPES.test(a.text))) lowCardinality.push(name);
    }
    if (BOOL_ANNOTATION.test(annotation.replace(/^Mapped\[/, '')) && !lowCardinality.includes(name)) lowCardinality.push(name);
  }
  // A composite primary key is one index, in the order its columns are declared.
  if (primary.length) indexes.push({ columns: primary });
  return { fieldTypes, indexes, lowCardinality, foreignKeys, ...(table ? { table } : {}) };
}

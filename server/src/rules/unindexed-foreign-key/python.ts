/**
 * unindexed-foreign-key in SQLAlchemy and SQLModel models: a `ForeignKey` column (or SQLModel's
 * `Field(foreign_key=…)`) without `index=True`, and no index, unique or primary key constraint of
 * the class that starts with it. The fix adds `index=True`; the migration comes from Alembic.
 * Skipped in a workspace whose only database driver is MySQL's (InnoDB indexes foreign keys).
 */
import * as path from 'node:path';
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import { mysqlOnly } from '../../engine/workspace-databases';
import type { PyFacts } from '../../languages/python/adapter';

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  // A model does not say where it is stored: a workspace whose only driver is MySQL's has InnoDB's indexes.
  if (mysqlOnly(ctx.models?.databases)) return out;
  for (const c of facts.foreignKeyColumns ?? []) {
    if (c.indexed) continue;
    // An index a migration makes by hand (Alembic's `op.create_index`, a `.sql` file's CREATE INDEX).
    const state = c.table ? ctx.models?.sqlIndexState(c.table, [c.column], ctx.file.path, facts.models ?? []) : undefined;
    if (state?.indexed) continue;
    const table = c.references.split('.')[0] || c.references;
    const dropped = state?.dropped ? ` (\`${state.dropped.index}\` was one until \`${path.basename(state.dropped.file)}\` dropped it)` : '';
    const message =
      `\`${c.model}.${c.column}\` is a foreign key to \`${table}\` without an index${dropped}: SQLAlchemy does not create one for a foreign key, ` +
      `and PostgreSQL and SQLite do not index foreign keys on their own. Deleting a row of \`${table}\` (or changing its key) scans the whole ${c.model} table for the rows that reference it, ` +
      `and every query by ${c.column} (\`where(${c.model}.${c.column} == …)\`, and loading the ${c.model} rows of one ${table} row) reads the whole table. ` +
      `Add \`index=True\` to the column (then a migration: \`alembic revision --autogenerate\`).`;
    out.push({ start: c.start, end: c.end, message, fixes: [{ title: `Add index=True to ${c.model}.${c.column}`, applicability: 'unsafe', edits: [c.fix] }] });
  }
  return out;
};

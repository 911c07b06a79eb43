/**
 * SQLAlchemy declarative models as the translator needs them: `__tablename__` and the mapped
 * columns in declaration order (`mapped_column("name", …)`/`Column("name", …)` rename one;
 * `x: Mapped[int]` alone is a column too). `relationship()` attributes are not columns.
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { assignmentStatements } from '../../languages/python/tree';
import type { OrmSources } from './orm-call-sql';
import { pyString } from './python-values';

export interface SqlalchemyModel {
  name: string;
  table: string;
  /** Attribute → column, in declaration order. */
  columns: Map<string, string>;
}

export class SqlalchemyModels {
  private readonly parsed = new Map<string, SqlalchemyModel[]>();

  constructor(private readonly file: string, private readonly sources: OrmSources) {}

  model(name: string): SqlalchemyModel | undefined {
    const candidates = [...this.sources.modelFiles('sqlalchemy', name), this.file];
    for (let dir = path.dirname(this.file), i = 0; i < 3; dir = path.dirname(dir), i++) candidates.push(path.join(dir, 'models.py'), path.join(dir, 'models', '__init__.py'));
    for (const f of candidates) {
      const m = this.modelsOf(f).find((x) => x.name === name);
      if (m) return m;
    }
    return undefined;
  }

  private modelsOf(file: string): SqlalchemyModel[] {
    let models = this.parsed.get(file);
    if (!models) {
      const text = this.sources.read(file);
      const root = text === undefined ? undefined : this.sources.pythonTree(file, text);
      models = root ? readModels(root) : [];
      this.parsed.set(file, models);
    }
    return models;
  }
}

function readModels(root: Node): SqlalchemyModel[] {
  const out: SqlalchemyModel[] = [];
  for (const cls of root.descendantsOfType('class_definition')) {
    const name = cls?.childForFieldName('name')?.text;
    const body = cls?.childForFieldName('body');
    if (!name || !body) continue;
    let table: string | undefined;
    const columns = new Map<string, string>();
    for (const { assign: a, left, right } of assignmentStatements(body)) {
      const type = a.childForFieldName('type')?.text ?? '';
      if (left?.type !== 'identifier') continue;
      if (left.text === '__tablename__') {
        table = pyString(right);
        continue;
      }
      if (left.text.startsWith('__')) continue;
      const callee = right?.type === 'call' ? right.childForFieldName('function')?.text.split('.').pop() ?? '' : '';
      if (/^(relationship|Relationship|association_proxy|column_property|synonym)$/.test(callee)) continue;
      if (!right ? /^Mapped\[/.test(type) : /^(mapped_column|Column|Field)$/.test(callee)) {
        const first = right?.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'string');
        columns.set(left.text, (callee !== 'Field' ? pyString(first) : undefined) ?? left.text);
      }
    }
    if (table) out.push({ name, table, columns });
  }
  return out;
}

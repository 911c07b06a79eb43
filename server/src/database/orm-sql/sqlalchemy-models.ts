/**
 * SQLAlchemy declarative models as the translator needs them: `__tablename__` and the mapped
 * columns in declaration order (`mapped_column("name", …)`/`Column("name", …)` rename one;
 * `x: Mapped[int]` alone is a column too). `relationship()` attributes are not columns.
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { assignmentStatements } from '../../languages/python/tree';
import type { OrmSources } from './orm-call-sql';
import { moduleFile, readImports } from './python-modules';
import { pyString } from './python-values';
import { EXTERNAL_MIXINS, snakeCase } from '../schema/sqlalchemy-ddl';

export interface SqlalchemyModel {
  name: string;
  table: string;
  /** Attribute → column, in declaration order. */
  columns: Map<string, string>;
}

export class SqlalchemyModels {
  private readonly parsed = new Map<string, ModuleInfo>();

  constructor(private readonly file: string, private readonly sources: OrmSources) {}

  model(name: string): SqlalchemyModel | undefined {
    const candidates = [...this.sources.modelFiles('sqlalchemy', name), this.file];
    for (let dir = path.dirname(this.file), i = 0; i < 3; dir = path.dirname(dir), i++) candidates.push(path.join(dir, 'models.py'), path.join(dir, 'models', '__init__.py'));
    for (const f of candidates) {
      const cls = this.moduleOf(f).classes.find((x) => x.name === name && x.table);
      if (cls) return { name, table: cls.table!, columns: this.columnsOf(cls, f, 0) };
    }
    return undefined;
  }

  /**
   * A class's columns, those of its mixins and abstract bases first (`class Pool(BASE, IdMixin,
   * ProjectMixin)`), found in its module, in the modules it imports, or among the mixins outside
   * the workspace that the DDL knows (oslo.db's). A mapped parent keeps its own columns.
   */
  private columnsOf(cls: ClassInfo, file: string, depth: number): Map<string, string> {
    const columns = new Map<string, string>();
    for (const base of cls.bases) {
      const external = EXTERNAL_MIXINS.get(base.split('.').pop()!);
      const found = depth < 10 ? this.resolveClass(base, file) : undefined;
      if (found && !found.cls.table) for (const [a, c] of this.columnsOf(found.cls, found.file, depth + 1)) columns.set(a, c);
      else if (!found && external) for (const c of external) columns.set(c.attribute, c.name);
    }
    for (const [a, c] of cls.columns) {
      columns.delete(a);
      columns.set(a, c);
    }
    return columns;
  }

  /** `IdMixin`, `base_models.IdMixin`, `db.base.Base`, as `file` names it: the class and its module. */
  private resolveClass(text: string, file: string): { cls: ClassInfo; file: string } | undefined {
    const mod = this.moduleOf(file);
    const parts = text.split('.');
    const name = parts.pop()!;
    if (parts.length === 0) {
      const local = mod.classes.find((c) => c.name === name);
      if (local) return { cls: local, file };
      const imported = mod.imports.get(name);
      if (!imported) return undefined;
      const at = imported.lastIndexOf('.');
      return at < 0 ? undefined : this.classIn(imported.slice(0, at), imported.slice(at + 1), file);
    }
    const head = mod.imports.get(parts[0]);
    return head ? this.classIn([head, ...parts.slice(1)].join('.'), name, file) : undefined;
  }

  private classIn(module: string, name: string, from: string): { cls: ClassInfo; file: string } | undefined {
    const f = moduleFile(module, from, (x) => this.sources.read(x) !== undefined);
    const cls = f ? this.moduleOf(f).classes.find((c) => c.name === name) : undefined;
    return cls && f ? { cls, file: f } : undefined;
  }

  private moduleOf(file: string): ModuleInfo {
    let mod = this.parsed.get(file);
    if (!mod) {
      const text = this.sources.read(file);
      const root = text === undefined ? undefined : this.sources.pythonTree(file, text);
      // Read whole now: the tree is valid only until the next file is parsed.
      mod = root ? { classes: readClasses(root), imports: readImports(root) } : { classes: [], imports: new Map() };
      this.parsed.set(file, mod);
    }
    return mod;
  }
}

interface ClassInfo {
  name: string;
  /** Base expressions as written (`BASE`, `base_models.IdMixin`). */
  bases: string[];
  table?: string;
  /** Attribute → column, its own, in declaration order. */
  columns: Map<string, string>;
}

interface ModuleInfo {
  classes: ClassInfo[];
  /** Local name → what it names: `base_models` → `octavia.db.base_models`, `Base` → `app.db.Base`. */
  imports: Map<string, string>;
}

function readClasses(root: Node): ClassInfo[] {
  const out: ClassInfo[] = [];
  for (const cls of root.descendantsOfType('class_definition')) {
    const name = cls?.childForFieldName('name')?.text;
    const body = cls?.childForFieldName('body');
    if (!name || !body) continue;
    const bases = (cls!.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) => (b && b.type !== 'keyword_argument' ? [b.text.replace(/\s/g, '')] : []));
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
    // Flask-SQLAlchemy names a `db.Model` class's table after the class (`OrderLine` → `order_line`).
    if (table === undefined && columns.size > 0 && bases.includes('db.Model')) table = snakeCase(name);
    out.push({ name, bases, table, columns });
  }
  return out;
}

/**
 * Entity classes of decorator-based ORMs (TypeORM, MikroORM), found as the calling file sees them
 * (typescript-modules.ts) and read once per translation; each ORM reads a class its own way.
 */
import ts from 'typescript';
import type { OrmId } from '../../languages/facts';
import type { TsModules } from './typescript-modules';

export abstract class EntityClasses<T extends { columns: Array<{ primary: boolean }> }> {
  private readonly cache = new Map<string, T | undefined>();

  constructor(protected readonly file: string, protected readonly modules: TsModules, private readonly orm: OrmId) {}

  /** The entity class `name` as `from` (the calling file, by default) sees it. */
  entity(name: string, from = this.file): T | undefined {
    const key = `${from}\0${name}`;
    if (!this.cache.has(key)) {
      this.cache.set(key, undefined);
      for (const c of this.modules.candidates(this.orm, name, from)) {
        const cls = this.classIn(c.file, c.name);
        if (cls) {
          this.cache.set(key, this.read(cls, c.file));
          break;
        }
      }
    }
    return this.cache.get(key);
  }

  /** The primary key's column (the first, for a composite key). */
  primary(e: T): T['columns'][number] | undefined {
    return e.columns.find((c) => c.primary);
  }

  protected abstract read(cls: ts.ClassDeclaration, file: string): T;

  /**
   * The entity of the class `cls` extends, read the same way: a base class of the project (`extends
   * BaseModel`, or a `BaseEntity` of its own). The ORMs' own base classes, a package's, are not found.
   */
  protected parentOf(cls: ts.ClassDeclaration, file: string): T | undefined {
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    return base && ts.isIdentifier(base) ? this.entity(base.text, file) : undefined;
  }

  private classIn(file: string, name: string): ts.ClassDeclaration | undefined {
    const sf = this.modules.sourceFile(file);
    if (!sf) return undefined;
    for (const st of sf.statements) {
      if (!ts.isClassDeclaration(st) || !st.name) continue;
      const isDefault = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (st.name.text === name || (name === 'default' && isDefault)) return st;
    }
    return undefined;
  }
}

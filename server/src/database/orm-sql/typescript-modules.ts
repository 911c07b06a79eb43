/**
 * The JS/TS files a translation reads model and table definitions from: parsed once per
 * translation, found through the workspace index or by following the relative imports of the file
 * that makes the call (`import { Post } from './entities/post'`). Path aliases are not followed.
 */
import * as path from 'node:path';
import ts from 'typescript';
import type { OrmId } from '../../languages/facts';
import type { OrmSources } from './orm-call-sql';

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

export class TsModules {
  private readonly parsed = new Map<string, ts.SourceFile | undefined>();

  constructor(readonly sources: OrmSources) {}

  /** The modules of these files alone (the embedded database's DDL reads the files it was given). */
  static ofFiles(files: ReadonlyArray<{ abs: string; text: string }>): TsModules {
    const texts = new Map(files.map((f) => [f.abs, f.text]));
    return new TsModules({ read: (f) => texts.get(f), modelFiles: () => [], pythonTree: () => undefined });
  }

  /** The file's syntax tree; undefined when it cannot be read, or parsed (brackets nested past the parser's stack). */
  sourceFile(file: string): ts.SourceFile | undefined {
    if (!this.parsed.has(file)) {
      const text = this.sources.read(file);
      let sf: ts.SourceFile | undefined;
      try {
        sf = text === undefined ? undefined : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      } catch {
        // A stack overflow of TypeScript's recursive parser: the file's declarations are not known.
      }
      this.parsed.set(file, sf);
    }
    return this.parsed.get(file);
  }

  /** A relative module specifier of `from` as a file that exists (`./post` → `/ws/src/post.ts`; `./post.js` → `post.ts`). */
  resolve(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), specifier);
    const stems = /\.(js|mjs|cjs)$/.test(base) ? [base.replace(/\.(m|c)?js$/, ''), base] : [base];
    for (const stem of stems) {
      for (const ext of EXTENSIONS) {
        if (this.sources.read(stem + ext) !== undefined) return stem + ext;
      }
    }
    return undefined;
  }

  /** Where `name` (a local name of `file`) is imported from, and the name it has there. */
  importOf(file: string, name: string): { file: string; name: string } | undefined {
    const sf = this.sourceFile(file);
    if (!sf) return undefined;
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const clause = st.importClause;
      let imported: string | undefined;
      if (clause?.name?.text === name) imported = 'default';
      const b = clause?.namedBindings;
      if (b && ts.isNamedImports(b)) for (const el of b.elements) if (el.name.text === name) imported = (el.propertyName ?? el.name).text;
      if (!imported) continue;
      const target = this.resolve(file, st.moduleSpecifier.text);
      return target ? { file: target, name: imported } : undefined;
    }
    return undefined;
  }

  /** The files of the relative imports and re-exports of `file`. */
  importedFiles(file: string): string[] {
    const sf = this.sourceFile(file);
    if (!sf) return [];
    const out: string[] = [];
    for (const st of sf.statements) {
      const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const target = spec ? this.resolve(file, spec) : undefined;
      if (target && !out.includes(target)) out.push(target);
    }
    return out;
  }

  /**
   * Files that may define `name` as `file` uses it, best first: the workspace index's, the module
   * it is imported from (and that module's re-exports), `file` itself, the other modules it imports.
   */
  candidates(orm: OrmId, name: string, file: string): Array<{ file: string; name: string }> {
    const out = this.sources.modelFiles(orm, name).map((f) => ({ file: f, name }));
    const imported = this.importOf(file, name);
    if (imported) out.push(imported, ...this.importedFiles(imported.file).map((f) => ({ file: f, name: imported.name })));
    out.push({ file, name });
    // `db.Post`, `schema.posts`: defined in one of the modules this file imports.
    for (const f of this.importedFiles(file)) if (!out.some((c) => c.file === f)) out.push({ file: f, name });
    return out;
  }
}

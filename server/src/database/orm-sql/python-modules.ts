/**
 * Python imports as the translators follow them to the module that declares a model or a base
 * class: what each imported name stands for, and the files a module name can be.
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';

/**
 * Local name → what it names, dotted: `base_models` → `octavia.db.base_models`, `Base` →
 * `app.db.Base`, `Post` → `.models.Post` (a relative module keeps its leading dots).
 */
export function readImports(root: Node): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of root.namedChildren) {
    if (st?.type === 'import_from_statement') {
      const module = st.childForFieldName('module_name')?.text ?? '';
      for (const n of st.childrenForFieldName('name')) {
        if (!n) continue;
        const [name, alias] = n.type === 'aliased_import' ? [n.childForFieldName('name')?.text ?? '', n.childForFieldName('alias')?.text ?? ''] : [n.text, n.text];
        if (name && alias) out.set(alias, module.endsWith('.') ? `${module}${name}` : `${module}.${name}`);
      }
    } else if (st?.type === 'import_statement') {
      for (const n of st.childrenForFieldName('name')) {
        if (n?.type === 'aliased_import') out.set(n.childForFieldName('alias')?.text ?? '', n.childForFieldName('name')?.text ?? '');
        else if (n) out.set(n.text.split('.')[0], n.text.split('.')[0]);
      }
    }
  }
  return out;
}

/**
 * The first file `module` names, seen from the file `from` that imports it: a relative module from
 * that file's package (`.models`, `..core.models`), else one under a package root above the file.
 */
export function moduleFile(module: string, from: string, exists: (file: string) => boolean): string | undefined {
  const dots = /^\.*/.exec(module)![0].length;
  const rel = module.slice(dots).split('.').filter(Boolean).join(path.sep);
  const inDir = (dir: string): string | undefined => [path.join(dir, `${rel}.py`), path.join(dir, rel, '__init__.py')].find((f) => rel && exists(f));
  if (dots > 0) {
    let dir = path.dirname(from);
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    return rel ? inDir(dir) : exists(path.join(dir, '__init__.py')) ? path.join(dir, '__init__.py') : undefined;
  }
  for (let dir = path.dirname(from), i = 0; i < 8; dir = path.dirname(dir), i++) {
    const found = inDir(dir);
    if (found) return found;
    if (path.dirname(dir) === dir) break;
  }
  return undefined;
}

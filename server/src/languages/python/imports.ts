/**
 * What the names of a Python module refer to: `import requests as r` → r = `requests`,
 * `from time import sleep` → sleep = `time.sleep`. Calls are then named by what they call
 * (`r.get` → `requests.get`), whatever the import style.
 */
import { field, nodesOfTypes, type Node } from './tree';

const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

export type ModuleNames = Map<string, string>;

export function moduleNames(root: Node): ModuleNames {
  const out: ModuleNames = new Map();
  // Imports inside `try:` / `if TYPE_CHECKING:` blocks count; those inside functions too (local imports are common in views).
  for (const n of nodesOfTypes(root, IMPORT_TYPES)) {
    if (n.type === 'import_statement') {
      for (const name of n.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') out.set(field(name, 'alias')?.text ?? '', field(name, 'name')?.text ?? '');
        // `import urllib.request` binds `urllib`; calls read `urllib.request.urlopen`.
        else out.set(name.text.split('.')[0], name.text.split('.')[0]);
      }
      continue;
    }
    if (n.type === 'import_from_statement') {
      const module = field(n, 'module_name')?.text ?? '';
      // `from . import views` is `.views`, `from .views import x` is `.views.x`.
      const join = (name: string) => (/^\.+$/.test(module) ? `${module}${name}` : `${module}.${name}`);
      for (const name of n.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') out.set(field(name, 'alias')?.text ?? '', join(field(name, 'name')?.text ?? ''));
        else out.set(name.text, join(name.text));
      }
    }
  }
  return out;
}

const keys = new WeakMap<ModuleNames, string>();

/** The names as one string, made once per analysis: part of the context of the visits that read them (visitNodesOfTypes). */
export function namesKey(names: ModuleNames): string {
  let key = keys.get(names);
  if (key === undefined) keys.set(names, (key = JSON.stringify([...names])));
  return key;
}

/** `r.get` with `import requests as r` → `requests.get`; undefined when the root is not an import. */
export function qualifiedName(expr: Node, names: ModuleNames): string | undefined {
  // Most callees (`self.x`, a local) start with a name no import binds: one lookup of a name the
  // node already holds, no string made.
  const head = headName(expr);
  const module = head && names.get(head.text);
  if (!module) return undefined;
  const text = expr.text;
  if (!/^[\w.]+$/.test(text)) return undefined;
  return head === expr ? module : module + text.slice(head.text.length);
}

/** The name an attribute chain starts with (`a` of `a.b.c`), or the identifier itself. */
export function headName(expr: Node): Node | undefined {
  let head: Node | null = expr;
  while (head?.type === 'attribute') head = field(head, 'object');
  return head?.type === 'identifier' ? head : undefined;
}

/** Edits that fixes of every rule need in Python: adding an import. */
import type { Edit } from '../../engine/finding';
import type { PyFacts } from './adapter';

/** `from module import name`, added to an existing `from module import …` when there is one. */
export function ensureImport(facts: PyFacts, module: string, name: string): Edit[] {
  if (facts.imports.some((i) => i.names.includes(name))) return [];
  const existing = facts.imports.find((i) => i.module === module && i.names.length > 0);
  if (existing) return [{ start: existing.namesEnd, end: existing.namesEnd, newText: `, ${name}` }];
  return [{ start: facts.importInsert, end: facts.importInsert, newText: `from ${module} import ${name}\n` }];
}

/** `import module`, unless the file already has it. */
export function ensureModuleImport(facts: PyFacts, text: string, module: string): Edit[] {
  if (new RegExp(`^\\s*import\\s+([\\w.]+\\s*,\\s*)*${module.replace('.', '\\.')}\\b`, 'm').test(text)) return [];
  return [{ start: facts.importInsert, end: facts.importInsert, newText: `import ${module}\n` }];
}

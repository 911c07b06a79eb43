/**
 * The edits that add a fix's code to another file (`Fix.addToFile`), made from that file's text
 * when the fix is applied. A block: the missing imports after the file's last top-level import (or
 * its docstring), and the block at the end, two blank lines below the code before it, unless the
 * file defines the block's name already; a file that does not exist is `''`, and is created. An
 * index: the model's declaration gains it (prisma/, python/ and typescript/index-edit.ts).
 */
import { prismaIndexEdit } from '../languages/prisma/index-edit';
import { pythonIndexEdit } from '../languages/python/index-edit';
import { drizzleIndexEdits, mikroOrmIndexEdits, mongooseIndexEdits, sequelizeIndexEditsAt, typeormIndexEdits } from '../languages/typescript/index-edit';
import type { AddBlock, AddToFile, Edit } from './finding';
import { escapeRegExp as escape } from './regexp';

/** Whether the Python text has the import already: the same names from the same module, or the module imported. */
function hasImport(text: string, line: string): boolean {
  const from = /^from\s+([\w.]+)\s+import\s+(.+)$/.exec(line.trim());
  if (from) {
    const names = from[2].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!);
    // `from m import (a,\n b)` spans lines: the list up to its closing parenthesis.
    const lists = [...text.matchAll(new RegExp(`^from\\s+${escape(from[1])}\\s+import\\s+(\\([^)]*\\)|[^\\n]*)`, 'gm'))].map((m) => m[1]);
    return names.every((n) => lists.some((l) => new RegExp(`(^|[\\s,(])${escape(n)}($|[\\s,)])`).test(l)));
  }
  return new RegExp(`^${escape(line.trim())}\\s*$`, 'm').test(text);
}

/** The offset just past the last top-level import statement (its continuation lines too), or past a leading docstring. */
function importsEnd(text: string): number {
  let end = -1;
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    let line = lines[i];
    offset += line.length + 1;
    if (!/^(import|from)\s/.test(line)) continue;
    // `from m import (` … `)`, or lines continued with a backslash.
    const open = (): boolean => (text.slice(start, offset).match(/\(/g)?.length ?? 0) > (text.slice(start, offset).match(/\)/g)?.length ?? 0);
    while (i + 1 < lines.length && (open() || /\\\s*$/.test(line))) {
      line = lines[++i];
      offset += line.length + 1;
    }
    end = Math.min(offset, text.length);
  }
  if (end >= 0) return end;
  const doc = /^(?:#[^\n]*\n|\s*\n)*(?:"""[\s\S]*?"""|'''[\s\S]*?''')[^\n]*\n?/.exec(text);
  return doc ? doc[0].length : 0;
}

export function addToFileEdits(add: AddToFile, text: string): Edit[] {
  if (add.kind === 'block') return blockEdits(add, text);
  if (add.orm === 'typeorm') return typeormIndexEdits(text, add.model, add.fields[0]);
  if (add.orm === 'mikro-orm') return mikroOrmIndexEdits(text, add.model, add.fields[0]);
  if (add.orm === 'drizzle') return drizzleIndexEdits(text, add.path, add.model, add.fields);
  if (add.orm === 'mongoose') return mongooseIndexEdits(text, add.path, add.model, add.fields[0]);
  if (add.orm === 'sequelize') return sequelizeIndexEditsAt(text, add.path, add.model, add.fields);
  const edit = add.orm === 'prisma' ? prismaIndexEdit(text, add.model, add.fields) : pythonIndexEdit(text, add.model, add.fields[0], add.orm === 'django' ? 'db_index' : 'index');
  return edit ? [edit] : [];
}

/** What the CLI's log says was added: `send_welcome_task to tasks.py`, `an index on Post(status) to models.py`. */
export function describeAddition(add: AddToFile): string {
  return add.kind === 'block' ? add.defines : `an index on ${add.model}(${add.fields.join(', ')})`;
}

function blockEdits(add: AddBlock, text: string): Edit[] {
  const missing = add.imports.filter((line) => !hasImport(text, line));
  const defined = new RegExp(`^(?:(?:async\\s+)?def\\s+|class\\s+)?${escape(add.defines)}\\b\\s*[(=:]`, 'm').test(text);
  const edits: Edit[] = [];
  const at = importsEnd(text);
  if (missing.length) {
    // After a docstring that ends the file without a newline, a line break first.
    const lead = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    edits.push({ start: at, end: at, newText: `${lead}${missing.join('\n')}\n` });
  }
  if (defined) return edits;
  const end = text.length;
  // The imports, when they go at the end too, come first: the gap is counted after them.
  const imports = edits.length && at === end ? edits[0].newText : '';
  const before = text + imports;
  const trailing = /\n*$/.exec(before)![0].length;
  // Two blank lines between the code before it and the block (PEP 8); none in a new, empty file.
  const gap = before.trim() === '' ? '' : '\n'.repeat(Math.max(0, 3 - trailing));
  const block = `${gap}${add.block.replace(/\n*$/, '\n')}`;
  if (imports) edits[0] = { start: at, end: at, newText: imports + block };
  else edits.push({ start: end, end, newText: block });
  return edits;
}

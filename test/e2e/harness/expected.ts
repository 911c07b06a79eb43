/**
 * What an editor must leave on disk after a fix, computed by the CLI over a copy of the same
 * workspace (same engine, same cross-file knowledge): the editors' files are compared to it whole.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../harness/engine';

interface CliEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}
interface CliFinding {
  rule: string;
  file: string;
  line: number;
  fixes: Array<{ title: string; edits: CliEdit[] }>;
}

function lint(root: string, file: string, extra: string[] = []): CliFinding[] {
  const args = [path.join(REPO_ROOT, 'bin/perflens.js'), 'lint', '--root', root, '--format', 'json', ...extra, path.join(root, file)];
  // Exit 1 only means a finding has severity error; the JSON is what counts.
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  return JSON.parse(out).findings;
}

function offset(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + column - 1;
}

/** `file` (relative to `root`) with the fix titled `title` of the `rule` finding on `line` applied. */
export function textAfterFix(root: string, file: string, rule: string, line: number, title: string): string {
  const finding = lint(root, file).find((f) => f.rule === rule && f.line === line);
  const fix = finding?.fixes.find((f) => title.startsWith(f.title));
  if (!fix) throw new Error(`the CLI has no fix "${title}" for ${rule} on ${file}:${line}`);
  let text = fs.readFileSync(path.join(root, file), 'utf8');
  const edits = [...fix.edits].sort((a, b) => b.line - a.line || b.column - a.column);
  for (const e of edits) text = text.slice(0, offset(text, e.line, e.column)) + e.newText + text.slice(offset(text, e.endLine, e.endColumn));
  return text;
}

/** `file` after every safe fix (what fix-all on save applies), by `perflens lint --fix` on a copy. */
export function textAfterSafeFixes(root: string, file: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-expected-'));
  try {
    fs.cpSync(root, copy, { recursive: true });
    lint(copy, file, ['--fix']);
    return fs.readFileSync(path.join(copy, file), 'utf8');
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

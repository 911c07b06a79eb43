/** Offsets → the 1-based lines and columns of the CLI contract. */
import * as path from 'node:path';
import type { AddToFile, Edit, Finding, NewMigration } from '../engine/finding';
import type { SourceFile } from '../engine/source-file';

export interface Region {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function region(file: SourceFile, span: { start: number; end: number }): Region {
  const s = file.lineIndex.position(span.start);
  const e = file.lineIndex.position(span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export interface JsonEdit extends Region {
  file: string;
  newText: string;
}

export interface JsonFinding extends Region {
  rule: string;
  severity: Finding['severity'];
  file: string;
  message: string;
  fixes: Array<{ title: string; applicability: string; edits: JsonEdit[]; newMigration?: NewMigration; addToFile?: AddToFile }>;
}

export function toJsonFinding(file: SourceFile, relative: string, f: Finding): JsonFinding {
  const edit = (e: Edit): JsonEdit => ({ file: relative, ...region(file, e), newText: e.newText });
  return {
    rule: f.ruleId,
    severity: f.severity,
    file: relative,
    ...region(file, f),
    message: f.message,
    // A new migration's folder and another file the fix adds to are relative, as the file is.
    fixes: f.fixes.map((x) => ({
      title: x.title,
      applicability: x.applicability,
      edits: x.edits.map(edit),
      ...(x.newMigration && { newMigration: { ...x.newMigration, dir: path.posix.dirname(relative) } }),
      ...(x.addToFile && { addToFile: { ...x.addToFile, path: path.posix.join(path.posix.dirname(relative), path.relative(path.dirname(file.path), x.addToFile.path).split(path.sep).join('/')) } }),
    })),
  };
}

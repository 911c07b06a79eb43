/** Findings → LSP diagnostics, with their fixes in `data` bound to the document version. */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Edit, Finding, Severity } from '../engine/finding';
import { docsUrl } from '../engine/rule';
import type { SourceFile } from '../engine/source-file';
import type { DiagnosticData } from '../protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(file: SourceFile, span: { start: number; end: number }): Range {
  return { start: file.lineIndex.position(span.start), end: file.lineIndex.position(span.end) };
}

export function toTextEdit(file: SourceFile, e: Edit): { range: Range; newText: string } {
  return { range: toRange(file, e), newText: e.newText };
}

export function toDiagnostic(file: SourceFile, f: Finding): Diagnostic {
  const data: DiagnosticData = {
    ruleId: f.ruleId,
    version: file.version,
    fixes: f.fixes.map((x) => ({
      title: x.title,
      applicability: x.applicability,
      edits: x.edits.map((e) => toTextEdit(file, e)),
      ...(x.newMigration && { newMigration: x.newMigration }),
      ...(x.addToFile && { addToFile: x.addToFile }),
    })),
  };
  return {
    range: toRange(file, f),
    severity: SEVERITY[f.severity],
    source: 'perflens',
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    message: f.message,
    data,
  };
}

/**
 * Code actions for PerfLens diagnostics: the rule's fixes (safe ones preferred, unsafe ones say
 * so), "Disable <rule> for this line", "Show documentation"; and `source.fixAll.perflens`, which
 * applies only safe fixes, never two that overlap.
 */
import * as path from 'node:path';
import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../context';
import { selectFixes } from '../engine/fix-selection';
import { newMigrationFiles } from '../engine/migration-names';
import { suppressionComment } from '../engine/suppression';
import { Commands, type DiagnosticData } from '../protocol';
import { pathToUri } from '../uri';
import { toTextEdit } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.perflens`;

function isPerflens(d: Diagnostic): d is Diagnostic & { data: DiagnosticData } {
  return d.source === 'perflens' && !!d.data && typeof (d.data as DiagnosticData).ruleId === 'string';
}

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function disableAction(doc: TextDocument, d: Diagnostic, ruleId: string): CodeAction {
  const line = d.range.start.line;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(lineText)![0];
  const language = doc.languageId === 'python' ? 'python' : doc.languageId === 'sql' ? 'sql' : 'typescript';
  const edit: TextEdit = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${suppressionComment(language, ruleId)}\n` };
  const action = CodeAction.create(`Disable ${ruleId} for this line`, { changes: { [doc.uri]: [edit] } }, CodeActionKind.QuickFix);
  action.diagnostics = [d];
  return action;
}

function quickFixes(doc: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const documented = new Set<string>();
  for (const d of diagnostics) {
    if (!isPerflens(d)) continue;
    const data = d.data;
    // Edits were computed for one version of the text; on another they would corrupt it.
    if (data.version === doc.version) {
      for (const fix of data.fixes) {
        if (fix.applicability === 'display-only') continue;
        let title = fix.applicability === 'unsafe' ? `${fix.title} (changes behaviour)` : fix.title;
        let edit: WorkspaceEdit = { changes: { [doc.uri]: fix.edits } };
        if (fix.newMigration) {
          // Named now, from the folder as it is: the next in its scheme.
          const files = newMigrationFiles(fix.newMigration);
          if (!files) continue;
          title = `${fix.title}: ${files.map((f) => path.basename(f.path)).join(', ')}${fix.applicability === 'unsafe' ? ' (changes behaviour)' : ''}`;
          edit = { documentChanges: newFilesEdit(files) };
        }
        const action = CodeAction.create(title, edit, CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = fix.applicability === 'safe';
        actions.push(action);
      }
    }
    actions.push(disableAction(doc, d, data.ruleId));
    if (!documented.has(data.ruleId)) {
      documented.add(data.ruleId);
      const docs = CodeAction.create(`Show documentation for ${data.ruleId}`, { title: 'Show documentation', command: Commands.showDocumentation, arguments: [data.ruleId] }, CodeActionKind.QuickFix);
      docs.diagnostics = [d];
      actions.push(docs);
    }
  }
  return actions;
}

/** New files, each created (never over an existing one) and filled. */
function newFilesEdit(files: ReadonlyArray<{ path: string; text: string }>): WorkspaceEdit['documentChanges'] {
  return files.flatMap((f) => {
    const uri = pathToUri(f.path);
    return [
      { kind: 'create' as const, uri, options: { overwrite: false, ignoreIfExists: false } },
      { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: f.text }] },
    ];
  });
}

async function fixAll(ctx: ServerContext, doc: TextDocument): Promise<CodeAction | undefined> {
  const analysis = await ctx.analyzer.analyze(doc);
  if (!analysis) return undefined;
  const { edits, count } = selectFixes(analysis.findings, 'safe');
  if (count === 0) return undefined;
  const action = CodeAction.create('Fix all safe PerfLens problems', { changes: { [doc.uri]: edits.map((e) => toTextEdit(analysis.file, e)) } }, FIX_ALL_KIND);
  return action;
}

export async function codeActions(ctx: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) actions.push(...quickFixes(doc, params.context.diagnostics));
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => FIX_ALL_KIND.startsWith(o) && o !== '')) {
    const all = await fixAll(ctx, doc);
    if (all) actions.push(all);
  }
  return actions;
}

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params) => codeActions(ctx, params));
}

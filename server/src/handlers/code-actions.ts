/**
 * Code actions for PerfLens diagnostics: the rule's fixes (safe ones preferred, unsafe ones say
 * so), "Disable <rule> for this line", "Show documentation"; and `source.fixAll.perflens`, which
 * applies only safe fixes, never two that overlap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../context';
import { addToFileEdits } from '../engine/add-to-file';
import type { AddToFile } from '../engine/finding';
import { selectFixes } from '../engine/fix-selection';
import { newMigrationFiles } from '../engine/migration-names';
import { SourceFile, languageOfPath } from '../engine/source-file';
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

/**
 * The fix's edits of the document and, in the same workspace edit, what it adds to another file:
 * made from that file's text now (the editor's when it is open, else the disk's), the file created
 * when it does not exist. An index goes into a file that declares the model: none when that file
 * is gone or no longer needs it.
 */
function withOtherFile(ctx: ServerContext, doc: TextDocument, edits: TextEdit[], add: AddToFile): WorkspaceEdit | undefined {
  const uri = pathToUri(add.path);
  const open = ctx.documents.get(uri);
  let text: string | undefined = open?.getText();
  if (text === undefined) {
    try {
      text = fs.readFileSync(add.path, 'utf8');
    } catch {
      text = undefined;
    }
  }
  if (add.kind === 'index' && text === undefined) return undefined;
  const file = new SourceFile(add.path, languageOfPath(add.path) ?? 'python', text ?? '');
  const other = addToFileEdits(add, text ?? '').map((e) => toTextEdit(file, e));
  if (add.kind === 'index' && other.length === 0) return undefined;
  const changes: NonNullable<WorkspaceEdit['documentChanges']> = [{ textDocument: { uri: doc.uri, version: doc.version }, edits }];
  if (text === undefined) changes.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } });
  if (other.length) changes.push({ textDocument: { uri, version: open?.version ?? null }, edits: other });
  return { documentChanges: changes };
}

function quickFixes(ctx: ServerContext, doc: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
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
        } else if (fix.addToFile) {
          const other = withOtherFile(ctx, doc, fix.edits, fix.addToFile);
          if (!other) continue;
          edit = other;
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
  // Fix-all edits this document only: a fix that adds to another file is applied one at a time.
  const findings = analysis.findings.map((f) => ({ ...f, fixes: f.fixes.filter((x) => !x.addToFile) }));
  const { edits, count } = selectFixes(findings, 'safe');
  if (count === 0) return undefined;
  const action = CodeAction.create('Fix all safe PerfLens problems', { changes: { [doc.uri]: edits.map((e) => toTextEdit(analysis.file, e)) } }, FIX_ALL_KIND);
  return action;
}

export async function codeActions(ctx: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) actions.push(...quickFixes(ctx, doc, params.context.diagnostics));
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => FIX_ALL_KIND.startsWith(o) && o !== '')) {
    const all = await fixAll(ctx, doc);
    if (all) actions.push(all);
  }
  return actions;
}

export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params) => codeActions(ctx, params));
}

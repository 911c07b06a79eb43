/**
 * Query results in the editor: the line at the end of each explained or benchmarked query, a hover
 * with the plan over the query, and the plan view. Results follow edits above them and disappear
 * when the query itself is edited (they would describe text that is gone).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BenchmarkCommandResult, CompareFixCommandResult, ExplainCommandResult, IndexAdviceResult, RangeData } from '../../server/src/protocol';
import { planHtml, type PlanPage } from './plan-html';
import { hoverMarkdown, inlineText } from './query-text';

interface QueryResult {
  uri: string;
  range: vscode.Range;
  explain?: ExplainCommandResult;
  benchmark?: BenchmarkCommandResult;
  advice?: IndexAdviceResult;
  compare?: CompareFixCommandResult;
}

type Results = Pick<QueryResult, 'explain' | 'benchmark' | 'advice' | 'compare'>;

export const SHOW_PLAN_COMMAND = 'perflens.showPlan';

export class QueryResults implements vscode.Disposable {
  private readonly results = new Map<string, QueryResult[]>();
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly disposables: vscode.Disposable[] = [];
  private panel: vscode.WebviewPanel | undefined;
  private last: PlanPage | undefined;

  constructor(selector: vscode.DocumentSelector) {
    this.disposables.push(
      this.decoration,
      vscode.languages.registerHoverProvider(selector, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
    );
  }

  /** Records a result for the query at `range` (none for SQL given as text: nothing to decorate) and redraws. */
  add(uri: string, range: RangeData | undefined, result: Results): void {
    const page: PlanPage = { source: range ? `${path.basename(vscode.Uri.parse(uri).fsPath)}:${range.start.line + 1}` : undefined };
    if (range) {
      const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      const list = this.results.get(uri) ?? [];
      let entry = list.find((x) => x.range.isEqual(r));
      if (!entry) list.push((entry = { uri, range: r }));
      // Index advice describes the plan it was tried against: a new plan (an index added since) replaces it.
      if (result.explain && !result.advice) delete entry.advice;
      Object.assign(entry, result);
      this.results.set(uri, list);
      Object.assign(page, { explain: entry.explain, benchmark: entry.benchmark, advice: entry.advice, compare: entry.compare });
    } else {
      Object.assign(page, result);
    }
    this.last = page;
    this.renderAll();
    if (this.panel) this.showPlan(page);
  }

  clear(): void {
    this.results.clear();
    this.renderAll();
  }

  /** Opens (or updates) the plan view beside the editor. */
  showPlan(page: PlanPage | undefined = this.last): void {
    if (!page) {
      void vscode.window.showInformationMessage('PerfLens: no query has been explained yet. Put the cursor on a query and run "PerfLens: Explain Query".');
      return;
    }
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('perflens.plan', 'PerfLens: Query Plan', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.webview.html = planHtml(page, randomBytes(16).toString('base64'));
    this.panel.reveal(undefined, true);
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const hit = this.results.get(doc.uri.toString())?.find((r) => r.range.contains(pos) || (pos.line === r.range.end.line && pos.character >= r.range.end.character));
    if (!hit) return undefined;
    const args = encodeURIComponent(JSON.stringify([{ uri: hit.uri, line: hit.range.start.line, character: hit.range.start.character }]));
    const markdown = new vscode.MarkdownString(hoverMarkdown(hit.explain, hit.benchmark, `command:${SHOW_PLAN_COMMAND}?${args}`, hit.compare));
    markdown.isTrusted = { enabledCommands: [SHOW_PLAN_COMMAND] };
    return new vscode.Hover(markdown, hit.range);
  }

  /** The plan view for the result at a position (the hover's link), or the last one. */
  showPlanAt(target?: { uri: string; line: number; character: number }): void {
    if (!target) return this.showPlan();
    const pos = new vscode.Position(target.line, target.character);
    const hit = this.results.get(target.uri)?.find((r) => r.range.contains(pos));
    if (!hit) return this.showPlan();
    this.showPlan({ source: `${path.basename(vscode.Uri.parse(hit.uri).fsPath)}:${hit.range.start.line + 1}`, explain: hit.explain, benchmark: hit.benchmark, advice: hit.advice, compare: hit.compare });
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const list = this.results.get(e.document.uri.toString());
    if (!list || e.contentChanges.length === 0) return;
    let kept = list;
    for (const change of e.contentChanges) {
      const added = change.text.split('\n').length - 1;
      const removed = change.range.end.line - change.range.start.line;
      const delta = added - removed;
      kept = kept.flatMap((r) => {
        if (change.range.end.isBefore(r.range.start) && change.range.end.line < r.range.start.line) {
          return delta ? [{ ...r, range: new vscode.Range(r.range.start.translate(delta), r.range.end.translate(delta)) }] : [r];
        }
        if (change.range.start.isAfter(r.range.end) && change.range.start.line > r.range.end.line) return [r];
        // The query itself changed (or the line it ends on): its results are out of date.
        return [];
      });
    }
    this.results.set(e.document.uri.toString(), kept);
    this.renderAll();
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const list = this.results.get(editor.document.uri.toString()) ?? [];
      editor.setDecorations(
        this.decoration,
        list.map((r) => {
          const end = editor.document.lineAt(Math.min(r.range.end.line, editor.document.lineCount - 1)).range.end;
          return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: inlineText(r.explain, r.benchmark, r.compare) } } };
        }),
      );
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

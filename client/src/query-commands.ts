/**
 * "PerfLens: Explain Query" and "PerfLens: Benchmark Query" in VS Code. The commands are the
 * server's (`perflens.explain`, `perflens.benchmark`, so every LSP editor has them); here they get
 * the query at the cursor when run from the palette, a progress notification with Cancel that
 * cancels the request (and the statement on the database), a confirmation before a write is
 * measured, and their results drawn inline and in the plan view.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, type BenchmarkCommandResult, type CompareFixCommandResult, type DatabaseErrorData, type ExplainCommandResult, type IndexAdviceResult } from '../../server/src/protocol';
import type { QueryResults } from './query-results';

interface Target {
  uri?: string;
  position?: { line: number; character: number };
  sql?: string;
  allowWrites?: boolean;
  [option: string]: unknown;
}

export class QueryCommands {
  private reporter: vscode.Progress<{ message?: string }> | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly results: QueryResults,
  ) {}

  static handles(command: string): boolean {
    return command === Commands.explain || command === Commands.benchmark || command === Commands.suggestIndex || command === Commands.compareFix;
  }

  /** A message from the server about the command in progress (building the embedded database, runs done). */
  progress(message: string): void {
    this.reporter?.report({ message });
  }

  async run(command: string, args: unknown[]): Promise<unknown> {
    const client = this.client();
    if (!client?.isRunning()) {
      void vscode.window.showErrorMessage('PerfLens: the language server is not running; see "PerfLens: Show Output".');
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('PerfLens does not run queries in an untrusted workspace. Trust the workspace to use EXPLAIN and benchmarks.');
      return undefined;
    }
    const target = this.target(client, args);
    if (!target) return undefined;
    const titles: Record<string, string> = { [Commands.explain]: 'PerfLens: Explain Query', [Commands.benchmark]: 'PerfLens: Benchmark Query', [Commands.suggestIndex]: 'PerfLens: Suggest Index', [Commands.compareFix]: 'PerfLens: Compare with the Fix' };
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: titles[command], cancellable: true }, async (progress, token) => {
      this.reporter = progress;
      try {
        const result = await this.send(client, command, target, token);
        if (!result) return undefined;
        if (command === Commands.suggestIndex) {
          const advice = result as IndexAdviceResult;
          this.results.add(target.uri ?? '', advice.range, { explain: advice.before, advice });
        } else if (command === Commands.compareFix) {
          this.results.add(target.uri ?? '', result.range, { compare: result as CompareFixCommandResult });
        } else {
          this.results.add(target.uri ?? '', result.range, command === Commands.explain ? { explain: result as ExplainCommandResult } : { benchmark: result as BenchmarkCommandResult });
        }
        this.results.showPlan();
        return result;
      } finally {
        this.reporter = undefined;
      }
    });
    if (result && command === Commands.suggestIndex) void this.offerIndex(client, result as IndexAdviceResult);
    return result;
  }

  /**
   * "Benchmark Query with Options…": asks for the runs and the runs at a time (the settings' values
   * first), then benchmarks the query at the cursor with them. Escape at either prompt: nothing runs.
   */
  async benchmarkWithOptions(): Promise<unknown> {
    const config = vscode.workspace.getConfiguration('perflens.database', vscode.window.activeTextEditor?.document.uri);
    const runs = await askCount('PerfLens: Benchmark Query — timed runs', 'after 5 untimed warm-up runs', config.get<number>('benchmarkRuns', 50), 100_000);
    if (runs === undefined) return undefined;
    const concurrency = await askCount('PerfLens: Benchmark Query — runs at a time', 'each on its own connection; 1 measures the query alone', config.get<number>('benchmarkConcurrency', 1), 32);
    if (concurrency === undefined) return undefined;
    return this.run(Commands.benchmark, [{ runs, concurrency }]);
  }

  /** After "Suggest Index": put the best index where the project keeps its schema, or copy its DDL. */
  private async offerIndex(client: LanguageClient, advice: IndexAdviceResult): Promise<void> {
    const best = advice.suggestions[0];
    if (!best) {
      void vscode.window.showInformationMessage(`PerfLens: ${advice.notes[0] ?? 'no index to suggest for this query.'}`);
      return;
    }
    const gain = best.speedup !== undefined ? ` (${best.speedup >= 10 ? best.speedup.toFixed(0) : best.speedup.toFixed(1)}× ${best.basis === 'time' ? 'faster' : 'cheaper by estimate'})` : '';
    const verdict = advice.method === 'none' ? 'not tried' : best.used ? `the planner uses it${gain}` : 'the planner does not use it';
    const apply = best.migration?.title;
    const copy = 'Copy CREATE INDEX';
    // Not taken only because the data is small: the index is still the one the query needs as the table grows.
    const small = best.used ? undefined : advice.notes.find((n) => n.startsWith('The planner did not take the index'));
    const choice = await vscode.window.showInformationMessage(`PerfLens: ${best.ddl} — ${verdict}.${small ? ` ${small}` : ''}`, ...(apply && (best.used || small) ? [apply] : []), copy);
    if (choice === copy) await vscode.env.clipboard.writeText(best.ddl);
    if (choice && choice === apply && best.migration) {
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(best.migration.edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0]);
      if (edit && (await vscode.workspace.applyEdit(edit))) {
        const [uri] = edit.entries()[0] ?? [];
        if (uri) await vscode.window.showTextDocument(uri, { preview: false });
      }
    }
  }

  /**
   * The arguments given (a code lens, another extension), or the query under the cursor (with the
   * options given without a query: `{ runs, concurrency }`).
   */
  private target(client: LanguageClient, args: unknown[]): Target | undefined {
    const [first, second] = args;
    if (typeof first === 'string') return { sql: first, ...(second as object) };
    const given = first && typeof first === 'object' ? (first as Target) : undefined;
    if (given && (given.uri !== undefined || given.sql !== undefined)) return { ...(second as object), ...given };
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('PerfLens: put the cursor on a SQL query in an editor, then run the command again.');
      return undefined;
    }
    return { ...given, uri: editor.document.uri.toString(), position: client.code2ProtocolConverter.asPosition(editor.selection.active) };
  }

  private async send(client: LanguageClient, command: string, target: Target, token: vscode.CancellationToken): Promise<(ExplainCommandResult | BenchmarkCommandResult | IndexAdviceResult | CompareFixCommandResult) | undefined> {
    try {
      return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [target] }, token);
    } catch (e) {
      if (token.isCancellationRequested) return undefined;
      const reason = e instanceof ResponseError ? (e.data as DatabaseErrorData | undefined)?.reason : undefined;
      if (reason === 'write-not-allowed' && !target.allowWrites) {
        const run = 'Run and Roll Back';
        const answer = await vscode.window.showWarningMessage(
          'This statement writes. PerfLens can run it inside a transaction that is rolled back, so nothing is kept. Run it?',
          { modal: true },
          run,
        );
        return answer === run ? this.send(client, command, { ...target, allowWrites: true }, token) : undefined;
      }
      const message = (e as Error).message;
      const actions = reason === 'no-query' ? [] : ['Select Database', 'Show Output'];
      void vscode.window.showErrorMessage(`PerfLens: ${message}`, ...actions).then((action) => {
        if (action === 'Select Database') void vscode.commands.executeCommand('perflens.selectDatabase');
        if (action === 'Show Output') void vscode.commands.executeCommand('perflens.showOutput');
      });
      return undefined;
    }
  }
}

/** A whole number from 1 to `max`, asked in an input box; undefined when the user escapes. */
async function askCount(title: string, prompt: string, value: number, max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (text) => (/^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= max ? undefined : `A whole number from 1 to ${max.toLocaleString('en-US')}`),
  });
  return answer === undefined ? undefined : Number(answer.trim());
}
